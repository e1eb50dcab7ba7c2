"""The action port: the one interface test cases use for physical and operator steps.

A test case says *what* must happen (``await actions.plug_in(evse=1)``); a backend decides
*how* (an operator at a terminal, a vendor's shell script, a vendor's HTTP service, or the
in-process reference SUT). Test cases never know which backend runs.

Contract (see docs/actions.md):

* :data:`ACTIONS` is the whole vocabulary: every action, the role it belongs to, its params,
  which are required. Asking for anything else is a programming error in the test case and
  raises :class:`ValueError` before anything is recorded or performed.
* Every performed action is recorded as two ``"action"`` events in the :class:`EventLog`:
  one with ``status="started"``, one with the outcome (``"ok"``, ``"failed"``, ``"timeout"``,
  or ``"cancelled"`` when the test case itself was cancelled), with ``duration`` in seconds.
  Params and results are recorded with secrets redacted (:func:`redact`).
* An action that could not be performed raises :class:`ActionFailed`. That is never a verdict
  on the SUT: the test case turns it into INCONCLUSIVE, not FAIL.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, runtime_checkable

from conformance.recording import EventLog
from conformance.roles import Role

__all__ = [
    "ACTIONS",
    "CSMS_INITIATED_REQUESTS",
    "CSMS_SETTINGS",
    "ID_TOKEN_TYPES",
    "ROLES",
    "ActionBackend",
    "ActionFailed",
    "ActionPort",
    "ActionSpec",
    "Param",
    "actions_for_role",
    "describe",
    "redact",
    "validate",
]

ROLES = tuple(role.config for role in Role)  # "station", "csms"


class ActionFailed(Exception):
    """The action could not be performed: the backend said no, timed out or crashed.

    Not a verdict on the SUT: a test case turns it into INCONCLUSIVE, not FAIL.
    ``params`` is stored redacted, so the exception can be shown and logged safely.
    """

    def __init__(
        self,
        action: str,
        params: Mapping[str, Any] | None,
        reason: str,
        *,
        timed_out: bool = False,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.action = action
        self.params: dict[str, Any] = redact(dict(params or {}))
        self.reason = reason
        self.timed_out = timed_out
        self.details: dict[str, Any] = dict(details or {})
        super().__init__(f"action {action!r} failed: {reason}")


@runtime_checkable
class ActionBackend(Protocol):
    """What performs actions. Implementations: prompt, shell, webhook, reference."""

    name: str

    async def perform(self, action: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Perform ``action``; return the backend's result (may be ``{}``); raise ActionFailed."""
        ...


# --------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------

