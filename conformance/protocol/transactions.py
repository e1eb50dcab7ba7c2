"""The transaction invariants, without I/O: one ledger over every TransactionEventRequest a Charging Station SUT
sends during a run, across connections, reconnects and reboots.

:class:`TransactionLedger` is told, in the order they happened, the station's connections opening and closing,
its TransactionEventRequests (and the timestamps of its other messages), and the RequestStart/StopTransaction
requests the harness (as CSMS) sent it with the station's answers. Per transaction (``transactionId``) it judges
what Part 2 makes checkable from the outside; each breach is a :class:`TxFinding` naming its rule, the requirement
ids, expected, actual and both events (the earlier one the judgement rests on, and the offending one):

================================  ====================================================================================
rule                              what it checks (requirements)
================================  ====================================================================================
``transaction-seqno-gap``         seqNo increases by one per event of the transaction (E §1.3.2.1, E01.FR.07): a value
                                  skipped is a finding, unless Part 2 lets the event be missing: the station was
                                  offline in between (an Updated dropped from the offline queue, E04.FR.07 /
                                  E11.FR.04 / E12.FR.04; a message discarded after its last failed attempt,
                                  E13.FR.04), or the values went to other transactions of the station (a station-wide
                                  counter: "continuously increasing" seqNo, E §1.3.2.1). A value that arrives late
                                  (out of order, E §1.3.2) fills the gap.
``transaction-seqno-repeated``    a new event does not reuse a seqNo of its transaction (E §1.3.2.1, E01.FR.07); the
                                  same message sent again (a retry after a CALLERROR, a timeout or a lost connection,
                                  E13.FR.02, E11.FR.07: ``offline`` may be set on the retry) is no new event
``transaction-started-first``     the first event of a transaction is ``Started`` (TransactionEventRequest.eventType,
                                  Part 2 Messages §1.60.1; E01.FR.01-06): the first event the harness receives of a
                                  transactionId, unless it was queued offline (``offline`` true: its Started may
                                  predate the run) or its EVSE was not seen without a transaction in this run before
                                  (a status Available, an Ended: a transaction begun before the run, by an earlier
                                  run or another CSMS, has its Started there), and the Started has the lowest seqNo
``transaction-id-changed``        a transaction keeps its transactionId (E §1.2, E §1.3.2): an Updated/Ended of an
                                  unknown transactionId that continues the seqNo of the ongoing transaction of its
                                  EVSE (reported instead of ``transaction-started-first``)
``transaction-one-started``       exactly one ``Started`` per transaction (Part 2 Messages §1.60.1: all others Updated)
``transaction-ended-last``        ``Ended`` is the last event: no event with a higher seqNo after it, no second Ended,
                                  no Ended below an event already received (Part 2 Messages §1.60.1, E §1.3.2)
``transaction-offline-flag``      ``offline`` true on an event that occurred while the station was offline or was still
                                  queued when it went offline (E04.FR.03, E08.FR.07, E11.FR.02, E11.FR.07, E12.FR.02):
                                  judged on an event whose timestamp, on the station's clock, places it between the
                                  close of the station's previous connection and the opening of the one that delivers
                                  it (Part 2 "Offline": the WebSocket connection is not open), by a margin of
                                  timing.max_time_deviation (see :meth:`TransactionLedger.occurred_before`), and on a
                                  message repeated on a later connection than it was first sent on
``transaction-evse``              the first event after the EV is connected (chargingState EVConnected, Charging,
                                  SuspendedEV or SuspendedEVSE, or triggerReason CablePluggedIn) names evse.id and
                                  evse.connectorId (E01.FR.16)
``transaction-id-token``          an event with triggerReason Authorized carries the idToken (E02.FR.01, E02.FR.20); one
                                  with triggerReason RemoteStart carries an idToken (the request's: F01.FR.04,
                                  F02.FR.05, F02.FR.12)
``transaction-remote-start-id``   an event with triggerReason RemoteStart carries transactionInfo.remoteStartId
                                  (F02.FR.21, F01.FR.25, F02.FR.01), one the harness sent in an accepted
                                  RequestStartTransactionRequest when it sent any
``transaction-stopped-reason``    an Ended whose triggerReason says the transaction was not ended by the EV Driver at
                                  the station (RemoteStop, Deauthorized, ResetCommand, UnlockCommand, EVConnectTimeout,
                                  AbnormalCondition, EnergyLimitReached, TimeLimitReached) carries stoppedReason
                                  (E06.FR.08; omitted only for Local, E06.FR.09, E07.FR.04); with RemoteStop it is
                                  Remote (F03.FR.03)
``transaction-deauthorized``      an event with triggerReason Deauthorized follows an answer of the harness that did not
                                  accept the idToken (idTokenInfo.status not Accepted in a TransactionEventResponse of
                                  the transaction, or in an AuthorizeResponse), as TriggerReasonEnumType Deauthorized
                                  says (E05.FR.09, E05.FR.10, E06.FR.04)
``transaction-remote-stop``       after the station accepted the harness's RequestStopTransactionRequest, the
                                  transaction does not end without an event with triggerReason RemoteStop (F03.FR.02,
                                  F03.FR.03); a RemoteStop event that arrives before the answer counts (Part 2 orders
                                  neither), an Ended that arrives before it is not judged
================================  ====================================================================================

Not judged (Part 2 does not make them MUST, or they cannot be told from the traffic without guessing): the seqNo of a
Started (0 is a SHOULD, a continuously increasing seqNo is allowed: E §1.3.2.1, TC_E_53_CSMS), the value of a
stoppedReason other than Remote, chargingState transitions (Part 2 constrains which states exist, not their order),
triggerReasons the harness cannot tie to what it did.

:class:`TransactionRecords` feeds a ledger from event-log records (JSON objects: our ``events.jsonl``, or the frames
``validate`` reads), so the live run (transport/server.py) and ``ocpp-conformance validate`` judge the same input
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .frames import Call, CallError, CallResult, FrameError, parse_frame

ACTION = "TransactionEvent"
#: timing.max_time_deviation when the input does not say (the configuration's default, Part 6 §2.1: 4 s)
DEFAULT_MAX_TIME_DEVIATION = 4.0

_ORDER = ("TransactionEventRequest.eventType (Part 2 Messages §1.60.1)", "Part 2 E §1.3.2")
RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "transaction-seqno-gap": ("the seqNo of a transaction increases by one per event, without gaps",
                              ("Part 2 E §1.3.2.1", "E01.FR.07")),
    "transaction-seqno-repeated": ("a new event of a transaction does not reuse a seqNo",
                                   ("Part 2 E §1.3.2.1", "E01.FR.07")),
    "transaction-started-first": ("the first event of a transaction is eventType Started",
                                  _ORDER + ("E01.FR.01-06",)),
    "transaction-id-changed": ("a transaction keeps its transactionId",
                               ("Part 2 E §1.2", "Part 2 E §1.3.2", "E01.FR.08")),
    "transaction-one-started": ("a transaction has exactly one eventType Started", _ORDER),
    "transaction-ended-last": ("eventType Ended is the last event of a transaction", _ORDER),
    "transaction-offline-flag": ("offline is true on a TransactionEvent that occurred while the station was offline "
                                 "or was still queued when it went offline",
                                 ("E04.FR.03", "E08.FR.07", "E11.FR.02", "E11.FR.07", "E12.FR.02")),
    "transaction-evse": ("the first TransactionEvent after the EV is connected names evse.id and evse.connectorId",
                         ("E01.FR.16",)),
    "transaction-id-token": ("a TransactionEvent for an authorization carries the idToken",
                             ("E02.FR.01", "E02.FR.20", "F01.FR.04", "F02.FR.05")),
    "transaction-remote-start-id": ("a TransactionEvent with triggerReason RemoteStart carries the remoteStartId of "
                                    "the request", ("F02.FR.21", "F01.FR.25", "F02.FR.01")),
    "transaction-stopped-reason": ("an Ended not ended by the EV Driver at the station carries stoppedReason",
                                   ("E06.FR.08", "F03.FR.03")),
    "transaction-remote-stop": ("a transaction stopped by RequestStopTransaction reports triggerReason RemoteStop",
                                ("F03.FR.02", "F03.FR.03")),
    "transaction-deauthorized": ("triggerReason Deauthorized follows an idTokenInfo that was not Accepted",
                                 ("TriggerReasonEnumType (Part 2 Messages §3.82)", "E05.FR.09", "E05.FR.10",
                                  "E06.FR.04")),
}

#: chargingStates in which the EV is connected (ChargingStateEnumType: all but Idle)
EV_CONNECTED_STATES = frozenset({"EVConnected", "Charging", "SuspendedEV", "SuspendedEVSE"})
#: triggerReasons of an Ended that was not ended by the EV Driver at the station (E06.FR.08 applies)
NOT_LOCAL_TRIGGERS = frozenset({"RemoteStop", "Deauthorized", "ResetCommand", "UnlockCommand", "EVConnectTimeout",
                                "AbnormalCondition", "EnergyLimitReached", "TimeLimitReached"})
#: the station's messages whose timestamp says when something happened on its clock (bounds its clock offset)
_TIMESTAMPED = {"TransactionEvent": "timestamp", "StatusNotification": "timestamp"}


@dataclass(frozen=True)
class TxEvent:
    """One TransactionEventRequest the station sent, as the ledger keeps it."""

    message_id: str
    ref: Any  #: where it is (the frame index of our event log, a line of validate's input)
    event_type: str
    seq_no: int
    transaction_id: str
    trigger: str
    offline: bool
    payload: dict[str, Any]
    connection: int  #: the station's connection it arrived on (1, 2, ... in the run)
    arrival: int  #: its position among the station's TransactionEvents

    @property
    def content(self) -> dict[str, Any]:
        """What a retry repeats: the payload without ``offline`` (E11.FR.07 sets it on a queued message)."""
        return {k: v for k, v in self.payload.items() if k != "offline"}

    def describe(self) -> str:
        return (f"{self.event_type} seqNo {self.seq_no} ({self.trigger}) of transaction {self.transaction_id!r}, "
                f"message {self.message_id!r}" + (f", frame {self.ref}" if self.ref is not None else ""))


@dataclass(frozen=True)
class TxFinding:
    """One breach of a transaction invariant by one TransactionEventRequest."""

    rule: str
    expected: str
    actual: str
    event: TxEvent
    earlier: TxEvent | None = None

    @property
    def name(self) -> str:
        return RULES[self.rule][0]

    @property
    def requirements(self) -> tuple[str, ...]:
        return RULES[self.rule][1]

    def as_event(self) -> dict[str, Any]:
        """The fields of the failed ``check`` event this finding becomes (shared contract 2)."""
        data: dict[str, Any] = {
            "name": self.name, "passed": False, "generic": True, "rule": self.rule,
            "requirements": list(self.requirements), "expected": self.expected, "actual": self.actual,
            "severity": "MUST", "message_id": self.event.message_id, "action": ACTION,
            "transaction_id": self.event.transaction_id}
        if self.event.ref is not None:
            data["frame_index"] = self.event.ref
        if self.earlier is not None:
            data["earlier_message_id"] = self.earlier.message_id
            if self.earlier.ref is not None:
                data["earlier_frame_index"] = self.earlier.ref
        return data

    def render(self) -> str:
        """One line (``validate``'s output)."""
        return f"{self.rule} ({', '.join(self.requirements)}): {self.actual}"


@dataclass
class _Transaction:
    id: str
    seen: dict[int, TxEvent] = field(default_factory=dict)  # seqNo -> the first event with it
    first: TxEvent | None = None
    started: TxEvent | None = None
    ended: TxEvent | None = None
    evse: int | None = None
    ev_connected: bool = False  # an event showing the EV connected was received
    last: TxEvent | None = None  # the event with the highest seqNo

    @property
    def ongoing(self) -> bool:
        return self.started is not None and self.ended is None


@dataclass
class _Station:
    connections: int = 0
    opened: float | None = None  # wall time the current connection opened
    closed: float | None = None  # wall time the previous connection closed (None: no close seen in this run)
    clock_floor: float | None = None  # max(station timestamp - arrival) since its clock was last set: <= its offset
    floor_resolution: float = 0.0  # the coarsest resolution of the timestamps clock_floor rests on
    evses: set[int] = field(default_factory=set)  # the EVSEs the station reported (status, events)
    idle: set[int] = field(default_factory=set)  # EVSEs seen without a transaction in this run (Available, an Ended)
    transactions: dict[str, _Transaction] = field(default_factory=dict)
    received: list[TxEvent] = field(default_factory=list)
    requests: dict[str, tuple[str, Any]] = field(default_factory=dict)  # harness CALL id -> (action, payload)
    remote_start_ids: set[int] = field(default_factory=set)  # of accepted RequestStartTransactionRequests
    remote_start_tokens: list[dict[str, Any]] = field(default_factory=list)
    stopping: dict[str, str] = field(default_factory=dict)  # transactionId -> the accepted RequestStop's id
    stop_pending: dict[str, str] = field(default_factory=dict)  # transactionId -> a RequestStop not yet answered
    stop_reported: set[str] = field(default_factory=set)  # RemoteStop events that came before the answer
    start_pending: dict[str, int] = field(default_factory=dict)  # RequestStart's id -> its remoteStartId, unanswered
    clock_calls: set[str] = field(default_factory=set)  # the station's Heartbeats (their answers may set its clock)
    calls: dict[str, str | None] = field(default_factory=dict)  # station CALL id -> transactionId (None: Authorize)
    refused: set[str | None] = field(default_factory=set)  # transactions (None: any, by Authorize) refused an idToken


def parse_timestamp(value: Any) -> tuple[float, float] | None:
    """An OCPP dateTime -> (epoch seconds, resolution in seconds); None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a dateTime without offset: its instant is unknown
    time_part = value.split("T", 1)[-1]
    digits = 0
    if "." in time_part:
        fraction = time_part.split(".", 1)[1]
        digits = len(fraction) - len(fraction.lstrip("0123456789"))
    return moment.timestamp(), 10.0 ** -digits if digits else 1.0


class TransactionLedger:
    """Every TransactionEvent of the run's Charging Station(s), per station (connection identity) and transaction."""

    def __init__(self, *, max_time_deviation: float = DEFAULT_MAX_TIME_DEVIATION) -> None:
        self._stations: dict[str | None, _Station] = {}
        self.max_time_deviation = max_time_deviation  # timing.max_time_deviation: the offline rule's margin

    def _station(self, station: str | None) -> _Station:
        return self._stations.setdefault(station, _Station())

    # ------------------------------------------------------------------ what happened around the events
    def connected(self, station: str | None, wall: float | None) -> None:
        """The station's WebSocket connection opened (it is online: Part 2 "Offline")."""
        st = self._station(station)
        st.connections += 1
        st.opened = wall

    def disconnected(self, station: str | None, wall: float | None) -> None:
        """Its connection closed (it is offline until the next one opens)."""
        self._station(station).closed = wall

    def booted(self, station: str | None) -> None:
        """A BootNotification: the station may have set its clock (BootNotificationResponse.currentTime)."""
        self.clock_set(station)

    def clock_set(self, station: str | None) -> None:
        """The station may have stepped its clock (a BootNotification, a HeartbeatResponse's currentTime: G02.FR.06,
        a SetVariables of ClockCtrlr.DateTime, ...): the bound on its clock offset is learnt again."""
        st = self._station(station)
        st.clock_floor, st.floor_resolution = None, 0.0

    def connector_status(self, station: str | None, evse: Any, status: Any) -> None:
        """A status report of one of the station's EVSEs (StatusNotification, NotifyEvent AvailabilityState)."""
        if not isinstance(evse, int) or isinstance(evse, bool) or evse <= 0:
            return
        st = self._station(station)
        st.evses.add(evse)
        if status == "Available":
            st.idle.add(evse)

    def station_timestamp(self, station: str | None, value: Any, wall: float | None) -> None:
        """A message of the station stamped ``value`` (its clock) arrived at ``wall`` (ours): an event is not
        reported before it happens, so ``value - wall`` bounds the station's clock offset from below."""
        parsed = parse_timestamp(value)
        if parsed is None or wall is None:
            return
        st = self._station(station)
        offset = parsed[0] - wall
        if st.clock_floor is None or offset > st.clock_floor:
            st.clock_floor = offset
        st.floor_resolution = max(st.floor_resolution, parsed[1])

    def occurred_before(self, station: str | None, timestamp: Any) -> float | None:
        """The opening time of the station's current connection when the event stamped ``timestamp`` occurred while
        the station was offline, between the close of its previous connection and that opening, else None. The
        station's clock runs at least ``clock_floor`` ahead of ours (no message of it is stamped later than it
        arrived), so the event happened at or before ``timestamp - clock_floor`` on our clock; that moment must lie
        inside the offline period by a margin of the timestamps' resolution plus ``max_time_deviation`` on both
        sides (the floor is learnt again whenever the station may have set its clock). Without a close seen in this
        run, or without a floor, nothing is provable: None."""
        st = self._station(station)
        parsed = parse_timestamp(timestamp)
        if parsed is None or st.opened is None or st.closed is None or st.clock_floor is None:
            return None
        moment, resolution = parsed
        margin = max(resolution, st.floor_resolution) + self.max_time_deviation
        occurred = moment - st.clock_floor
        return st.opened if st.closed + margin < occurred < st.opened - margin else None

    def harness_request(self, station: str | None, message_id: str, action: str, payload: Any) -> None:
        """The harness (as CSMS) sent the station a CALL (RequestStart/StopTransaction are remembered, and pending
        until answered: the station may send the event they cause before its answer, Part 2 orders neither)."""
        if not isinstance(payload, dict):
            return
        st = self._station(station)
        if action in ("RequestStartTransaction", "RequestStopTransaction"):
            st.requests[message_id] = (action, payload)
        if action == "RequestStartTransaction" and isinstance(payload.get("remoteStartId"), int):
            st.start_pending[message_id] = payload["remoteStartId"]
        elif action == "RequestStopTransaction" and isinstance(payload.get("transactionId"), str):
            st.stop_pending[payload["transactionId"]] = message_id
            st.stop_reported.discard(payload["transactionId"])
        elif action == "SetVariables" and any(
                isinstance(item, dict) and (item.get("component") or {}).get("name") == "ClockCtrlr"
                and (item.get("variable") or {}).get("name") == "DateTime"
                for item in payload.get("setVariableData") or ()):
            st.requests[message_id] = (action, payload)

    def station_answer(self, station: str | None, message_id: str, payload: Any) -> None:
        """The station answered a CALL of the harness (``payload`` None: a CALLERROR)."""
        st = self._station(station)
        request = st.requests.pop(message_id, None)
        st.start_pending.pop(message_id, None)
        if request is None:
            return
        action, sent = request
        if action == "SetVariables":
            self.clock_set(station)  # it may have set its clock (whatever it answered: when in doubt, learn again)
            return
        if action == "RequestStopTransaction" and isinstance(sent.get("transactionId"), str):
            tid = sent["transactionId"]
            if st.stop_pending.get(tid) == message_id:
                st.stop_pending.pop(tid)
            reported = tid in st.stop_reported
            st.stop_reported.discard(tid)
            if isinstance(payload, dict) and payload.get("status") == "Accepted" and not reported \
                    and not self._ended(st, tid):
                st.stopping[tid] = message_id
            return
        if not isinstance(payload, dict) or payload.get("status") != "Accepted":
            return
        if isinstance(sent.get("remoteStartId"), int):
            st.remote_start_ids.add(sent["remoteStartId"])
        if isinstance(sent.get("idToken"), dict):
            st.remote_start_tokens.append(sent["idToken"])

    @staticmethod
    def _ended(st: _Station, transaction_id: str) -> bool:
        tx = st.transactions.get(transaction_id)
        return tx is not None and tx.ended is not None

    def station_call(self, station: str | None, message_id: str, action: str, payload: Any) -> None:
        """The station sent a CALL whose answer the ledger reads (Authorize, Heartbeat; TransactionEvent is
        remembered by :meth:`transaction_event`), or that reports its EVSEs' state."""
        st = self._station(station)
        if action == "Authorize":
            st.calls[message_id] = None
        elif action == "Heartbeat":
            st.clock_calls.add(message_id)
        elif action == "StatusNotification" and isinstance(payload, dict):
            self.connector_status(station, payload.get("evseId"), payload.get("connectorStatus"))
        elif action == "NotifyEvent" and isinstance(payload, dict):
            for item in payload.get("eventData") or ():
                if isinstance(item, dict) and (item.get("variable") or {}).get("name") == "AvailabilityState":
                    self.connector_status(station, ((item.get("component") or {}).get("evse") or {}).get("id"),
                                          item.get("actualValue"))

    def harness_answer(self, station: str | None, message_id: str, payload: Any) -> None:
        """The harness answered a CALL of the station: an idTokenInfo not Accepted is remembered (Deauthorized); a
        HeartbeatResponse's currentTime may set the station's clock (G02.FR.06)."""
        st = self._station(station)
        if message_id in st.clock_calls:
            st.clock_calls.discard(message_id)
            self.clock_set(station)
            return
        if message_id not in st.calls:
            return
        transaction = st.calls.pop(message_id)
        info = payload.get("idTokenInfo") if isinstance(payload, dict) else None
        if isinstance(info, dict) and info.get("status") not in (None, "Accepted"):
            st.refused.add(transaction)

    # ------------------------------------------------------------------ the events
    def transaction_event(self, station: str | None, message_id: str, payload: Any, *, ref: Any = None,
                          wall: float | None = None) -> list[TxFinding]:
        """Judge one TransactionEventRequest of the station; returns the invariants it breaks. A payload without
        the fields the judgement needs is left to the schema validation."""
        if not isinstance(payload, dict):
            return []
        info = payload.get("transactionInfo")
        seq_no, event_type = payload.get("seqNo"), payload.get("eventType")
        if not isinstance(info, dict) or not isinstance(info.get("transactionId"), str) \
                or not isinstance(seq_no, int) or isinstance(seq_no, bool) \
                or event_type not in ("Started", "Updated", "Ended"):
            return []
        st = self._station(station)
        self.station_timestamp(station, payload.get("timestamp"), wall)
        event = TxEvent(message_id, ref, event_type, seq_no, info["transactionId"], str(payload.get("triggerReason")),
                        payload.get("offline") is True, payload, st.connections, len(st.received))
        st.received.append(event)
        st.calls[message_id] = event.transaction_id
        findings: list[TxFinding] = []
        tx = st.transactions.get(event.transaction_id)
        earlier = tx.seen.get(seq_no) if tx is not None else None
        if earlier is not None and earlier.content == event.content:  # the same message again: a retry
            findings += self._offline_flag(station, event, earlier)
            return findings
        if tx is None:
            tx = self._first_event(st, event, findings)
        elif earlier is not None:
            findings.append(TxFinding("transaction-seqno-repeated", f"seqNo {tx.last.seq_no + 1 if tx.last else '?'} "
                                      f"(one more than the last) or the same message again (a retry)",
                                      f"{event.describe()} reuses seqNo {seq_no} of the different earlier "
                                      f"{earlier.describe()}", event, earlier))
        else:
            self._order(st, tx, event, findings)
        if earlier is None:
            tx.seen[seq_no] = event
            if tx.last is None or seq_no > tx.last.seq_no:
                tx.last = event
        if event_type == "Started" and tx.started is None:
            tx.started = event
        if event_type == "Ended" and tx.ended is None:
            tx.ended = event
        evse = payload.get("evse")
        if isinstance(evse, dict) and isinstance(evse.get("id"), int):
            tx.evse = evse["id"]
            st.evses.add(evse["id"])
        if tx.ended is not None and tx.evse is not None:
            st.idle.add(tx.evse)
        findings += self._offline_flag(station, event)
        findings += self._content(st, tx, event)
        return findings

    def _first_event(self, st: _Station, event: TxEvent, findings: list[TxFinding]) -> _Transaction:
        tx = st.transactions[event.transaction_id] = _Transaction(event.transaction_id, first=event)
        if event.event_type == "Started" or event.offline:
            return tx  # an offline event's Started may have been delivered before the run
        evse = event.payload.get("evse")
        evse_id = evse.get("id") if isinstance(evse, dict) else None
        latest: dict[int | None, _Transaction] = {}  # per EVSE, its transaction started last (E01.FR.14: one at a time)
        for t in st.transactions.values():
            if t is not tx and t.started is not None:
                latest[t.evse] = t
        continued = [t for t in latest.values()
                     if t.ongoing and t.last is not None and t.last.seq_no + 1 == event.seq_no
                     and (evse_id is None or t.evse is None or t.evse == evse_id)]
        if len(continued) == 1:
            old = continued[0]
            findings.append(TxFinding("transaction-id-changed", f"transactionId {old.id!r} (its transaction has not "
                                      f"ended)", f"{event.describe()} continues the seqNo of transaction {old.id!r} "
                                      f"(last: {old.last.describe()}) under another transactionId", event, old.last))
        elif self._seen_idle(st, evse_id):
            findings.append(TxFinding("transaction-started-first", "eventType Started for the first event of a "
                                      "transaction", f"the first event of transaction {event.transaction_id!r} is "
                                      f"{event.describe()}", event))
        return tx

    @staticmethod
    def _seen_idle(st: _Station, evse: Any) -> bool:
        """Whether the transaction of a first event on ``evse`` (None: not named) began in this run: that EVSE (when
        not named, every EVSE the station reported) was seen without a transaction before (a status Available, the
        Ended of an earlier transaction). A transaction that began before the run (an earlier run's, another CSMS's)
        sends its Updated/Ended events online, and its Started was never ours to see."""
        if isinstance(evse, int) and not isinstance(evse, bool):
            return evse in st.idle
        return bool(st.evses) and st.evses <= st.idle

    def _order(self, st: _Station, tx: _Transaction, event: TxEvent, findings: list[TxFinding]) -> None:
        """An event with a seqNo not received before, of a known transaction."""
        seq_no, last = event.seq_no, tx.last
        if tx.ended is not None and (event.event_type == "Ended" or seq_no > tx.ended.seq_no):
            what = "a second Ended" if event.event_type == "Ended" else "an event after Ended"
            findings.append(TxFinding("transaction-ended-last", "no event of the transaction after its Ended",
                                      f"{what}: {event.describe()} after {tx.ended.describe()}", event, tx.ended))
            return
        if event.event_type == "Ended" and last is not None and seq_no < last.seq_no:
            findings.append(TxFinding("transaction-ended-last", "Ended with the highest seqNo of the transaction",
                                      f"{event.describe()} is below the seqNo of the earlier {last.describe()}",
                                      event, last))
            return
        if event.event_type == "Started":
            if tx.started is not None:
                findings.append(TxFinding("transaction-one-started", "one Started per transaction (all others "
                                          "Updated)", f"a second Started: {event.describe()} after "
                                          f"{tx.started.describe()}", event, tx.started))
                return
            below = min(tx.seen)
            if below < seq_no:
                findings.append(TxFinding("transaction-started-first", "Started with the lowest seqNo of the "
                                          "transaction", f"{event.describe()} is above the seqNo of the earlier "
                                          f"{tx.seen[below].describe()}", event, tx.seen[below]))
            return
        if tx.started is not None and seq_no < tx.started.seq_no:
            findings.append(TxFinding("transaction-started-first", "Started with the lowest seqNo of the transaction",
                                      f"{event.describe()} is below the seqNo of {tx.started.describe()}",
                                      event, tx.started))
            return
        if last is None or seq_no <= last.seq_no + 1:
            return  # the next one, or a late one filling a gap (out of order after a failed delivery, E §1.3.2)
        missing = set(range(last.seq_no + 1, seq_no))
        if event.offline or last.offline or event.connection != last.connection:
            return  # dropped offline (E04.FR.07, E11.FR.04, E12.FR.04) or discarded (E13.FR.04)
        others = {e.seq_no for e in st.received[last.arrival + 1:event.arrival] if e.transaction_id != tx.id}
        if missing <= others:
            return  # a station-wide counter (continuously increasing seqNo, E §1.3.2.1)
        shown = ", ".join(str(n) for n in sorted(missing)[:5]) + (" ..." if len(missing) > 5 else "")
        findings.append(TxFinding("transaction-seqno-gap", f"seqNo {last.seq_no + 1} (one more than the last)",
                                  f"{event.describe()} follows {last.describe()}: seqNo {shown} never sent, "
                                  f"while the station stayed online", event, last))

    def _offline_flag(self, station: str | None, event: TxEvent, earlier: TxEvent | None = None) -> list[TxFinding]:
        if event.offline:
            return []
        if earlier is not None and earlier.connection != event.connection:  # E11.FR.07: queued when it went offline
            return [TxFinding("transaction-offline-flag", "offline = true",
                              f"{event.describe()} repeats the message first sent on an earlier connection (still "
                              f"queued when that connection closed), but offline is "
                              f"{event.payload.get('offline', '<absent>')}", event, earlier)]
        opened = self.occurred_before(station, event.payload.get("timestamp"))
        if opened is None:
            return []
        when = datetime.fromtimestamp(opened, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return [TxFinding("transaction-offline-flag", "offline = true",
                          f"{event.describe()} occurred at {event.payload.get('timestamp')}, before the connection "
                          f"that delivered it opened ({when}), but offline is "
                          f"{event.payload.get('offline', '<absent>')}", event)]

    def _content(self, st: _Station, tx: _Transaction, event: TxEvent) -> list[TxFinding]:
        """The rules over one event's own fields (and what the harness asked for)."""
        findings: list[TxFinding] = []
        payload, trigger = event.payload, event.trigger
        info = payload["transactionInfo"]
        state = info.get("chargingState")
        if not tx.ev_connected and (state in EV_CONNECTED_STATES or trigger == "CablePluggedIn"):
            tx.ev_connected = True
            complete = tx.started is not None and all(n in tx.seen for n in range(tx.started.seq_no, event.seq_no))
            evse = payload.get("evse")
            if complete and not (isinstance(evse, dict) and "id" in evse and "connectorId" in evse):
                findings.append(TxFinding("transaction-evse", "evse.id and evse.connectorId",
                                          f"{event.describe()} is the first event with the EV connected "
                                          f"(chargingState {state}) and has evse "
                                          f"{evse if evse is not None else '<absent>'}",
                                          event, tx.started))
        if trigger in ("Authorized", "RemoteStart") and "idToken" not in payload:
            findings.append(TxFinding("transaction-id-token", "idToken", f"{event.describe()} has no idToken", event))
        if trigger == "RemoteStart":
            remote_id = info.get("remoteStartId")
            if remote_id is None:
                findings.append(TxFinding("transaction-remote-start-id", "transactionInfo.remoteStartId",
                                          f"{event.describe()} has no remoteStartId", event))
            elif st.remote_start_ids and remote_id not in st.remote_start_ids \
                    and remote_id not in st.start_pending.values():
                findings.append(TxFinding("transaction-remote-start-id", "remoteStartId one of "
                                          f"{sorted(st.remote_start_ids)} (the accepted RequestStartTransaction)",
                                          f"{event.describe()} has remoteStartId {remote_id}", event))
        if event.event_type == "Ended" and trigger in NOT_LOCAL_TRIGGERS:
            reason = info.get("stoppedReason")
            if reason is None:
                findings.append(TxFinding("transaction-stopped-reason", "stoppedReason (the transaction was not "
                                          "ended by the EV Driver at the station)",
                                          f"{event.describe()} has no stoppedReason", event))
            elif trigger == "RemoteStop" and reason != "Remote":
                findings.append(TxFinding("transaction-stopped-reason", "stoppedReason Remote",
                                          f"{event.describe()} has stoppedReason {reason}", event))
        if trigger == "Deauthorized" and tx.id not in st.refused and None not in st.refused:
            findings.append(TxFinding("transaction-deauthorized", "an earlier TransactionEventResponse of the "
                                      "transaction (or AuthorizeResponse) with idTokenInfo.status not Accepted",
                                      f"{event.describe()} although the harness accepted every idToken it was asked "
                                      f"about (for an EV-side disconnect or a cable-plugin timeout Part 2 has its own "
                                      f"triggers: EVCommunicationLost, EVConnectTimeout)", event))
        if trigger == "RemoteStop" and tx.id in st.stop_pending:
            st.stop_reported.add(tx.id)  # the event came before the station's answer: the stop is reported
        if tx.id in st.stopping:
            if trigger == "RemoteStop":
                st.stopping.pop(tx.id)
            elif event.event_type == "Ended":
                st.stopping.pop(tx.id)
                findings.append(TxFinding("transaction-remote-stop", "triggerReason RemoteStop (the station accepted "
                                          "RequestStopTransaction for this transaction)",
                                          f"{event.describe()} ends it without an event with triggerReason RemoteStop",
                                          event))
        return findings


class TransactionRecords:
    """Feeds a :class:`TransactionLedger` from event-log records (the JSON objects of ``events.jsonl``; ``validate``
    builds the same for bare frames). Only a Charging Station SUT's traffic is judged: frames recorded by the
    harness as CSMS (``local_role`` "CSMS", or unknown), ``direction`` "in" (or unknown) for the station's."""

    def __init__(self) -> None:
        self.ledger = TransactionLedger()

    def observe(self, record: dict[str, Any]) -> list[TxFinding]:
        kind = record.get("kind")
        if kind == "session_start":
            timing = (record.get("config") or {}).get("timing") or {}
            deviation = timing.get("max_time_deviation")
            self.ledger = TransactionLedger(max_time_deviation=float(deviation) if isinstance(
                deviation, (int, float)) and not isinstance(deviation, bool) else DEFAULT_MAX_TIME_DEVIATION)
            return []
        if record.get("local_role") not in (None, "CSMS"):
            return []
        station, wall = record.get("connection"), record.get("wall")
        if kind == "connection":
            if record.get("event") == "opened":
                self.ledger.connected(station, wall)
            elif record.get("event") == "closed":
                self.ledger.disconnected(station, wall)
            return []
        if kind not in (None, "frame") or record.get("deliberate") or not isinstance(record.get("raw"), str):
            return []
        try:
            frame = parse_frame(record["raw"])
        except FrameError:
            return []
        direction = record.get("direction")
        from_station = direction in ("in", None)
        if isinstance(frame, Call):
            if frame.action == ACTION and from_station:
                return self.ledger.transaction_event(station, frame.message_id, frame.payload,
                                                     ref=record.get("frame_index", record.get("line")), wall=wall)
            if frame.action in ("Authorize", "Heartbeat", "StatusNotification", "NotifyEvent") and from_station:
                self.ledger.station_call(station, frame.message_id, frame.action, frame.payload)
            if frame.action == "BootNotification" and from_station:
                self.ledger.booted(station)
            elif frame.action in _TIMESTAMPED and from_station and isinstance(frame.payload, dict):
                self.ledger.station_timestamp(station, frame.payload.get(_TIMESTAMPED[frame.action]), wall)
            elif direction in ("out", None):
                self.ledger.harness_request(station, frame.message_id, frame.action, frame.payload)
        elif isinstance(frame, (CallResult, CallError)):
            payload = frame.payload if isinstance(frame, CallResult) else None
            if direction in ("out", None) and payload is not None:
                self.ledger.harness_answer(station, frame.message_id, payload)
            if from_station:
                self.ledger.station_answer(station, frame.message_id, payload)
        return []
