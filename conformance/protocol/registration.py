"""Registration states as data: what each side may send and how it answers while a Charging Station's boot is
not (yet) Accepted (Part 2 B01-B03, errata 2025-09 applied), the way h11 keeps its state table.

The registration status is the ``status`` of the last BootNotificationResponse on the connection
(RegistrationStatusEnumType: ``Accepted``, ``Pending``, ``Rejected``), or :data:`NOT_BOOTED` before the first
one. Four tables hold the rules, one row per status; a status without a row has no restriction:

- :data:`STATION_SENDS`: the CALLs a Charging Station may initiate;
- :data:`CSMS_ANSWERS`: how a CSMS answers the Charging Station's other CALLs (CALLERROR SecurityError);
- :data:`CSMS_SENDS`: the CALLs a CSMS may initiate;
- :data:`STATION_ANSWERS`: how a Charging Station answers the CSMS's CALLs.

"Triggered" messages are the ones a CSMS asked for while the station was Pending: the requested message of a
TriggerMessageRequest, the NotifyReport of a GetBaseReportRequest / GetReportRequest (B02.FR.02, B02.FR.09,
:func:`triggered_by`). The reference SUTs, the harness station and the boot cases' checks all read these tables
through the query functions below; nothing else spells the rules out.

Sans-I/O: plain data and functions, no asyncio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACCEPTED = "Accepted"
PENDING = "Pending"
REJECTED = "Rejected"
NOT_BOOTED: None = None  # no BootNotificationResponse yet on this connection

BOOT = "BootNotification"
# The CSMS requests whose results the station sends while Pending (B02.FR.02): request -> what it triggers
# (TriggerMessage: its requestedMessage).
TRIGGERING_REQUESTS = ("TriggerMessage", "GetBaseReport", "GetReport")
REMOTE_TRANSACTION_REQUESTS = frozenset({"RequestStartTransaction", "RequestStopTransaction"})


@dataclass(frozen=True)
class Sending:
    """Which CALLs one side may initiate in one registration status: ``only`` (None: any), minus ``never``;
    with ``triggered``, also what the CSMS asked for (see the module docstring); with ``triggered_boot``, also a
    TriggerMessageRequest for a BootNotification."""

    only: frozenset[str] | None
    requirements: tuple[str, ...]
    never: frozenset[str] = frozenset()
    triggered: bool = False
    triggered_boot: bool = False
    note: str = ""

    def allows(self, action: str, *, triggered: bool = False, requested_message: str | None = None) -> bool:
        if action in self.never:
            return False
        if self.only is None or action in self.only:
            return True
        if self.triggered and triggered:
            return True
        return self.triggered_boot and action == "TriggerMessage" and requested_message == BOOT


@dataclass(frozen=True)
class Answer:
    """How one side answers a CALL in one registration status: a CALLERROR with ``error_code``, or a CALLRESULT
    with ``payload``."""

    requirements: tuple[str, ...]  # what a check of this answer cites
    error_code: str | None = None
    payload: dict[str, Any] | None = None
    see_also: tuple[str, ...] = ()  # requirements that say the same more generally

    @property
    def is_error(self) -> bool:
        return self.error_code is not None

    def describe(self) -> str:
        return f"CALLERROR {self.error_code}" if self.is_error else f"CALLRESULT {self.payload}"


@dataclass(frozen=True)
class Answering:
    """How one side answers the peer's CALLs in one registration status: ``answer`` for the CALLs in ``actions``
    (None: every CALL) except those in ``exempt`` and, with ``triggered_exempt``, the triggered ones; any other
    CALL is answered normally."""

    answer: Answer
    actions: frozenset[str] | None = None
    exempt: frozenset[str] = frozenset()
    triggered_exempt: bool = False
    note: str = ""

    def applies(self, action: str, *, triggered: bool = False) -> bool:
        if action in self.exempt or (self.triggered_exempt and triggered):
            return False
        return self.actions is None or action in self.actions


_SECURITY_ERROR = "SecurityError"

# --------------------------------------------------------------------------------------------- the tables
STATION_SENDS: dict[str | None, Sending] = {
    NOT_BOOTED: Sending(frozenset({BOOT}), ("B01.FR.08",),
                        note="before the CSMS answered its boot, nothing but BootNotification"),
    PENDING: Sending(frozenset({BOOT}), ("B02.FR.02",), triggered=True,
                     note="BootNotification (not before the interval unless triggered: B02.FR.04) and what the CSMS "
                          "asked for with TriggerMessage, GetBaseReport or GetReport"),
    REJECTED: Sending(frozenset({BOOT}), ("B03.FR.02",),
                      note="nothing until the retry interval has expired, then BootNotification"),
}

CSMS_ANSWERS: dict[str | None, Answering] = {
    # The CSMS cannot tell a station that never booted from one it did not accept: the reference CSMS answers its
    # CALLs as it answers a Pending station's (the station may send none of them, B01.FR.08).
    NOT_BOOTED: Answering(Answer(("B01.FR.08",), error_code=_SECURITY_ERROR, see_also=("B01.FR.10",)),
                          exempt=frozenset({BOOT})),
    PENDING: Answering(Answer(("B02.FR.09",), error_code=_SECURITY_ERROR, see_also=("B01.FR.10",)),
                       exempt=frozenset({BOOT}), triggered_exempt=True),
    # Errata 2025-09 §2.3 narrows the generic FR.04 to a Rejected boot (B02/B03 say the rest).
    REJECTED: Answering(Answer(("B03.FR.07",), error_code=_SECURITY_ERROR, see_also=("FR.04", "B01.FR.10")),
                        exempt=frozenset({BOOT})),
}

CSMS_SENDS: dict[str | None, Sending] = {
    # B02.FR.01: the CSMS may retrieve information (B06-B08) or set variables (B05), and trigger messages (B02.FR.02);
    # B02.FR.05: to use RequestStart/StopTransaction it first accepts the station.
    PENDING: Sending(None, ("B02.FR.01", "B02.FR.05"), never=REMOTE_TRANSACTION_REQUESTS),
    # B03.FR.03: nothing; Part 6 TC_B_31_CSMS has a Rejecting CSMS trigger the boot it then accepts.
    REJECTED: Sending(frozenset(), ("B03.FR.03",), triggered_boot=True,
                      note="Part 6 TC_B_31_CSMS: a TriggerMessage for BootNotification"),
}

STATION_ANSWERS: dict[str | None, Answering] = {
    PENDING: Answering(Answer(("B02.FR.05",), payload={"status": "Rejected"}), actions=REMOTE_TRANSACTION_REQUESTS,
                       note="every other request is answered (B02.FR.01)"),
    REJECTED: Answering(Answer(("B03.FR.08",), error_code=_SECURITY_ERROR)),
}


# --------------------------------------------------------------------------------------------- queries
def station_may_send(status: str | None, action: str, *, triggered: bool = False) -> bool:
    """Whether a Charging Station whose registration status is ``status`` may send a ``action`` CALL
    (``triggered``: the CSMS asked for it, see :func:`triggered_by`)."""
    rule = STATION_SENDS.get(status)
    return rule is None or rule.allows(action, triggered=triggered)


def csms_may_send(status: str | None, action: str, *, requested_message: str | None = None) -> bool:
    """Whether a CSMS may send a ``action`` CALL to a station whose registration status is ``status``
    (``requested_message``: the requestedMessage of a TriggerMessageRequest)."""
    rule = CSMS_SENDS.get(status)
    return rule is None or rule.allows(action, requested_message=requested_message)


def csms_answer(status: str | None, action: str, *, triggered: bool = False) -> Answer | None:
    """How a CSMS answers a station's ``action`` CALL in ``status``: a CALLERROR (:class:`Answer`), or None when
    it answers the CALL normally."""
    rule = CSMS_ANSWERS.get(status)
    return rule.answer if rule is not None and rule.applies(action, triggered=triggered) else None


def station_answer(status: str | None, action: str) -> Answer | None:
    """How a Charging Station answers the CSMS's ``action`` CALL in ``status``: the fixed answer (:class:`Answer`),
    or None when it answers the CALL normally."""
    rule = STATION_ANSWERS.get(status)
    return rule.answer if rule is not None and rule.applies(action) else None


def station_sending_requirements(status: str | None) -> tuple[str, ...]:
    """The requirement ids of what a Charging Station may send in ``status`` (for a check's citation)."""
    rule = STATION_SENDS.get(status)
    return rule.requirements if rule is not None else ()


def csms_sending_requirements(status: str | None) -> tuple[str, ...]:
    """The requirement ids of what a CSMS may send in ``status`` (for a check's citation)."""
    rule = CSMS_SENDS.get(status)
    return rule.requirements if rule is not None else ()


def triggered_by(action: str, payload: dict[str, Any]) -> str | None:
    """The message a CSMS request asks the station to send (B02.FR.02): a TriggerMessageRequest's
    requestedMessage, NotifyReport for GetBaseReport / GetReport; None for any other request."""
    if action == "TriggerMessage":
        requested = payload.get("requestedMessage")
        return requested if isinstance(requested, str) else None
    if action in ("GetBaseReport", "GetReport"):
        return "NotifyReport"
    return None


def retries_boot(status: str | None) -> bool:
    """Whether a station in ``status`` boots again after the interval (B02.FR.08, B03.FR.06): every status but
    Accepted once a BootNotificationResponse came."""
    return status in (PENDING, REJECTED)


def boot_retry_wait(interval: int | float, own: float) -> float:
    """How long a not-accepted station waits before its next BootNotification: the interval of the response,
    or its own (``own``) when that is 0 (B02.FR.07/08, B03.FR.05/06)."""
    return interval if interval > 0 else own


__all__ = ["ACCEPTED", "Answer", "Answering", "BOOT", "boot_retry_wait", "csms_answer", "CSMS_ANSWERS",
           "csms_may_send", "CSMS_SENDS", "csms_sending_requirements", "NOT_BOOTED", "PENDING", "REJECTED",
           "REMOTE_TRANSACTION_REQUESTS", "retries_boot", "Sending", "station_answer", "STATION_ANSWERS",
           "station_may_send", "STATION_SENDS", "station_sending_requirements", "triggered_by", "TRIGGERING_REQUESTS"]