REDACTED = "***"
_SECRET_NAME = re.compile(r"passw|passphrase|secret|key", re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    """True for param / field / setting names that hold secrets (``password``, ``*key*``, ...)."""
    return bool(_SECRET_NAME.search(name))


def redact(params: Any) -> Any:
    """A copy of ``params`` with secret values replaced by ``"***"``; the input is not modified.

    Redacted: values under a key named like a secret (``password``, ``basicAuthPassword``,
    ``privateKey``, ``*key*``, ``*secret*``), at any depth; the ``value`` of a mapping whose
    ``setting`` names a secret (``csms_configure(setting="basic_auth_password", value=...)``);
    the ``attributeValue`` of an OCPP SetVariableData whose variable name is a secret
    (``{"variable": {"name": "BasicAuthPassword"}, "attributeValue": ...}``).
    """
    if isinstance(params, Mapping):
        secret_value_keys: set[str] = set()
        setting = params.get("setting")
        if isinstance(setting, str) and is_secret_name(setting):
            secret_value_keys.add("value")
        variable = params.get("variable")
        if isinstance(variable, Mapping) and isinstance(variable.get("name"), str) and is_secret_name(variable["name"]):
            secret_value_keys.add("attributeValue")
        out: dict[Any, Any] = {}
        for key, value in params.items():
            if isinstance(key, str) and (is_secret_name(key) or key in secret_value_keys):
                out[key] = REDACTED
            else:
                out[key] = redact(value)
        return out
    if isinstance(params, (list, tuple)):
        return [redact(item) for item in params]
    return params


# --------------------------------------------------------------------------------------------
# The vocabulary
# --------------------------------------------------------------------------------------------

#: IdTokenEnumType (OCPP 2.0.1 Part 2, 2.28 / AuthorizeRequest schema).
ID_TOKEN_TYPES = ("Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization")

#: AuthorizationStatusEnumType, the values ``csms_configure(setting="token_status")`` takes.
AUTHORIZATION_STATUSES = (
    "Accepted",
    "Blocked",
    "ConcurrentTx",
    "Expired",
    "Invalid",
    "NoCredit",
    "NotAllowedTypeEVSE",
    "NotAtThisLocation",
    "NotAtThisTime",
    "Unknown",
)

#: The requests a CSMS sends to a Charging Station (OCPP 2.0.1), the values ``csms_send(request=...)`` takes.
CSMS_INITIATED_REQUESTS = (
    "CancelReservation",
    "CertificateSigned",
    "ChangeAvailability",
    "ClearCache",
    "ClearChargingProfile",
    "ClearDisplayMessage",
    "ClearVariableMonitoring",
    "CostUpdated",
    "CustomerInformation",
    "DataTransfer",
    "DeleteCertificate",
    "GetBaseReport",
    "GetChargingProfiles",
    "GetCompositeSchedule",
    "GetDisplayMessages",
    "GetInstalledCertificateIds",
    "GetLocalListVersion",
    "GetLog",
    "GetMonitoringReport",
    "GetReport",
    "GetTransactionStatus",
    "GetVariables",
    "InstallCertificate",
    "PublishFirmware",
    "RequestStartTransaction",
    "RequestStopTransaction",
    "ReserveNow",
    "Reset",
    "SendLocalList",
    "SetChargingProfile",
    "SetDisplayMessage",
    "SetMonitoringBase",
    "SetMonitoringLevel",
    "SetNetworkProfile",
    "SetVariableMonitoring",
    "SetVariables",
    "TriggerMessage",
    "UnlockConnector",
    "UnpublishFirmware",
    "UpdateFirmware",
)

#: Suggested ``fault(kind=...)`` values. Not enforced: a backend that cannot produce a kind
#: fails the action (INCONCLUSIVE), it may map an unknown kind to ``"generic"``.
FAULT_KINDS = (
    "generic",
    "ground_fault",
    "over_current",
    "over_voltage",
    "under_voltage",
    "over_temperature",
    "connector_lock",
    "power_meter",
    "reader",
    "emergency_stop",
)

_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "number": (int, float),
    "str": (str,),
    "dict": (dict,),
    "any": (object,),
}


@dataclass(frozen=True)
class Param:
    """One documented parameter of an action."""

    name: str
    type: str  # "int" | "number" | "str" | "dict" | "any" (any JSON value)
    required: bool = False
    doc: str = ""
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None

    def check(self, action: str, value: Any) -> None:
        kinds = _TYPES[self.type]
        if isinstance(value, bool) and self.type in ("int", "number") or not isinstance(value, kinds):
            raise ValueError(f"action {action!r}: param {self.name!r} must be {self.type}, got {value!r}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"action {action!r}: param {self.name!r} must be >= {self.minimum:g}, got {value!r}")
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(map(str, self.choices))
            raise ValueError(f"action {action!r}: param {self.name!r} must be one of {allowed}; got {value!r}")


@dataclass(frozen=True)
class CsmsSetting:
    """One setting ``csms_configure`` can change, with the extra params it needs."""

    name: str
    doc: str
    value_doc: str
    requires: tuple[str, ...] = ()
    choices: tuple[Any, ...] | None = None


#: The closed set of CSMS settings ``csms_configure`` knows (param ``setting``).
CSMS_SETTINGS: dict[str, CsmsSetting] = {
    s.name: s
    for s in (
        CsmsSetting(
            "token_status",
            "How the CSMS authorizes an idToken (AuthorizeResponse / TransactionEventResponse idTokenInfo.status).",
            "AuthorizationStatusEnumType, e.g. Accepted, Blocked, Expired, Invalid",
            requires=("id_token",),
            choices=AUTHORIZATION_STATUSES,
        ),
        CsmsSetting(
            "token_group",
            "The groupIdToken the CSMS returns for an idToken.",
            "the group's idToken string",
            requires=("id_token",),
        ),
        CsmsSetting(
            "iso15118_root_certificate",
            "A V2G or MO root certificate the CSMS trusts for ISO 15118 contract certificates (C07).",
            "the root certificate, PEM",
        ),
        CsmsSetting(
            "boot_status",
            "What the CSMS answers to the station's BootNotificationRequest.",
            "RegistrationStatusEnumType: Accepted, Pending, Rejected (without station: for every station)",
            choices=("Accepted", "Pending", "Rejected"),
        ),
        CsmsSetting(
            "heartbeat_interval",
            "The interval the CSMS puts in BootNotificationResponse.",
            "seconds (int)",
            requires=("station",),
        ),
        CsmsSetting(
            "security_profile",
            "The security profile the CSMS requires from the station.",
            "1, 2 or 3",
            requires=("station",),
            choices=(1, 2, 3),
        ),
        CsmsSetting(
            "basic_auth_password",
            "The HTTP Basic authentication password the CSMS accepts for the station (recorded redacted).",
            "the password (str)",
            requires=("station",),
        ),
    )
}


@dataclass(frozen=True)
class ActionSpec:
    """One action: its role, a plain-words instruction, its params."""

    name: str
    role: str  # "station": the SUT is a Charging Station; "csms": the SUT is a CSMS
    summary: str  # an instruction in plain words, for operators and docs
    params: tuple[Param, ...] = ()
    param_map: dict[str, Param] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "param_map", {p.name: p for p in self.params})

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params if p.required)


