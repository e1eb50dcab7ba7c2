"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

connector status notification on a lock failure (G05).
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

from conformance.harness import ChargingStationUnderTest, Satisfies, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive, NotApplicable
from conformance.protocol.variables import ACTIVE_MONITORING_LEVEL, EV_CONNECTION_TIMEOUT
from conformance.transport.connection import Connection

from ._steps import configured_connector


# --------------------------------------------------------------------------- lock failure (G05)
def _lock_problem_true(event: dict) -> bool:
    """A ConnectorPlugRetentionLock Problem event reporting the problem (a value other than "false": Part 2's
    boolean allows only "true" / "false", the check on the selected event says which)."""
    return (event.get("component", {}).get("name") == "ConnectorPlugRetentionLock"
            and event.get("variable", {}).get("name") == "Problem" and str(event.get("actualValue")) != "false")


async def _lock_component(station: ChargingStationUnderTest, evse: int, connector: int) -> dict[str, Any] | None:
    """Prerequisite 1: ConnectorPlugRetentionLock.Problem in the device model, of the connector, of the EVSE or
    (a single lock) of the station."""
    for component in ({"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
                      {"name": "ConnectorPlugRetentionLock", "evse": {"id": evse}},
                      {"name": "ConnectorPlugRetentionLock"}):
        if await station.read_variable({"component": component, "variable": {"name": "Problem"}}) is not None:
            return component
    return None


@contextlib.asynccontextmanager
async def _monitoring_level(station: ChargingStationUnderTest) -> AsyncIterator[None]:
    """Prerequisite 2: "MonitoringLevel is set to a level that a connector lock failure will be reported". The
    level (MonitoringCtrlr.ActiveMonitoringLevel, N05) is set to the configured severity by SetMonitoringLevel
    unless it already reports that severity, and set back afterwards. A station without monitoring levels
    (CALLERROR NotImplemented / NotSupported) restricts nothing (noted); Rejected makes the case INCONCLUSIVE."""
    wanted = station.config.configured.lock_failure_monitoring_level
    active = await station.read_variable(ACTIVE_MONITORING_LEVEL)
    level = int(active) if active is not None and active.strip().isdigit() else None
    if level is not None and level >= wanted:
        station.note(f"MonitoringLevel {level} already reports severity {wanted} (prerequisite)")
        yield
        return
    response = await station.call("SetMonitoringLevel", {"severity": wanted})
    if not response.ok:
        station.note(f"the station has no MonitoringLevel to set ({response.describe()}): nothing restricts the "
                     "reporting of the lock failure (prerequisite)")
        yield
        return
    if response.payload.get("status") != "Accepted":
        raise Inconclusive(f"prerequisite of TC_G_20_CS not met: SetMonitoringLevel severity {wanted} answered "
                           f"{response.payload}")
    station.note(f"MonitoringLevel set to {wanted} for the case (was {active if active is not None else 'unknown'})")
    try:
        yield
    finally:
        if level is None:
            station.note("the previous MonitoringLevel could not be read: it is left at "
                         f"{wanted}")
        else:
            back = await station.call("SetMonitoringLevel", {"severity": level})
            restored = back.ok and back.payload.get("status") == "Accepted"
            station.note(f"restored: MonitoringLevel {level}" if restored else
                         f"could not restore MonitoringLevel {level}: {back.payload if back.ok else back.describe()}")


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _record_transaction(conn: Connection, tx: states.Transaction) -> None:
    """A transaction the station started anyway (allowed: G05 forbids charging, and Part 6 lets TxStartPoint
    start one), recorded so that the restore ends it."""
    for incoming in conn.mailbox[tx.since:]:
        if incoming.action != "TransactionEvent" or incoming in tx.events:
            continue
        payload = incoming.payload
        if tx.transaction_id is None and payload.get("eventType") == "Started" \
                and payload.get("evse", {}).get("id") == tx.evse:
            tx.record(incoming)
        elif tx.transaction_id is not None and \
                payload.get("transactionInfo", {}).get("transactionId") == tx.transaction_id:
            tx.record(incoming)


@case
async def test_tc_g_20_cs(station: ChargingStationUnderTest) -> None:
    """With the EV plugged in so that the connector's retention lock cannot lock, authorizing makes the station
    report ConnectorPlugRetentionLock.Problem by NotifyEvent, and it does not start charging.

    Part 6 steps / validations implemented:
    - prerequisite 1: ConnectorPlugRetentionLock.Problem in the device model (connector, EVSE or station), else
      NOT APPLICABLE;
    - prerequisite 2: MonitoringLevel reports the configured severity (``configured.lock_failure_monitoring_level``,
      set by SetMonitoringLevel and restored; Rejected: INCONCLUSIVE);
    - Before, EVConnectedPreSession with a plug that cannot lock: the connector reported Occupied (G01.FR.03); a
      Started event is accepted, not required;
    - step 1, reusable state Authorized: AuthorizeRequest checked when sent (C01.FR.02); a TransactionEventRequest
      is accepted, not required (G05 postcondition "transaction is not started");
    - step 2 tool validation: NotifyEventRequest trigger Delta, ConnectorPlugRetentionLock, Problem, "true"
      (G05.FR.02), taken from the plug-in on (Part 2 does not fix when the lock is tried);
    - post-scenario: the station did not start charging (G05.FR.01), watched for ``configured.lock_failure_watch``
      (default the station's EVConnectionTimeOut) through every message that shows charging."""
    evse, connector = configured_connector(station)
    if await _lock_component(station, evse, connector) is None:
        raise NotApplicable("the station has no ConnectorPlugRetentionLock.Problem in its device model "
                            "(prerequisite of TC_G_20_CS)")
    window = station.config.configured.lock_failure_watch
    if window is None:
        timeout = await station.read_variable(EV_CONNECTION_TIMEOUT, note_unreadable=True)
        window = _number(timeout) if _number(timeout) is not None else station.message_timeout
        station.note(f"'did not start charging' is watched for {window:g}s (TxCtrlr.EVConnectionTimeOut: "
                     f"{timeout if timeout is not None else 'not read, the message timeout instead'})")
    async with _monitoring_level(station), states.transactions_ended_afterwards(station):
        conn = station.connection
        plugged = conn.mark()
        # Before: EVConnectedPreSession with a plug that cannot be locked.
        await station.actions.do("connector_lock_failure", evse=evse, connector=connector)
        tx = await states.ev_connected_transaction(station, evse, connector, require_tx=False)
        authorized_at = conn.mark()
        try:
            await states.authorized(station, evse, connector, tx=tx, require_tx=False)
            # The lock-failure event is found by its content (G05.FR.02: variable Problem, value true); other events
            # of the lock (another variable, Problem false) are recorded, not taken for it.
            notify = await conn.expect_call(
                "NotifyEvent", since=plugged, requirements=("G05.FR.02", "Part 6 TC_G_20_CS tool validation step 2"),
                eventData=Satisfies(lambda data: any(_lock_problem_true(e) for e in data),
                                    "a ConnectorPlugRetentionLock Problem event with actualValue true"))
            event = next(e for e in notify.payload["eventData"] if _lock_problem_true(e))
            # Part 2 data type boolean: only "false" and "true" are allowed, so the value is compared exactly.
            station.check.fields("NotifyEventRequest ConnectorPlugRetentionLock event (Part 6 TC_G_20_CS tool "
                                 "validation step 2)", event, {
                                     "trigger": "Delta", "component.name": "ConnectorPlugRetentionLock",
                                     "variable.name": "Problem", "actualValue": "true"},
                                 requirements=("G05.FR.02", "Part 6 TC_G_20_CS tool validation step 2"))
            await states.watch_no_charging(
                station, conn, evse, authorized_at, window, what="the authorization",
                name="post-scenario validation (Part 6): the station did not start charging",
                requirements=("G05.FR.01", "Part 6 TC_G_20_CS post-scenario validation"))
        finally:
            _record_transaction(conn, tx)