def _evse(required: bool, doc: str = "EVSE id (>= 1)") -> Param:
    return Param("evse", "int", required, doc, minimum=1)


def _connector(doc: str = "connector id on the EVSE (>= 1); absent: the EVSE's only / default connector") -> Param:
    return Param("connector", "int", False, doc, minimum=1)


_STATION_WIDE = "EVSE id (>= 1); absent: the whole station"

#: The whole action vocabulary, one table. Order = documentation order.
ACTIONS: dict[str, ActionSpec] = {
    a.name: a
    for a in (
        # ---- SUT = Charging Station (the harness is the CSMS) ----------------------------
        ActionSpec(
            "plug_in",
            "station",
            "Plug the EV's charging cable in (cable connected at both ends, the EV ready to charge).",
            (_evse(True), _connector()),
        ),
        ActionSpec(
            "unplug",
            "station",
            "Unplug the charging cable.",
            (
                _evse(True),
                _connector(),
                Param(
                    "side",
                    "str",
                    False,
                    "which end is unplugged: 'ev' (only at the vehicle: a detachable cable stays in the station's "
                    "socket, a fixed one on the station; the EV-side disconnect of E09/E10) or 'station' (at the "
                    "socket, e.g. after an EV-side disconnect); absent: the whole cable (the EV disconnected and a "
                    "detachable cable taken away)",
                    choices=("ev", "station"),
                ),
            ),
        ),
        ActionSpec(
            "present_id_token",
            "station",
            "Present an identification token (RFID card, key code, ...) to the station.",
            (
                Param("id_token", "str", True, "the idToken value, e.g. the card UID"),
                Param("type", "str", True, "IdTokenEnumType, e.g. ISO14443", choices=ID_TOKEN_TYPES),
                _evse(False, "EVSE whose reader is used (>= 1); absent: the station's (only) reader"),
            ),
        ),
        ActionSpec(
            "press_start_button",
            "station",
            "Press the station's start / stop button.",
            (_evse(False, "EVSE whose button is pressed (>= 1); absent: the station's (only) button"),),
        ),
        ActionSpec(
            "ev_suspend",
            "station",
            "Make the EV stop drawing energy while staying connected (EV-side suspension: SuspendedEV). Given "
            "before plug_in: the EV plugged in next is not ready for energy transfer (it stays so until ev_resume or "
            "it is unplugged).",
            (_evse(True), _connector()),
        ),
        ActionSpec(
            "ev_resume",
            "station",
            "Make the EV draw energy again after ev_suspend.",
            (_evse(True), _connector()),
        ),
        ActionSpec(
            "ev_stop_session",
            "station",
            "Make the ISO 15118 EV end its charging session: it sends SessionStopReq with ChargingSession Terminate "
            "(the EV stays plugged in).",
            (_evse(True), _connector()),
        ),
        ActionSpec(
            "plug_and_charge",
            "station",
            "ISO 15118 Plug & Charge: the EV plugged in at the EVSE presents its contract certificate chain (PEM, "
            "leaf first; the leaf's subject names the eMAID) for authorization (C07). The EV is already plugged in.",
            (_evse(True), _connector(),
             Param("emaid", "str", True, "the eMAID of the contract (the contract certificate's subject commonName)"),
             Param("certificate", "str", True, "the contract certificate chain the EV presents, PEM, leaf first "
                                               "(public data only)")),
        ),
        ActionSpec(
            "master_pass_select",
            "station",
            "On the station's Master Pass user interface, shown after a Master Pass idToken was presented (C16): "
            "select the transactions to stop.",
            (_evse(False, "the EVSE whose transaction is selected (>= 1); absent: all transactions"),),
        ),
        ActionSpec(
            "drive_in",
            "station",
            "Drive an EV into the parking bay of the EVSE (bay occupancy detected, nothing plugged in).",
            (_evse(True),),
        ),
        ActionSpec(
            "drive_out",
            "station",
            "Drive the EV out of the parking bay of the EVSE.",
            (_evse(True),),
        ),
        ActionSpec(
            "connector_lock_failure",
            "station",
            "Make the connector's cable retention lock fail the next time the station tries to lock it (e.g. the "
            "plug will not be fully inserted); lasts until the EV is unplugged. Plugging in is a separate plug_in.",
            (_evse(True), _connector()),
        ),
        ActionSpec(
            "reboot",
            "station",
            "Reboot the station through its own means (not through OCPP): a soft restart.",
        ),
        ActionSpec(
            "power_cycle",
            "station",
            "Cut the station's mains power, then restore it (a hard power loss).",
            (
                Param(
                    "off_seconds", "number", False, "how long the power stays off; absent: backend's choice", minimum=0
                ),
            ),
        ),
        ActionSpec(
            "go_offline",
            "station",
            "Cut the station's network connection to the CSMS (keep it powered and running) until go_online.",
        ),
        ActionSpec(
            "go_online",
            "station",
            "Restore the station's network connection to the CSMS.",
        ),
        ActionSpec(
            "fault",
            "station",
            "Make a fault occur (the station or the EVSE must become Faulted / report the problem) until clear_fault.",
            (
                Param("kind", "str", True, "what goes wrong, e.g. " + ", ".join(FAULT_KINDS)),
                _evse(False, _STATION_WIDE),
                _connector("connector id (>= 1); absent: all connectors of the EVSE"),
            ),
        ),
        ActionSpec(
            "clear_fault",
            "station",
            "Remove the fault caused by a previous fault action.",
            (
                Param("kind", "str", False, "the fault kind to clear; absent: every fault"),
                _evse(False, _STATION_WIDE),
                _connector("connector id (>= 1); absent: all connectors of the EVSE"),
            ),
        ),
        # ---- SUT = CSMS (the harness is the Charging Station(s)) --------------------------
        ActionSpec(
            "csms_send",
            "csms",
            "Make the CSMS send a request to a Charging Station (the harness), e.g. through its UI or API.",
            (
                Param("station", "str", True, "the identity of the Charging Station the CSMS sends to"),
                Param(
                    "request",
                    "str",
                    True,
                    "the OCPP action the CSMS sends, e.g. Reset",
                    choices=CSMS_INITIATED_REQUESTS,
                ),
                Param(
                    "payload",
                    "dict",
                    False,
                    "fields the CSMS should use in the request (OCPP JSON names, e.g. {'type': 'Immediate'}); "
                    "fields not given are the CSMS's choice",
                ),
            ),
        ),
        ActionSpec(
            "csms_configure",
            "csms",
            "Change a setting in the CSMS (e.g. block an idToken), through its UI or API.",
            (
                Param(
                    "setting", "str", True, "what to change: " + ", ".join(CSMS_SETTINGS), choices=tuple(CSMS_SETTINGS)
                ),
                Param("value", "any", True, "the new value (see the setting)"),
                Param("station", "str", False, "the Charging Station identity the setting applies to"),
                Param("id_token", "str", False, "the idToken the setting applies to"),
                Param("type", "str", False, "IdTokenEnumType of id_token", choices=ID_TOKEN_TYPES),
                _evse(False, "EVSE id the setting applies to (>= 1)"),
            ),
        ),
    )
}


def actions_for_role(role: str) -> dict[str, ActionSpec]:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return {name: spec for name, spec in ACTIONS.items() if spec.role == role}


def validate(action: str, params: Mapping[str, Any], role: str | None = None) -> ActionSpec:
    """Check an action and its params against the vocabulary; ValueError for a programming error."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise ValueError(f"unknown action {action!r}; known actions: {', '.join(ACTIONS)}")
    if role is not None and spec.role != role:
        raise ValueError(
            f"action {action!r} needs a {spec.role} SUT; this port drives a {role} SUT "
            f"(its actions: {', '.join(actions_for_role(role))})"
        )
    unknown = [name for name in params if name not in spec.param_map]
    if unknown:
        known = ", ".join(spec.param_map) or "none"
        raise ValueError(f"action {action!r}: unknown param(s) {', '.join(map(repr, unknown))}; its params: {known}")
    missing = [name for name in spec.required if name not in params]
    if missing:
        raise ValueError(f"action {action!r}: missing required param(s) {', '.join(map(repr, missing))}")
    for name, value in params.items():
        spec.param_map[name].check(action, value)
    if action == "csms_configure":
        setting = CSMS_SETTINGS[params["setting"]]
        missing = [name for name in setting.requires if name not in params]
        if missing:
            raise ValueError(
                f"csms_configure(setting={setting.name!r}) needs param(s) {', '.join(map(repr, missing))}"
            )
        if setting.choices is not None and params["value"] not in setting.choices:
            raise ValueError(
                f"csms_configure(setting={setting.name!r}): value must be one of "
                f"{', '.join(map(str, setting.choices))}; got {params['value']!r}"
            )
    try:
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"action {action!r}: params are not JSON-serialisable: {exc}") from None
    return spec


def describe(action: str, params: Mapping[str, Any]) -> str:
    """The instruction for ``action`` in plain words, with its (redacted) params, one per line."""
    spec = ACTIONS.get(action)
    lines = [spec.summary if spec else f"Perform the action {action!r}."]
    shown = redact(dict(params))
    for name, value in shown.items():
        label = name.replace("_", " ")
        if isinstance(value, (dict, list)):
            value = json.dumps(value, sort_keys=True)
        elif value == REDACTED:
            value = "*** (secret, not shown: see your configuration)"
        lines.append(f"  {label}: {value}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The port
# --------------------------------------------------------------------------------------------

_call_ids = itertools.count(1)

#: The port's own deadline is the action timeout plus this grace: a backend enforces the
#: timeout it is given itself (and says what it was doing: killed the script, the URL it
#: waited for); the port's deadline only catches a backend that ignores it.
TIMEOUT_GRACE = 0.5


#: actions after which the station may close or lose its connection without that being a finding (the station
#: side declares the close expected when the case gives such an instruction)
CLOSES_CONNECTION = frozenset({"reboot", "power_cycle", "go_offline"})


class ActionPort:
    """What test cases call to get a physical or operator step done on the SUT."""

    def __init__(self, backend: ActionBackend, log: EventLog, *, timeout: float, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        if not timeout or timeout <= 0:
            raise ValueError(f"the action timeout must be > 0 seconds, got {timeout!r}")
        self.backend = backend
        self.log = log
        self.timeout = float(timeout)
        self.role = role

    @property
    def actions(self) -> dict[str, ActionSpec]:
        """The actions this port accepts (those of its role)."""
        return actions_for_role(self.role)

    async def do(self, action: str, /, **params: Any) -> dict[str, Any]:
        """Perform ``action``; params given as None count as not given. Raises ActionFailed."""
        return await self.run(action, params)

    async def run(self, action: str, params: Mapping[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
        """Like :meth:`do`, with the params as a mapping and an optional per-call timeout."""
        params = {k: v for k, v in params.items() if v is not None}
        validate(action, params, self.role)
        limit = self.timeout if timeout is None else float(timeout)
        if limit <= 0:
            raise ValueError(f"the action timeout must be > 0 seconds, got {timeout!r}")
        shown = redact(params)
        common = {
            "action": action,
            "params": shown,
            "backend": getattr(self.backend, "name", type(self.backend).__name__),
            "role": self.role,
            "call": next(_call_ids),
        }
        self.log.emit("action", **common, status="started", timeout=limit)
        start = time.monotonic()

        def end(status: str, result: Any = None, reason: str | None = None) -> None:
            self.log.emit(
                "action",
                **common,
                status=status,
                result=redact(result) if result is not None else None,
                reason=reason,
                duration=time.monotonic() - start,
            )

        try:
            async with asyncio.timeout(limit + TIMEOUT_GRACE):
                result = await self.backend.perform(action, dict(params), limit)
        except ActionFailed as exc:
            end("timeout" if exc.timed_out else "failed", reason=exc.reason)
            raise
        except TimeoutError:
            reason = f"backend {common['backend']!r} did not complete within {limit:g} s"
            end("timeout", reason=reason)
            raise ActionFailed(action, params, reason, timed_out=True) from None
        except asyncio.CancelledError:
            end("cancelled", reason="the test case was cancelled while the action ran")
            raise
        except Exception as exc:  # a crashing backend is a failed action, not a failed SUT
            reason = f"backend {common['backend']!r} crashed: {type(exc).__name__}: {exc}"
            end("failed", reason=reason)
            raise ActionFailed(action, params, reason) from exc
        if result is None:
            result = {}
        if not isinstance(result, dict):
            reason = f"backend {common['backend']!r} returned {type(result).__name__}, expected a dict"
            end("failed", reason=reason)
            raise ActionFailed(action, params, reason)
        end("ok", result=result)
        return result

    # ---- convenience methods, one per action ----------------------------------------------
    # SUT = Charging Station

    async def plug_in(self, evse: int = 1, connector: int | None = 1) -> dict[str, Any]:
        return await self.do("plug_in", evse=evse, connector=connector)

    async def unplug(self, evse: int = 1, connector: int | None = 1, side: str | None = None) -> dict[str, Any]:
        return await self.do("unplug", evse=evse, connector=connector, side=side)

    async def present_id_token(self, id_token: str, type: str = "ISO14443", evse: int | None = None) -> dict[str, Any]:
        return await self.do("present_id_token", id_token=id_token, type=type, evse=evse)

    async def press_start_button(self, evse: int | None = None) -> dict[str, Any]:
        return await self.do("press_start_button", evse=evse)

    async def ev_suspend(self, evse: int = 1, connector: int | None = None) -> dict[str, Any]:
        return await self.do("ev_suspend", evse=evse, connector=connector)

    async def ev_resume(self, evse: int = 1, connector: int | None = None) -> dict[str, Any]:
        return await self.do("ev_resume", evse=evse, connector=connector)

    async def ev_stop_session(self, evse: int = 1, connector: int | None = None) -> dict[str, Any]:
        return await self.do("ev_stop_session", evse=evse, connector=connector)

    async def plug_and_charge(self, evse: int, emaid: str, certificate: str,
                              connector: int | None = None) -> dict[str, Any]:
        return await self.do("plug_and_charge", evse=evse, connector=connector, emaid=emaid, certificate=certificate)

    async def master_pass_select(self, evse: int | None = None) -> dict[str, Any]:
        return await self.do("master_pass_select", evse=evse)

    async def drive_in(self, evse: int = 1) -> dict[str, Any]:
        return await self.do("drive_in", evse=evse)

    async def drive_out(self, evse: int = 1) -> dict[str, Any]:
        return await self.do("drive_out", evse=evse)

    async def connector_lock_failure(self, evse: int = 1, connector: int | None = 1) -> dict[str, Any]:
        return await self.do("connector_lock_failure", evse=evse, connector=connector)

    async def reboot(self) -> dict[str, Any]:
        return await self.do("reboot")

    async def power_cycle(self, off_seconds: float | None = None) -> dict[str, Any]:
        return await self.do("power_cycle", off_seconds=off_seconds)

    async def go_offline(self) -> dict[str, Any]:
        return await self.do("go_offline")

    async def go_online(self) -> dict[str, Any]:
        return await self.do("go_online")

    async def fault(
        self, kind: str = "generic", evse: int | None = None, connector: int | None = None
    ) -> dict[str, Any]:
        return await self.do("fault", kind=kind, evse=evse, connector=connector)

    async def clear_fault(
        self, kind: str | None = None, evse: int | None = None, connector: int | None = None
    ) -> dict[str, Any]:
        return await self.do("clear_fault", kind=kind, evse=evse, connector=connector)

    # SUT = CSMS

    async def csms_send(self, request: str, station: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.do("csms_send", request=request, station=station, payload=payload)

    async def csms_configure(self, setting: str, value: Any, **scope: Any) -> dict[str, Any]:
        """``scope``: station, id_token, type, evse (see ACTIONS['csms_configure'])."""
        return await self.do("csms_configure", setting=setting, value=value, **scope)
