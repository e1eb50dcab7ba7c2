"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

Status reports: Part 6 accepts a StatusNotification or a NotifyEvent AvailabilityState (component
Connector) per connector; NotifyEvent AvailabilityState of the EVSE or the station itself is optional and
checked when sent. Every case leaves the station Operative (``availability_restored``).

Where Part 6 starts from "State is Unavailable" and then asks for Inoperative again (TC_G_10/16_CS), its
post-scenario "state of all connectors reported" is met by the reports of that reusable state. TC_G_18_CS
reaches the Inoperative EVSE with the reusable state Unavailable (its steps 1-3), then reboots.

TC_G_12_CS, TC_G_13_CS and TC_G_15_CS (a request for the availability the scope already has) check Part 6's
post-scenario validation, a status report of every connector of the scope, although Part 2 asks for reports
of changed connectors only (G03.FR.04) or "when an availability change request has happened" (G04.FR.05): the
check says so. TC_G_11/14/17_CS (Scheduled during a transaction) run the station-side transaction reusable
states (EnergyTransferStarted, StopAuthorized, EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied)
whatever the station's TxStartPoint / TxStopPoint; Part 6's "all connectors" post-scenario validation is read
as all connectors of the request's scope (the others are not changed by it). TC_G_20_CS uses the action
``connector_lock_failure`` before plugging in.

G02 Heartbeat has no Part 6 case for the station: X_G_02_CS is ours.
"""

from conformance.harness import ChargingStationUnderTest, Satisfies, case, reusable_state
from conformance.harness.reusable_states import (StationTransaction, authorized, availability_restored,
                                                 change_availability, energy_transfer_started,
                                                 ev_connected_post_session, ev_connected_pre_session,
                                                 ev_connected_transaction, ev_disconnected, ev_unplugged_afterwards,
                                                 expect_availability_reports, parking_bay_unoccupied,
                                                 scope_connectors, stop_authorized, transactions_ended_afterwards,
                                                 unavailable)
from conformance.outcomes import NotApplicable
from conformance.transport.connection import IncomingCall

EVSE_REPORTS = ("G03.FR.04", "G03.FR.06", "G01.FR.07")
EVSE_BACK = ("G03.FR.04", "G03.FR.07", "G01.FR.07")
STATION_REPORTS = ("G04.FR.05", "G04.FR.07", "G01.FR.07")
STATION_BACK = ("G04.FR.05", "G04.FR.08", "G01.FR.07")
EVSE_ANSWER = ("G03.FR.01", "G03.FR.02")
STATION_ANSWER = ("G04.FR.02", "G04.FR.03")


def configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


@case("TC_G_01_CS")
async def test_tc_g_01_cs(station: ChargingStationUnderTest) -> None:
    """Plugging an EV in makes the station report the connector Occupied."""
    evse, connector = configured_connector(station)
    async with ev_unplugged_afterwards(station, evse, connector) as restore:
        restore.pending.append((evse, connector))
        await ev_connected_pre_session(station, evse, connector, requirements=("G01.FR.03", "G01.FR.01"))


@case("TC_G_02_CS")
async def test_tc_g_02_cs(station: ChargingStationUnderTest) -> None:
    """Unplugging the EV makes the station report the connector Available again."""
    evse, connector = configured_connector(station)
    async with ev_unplugged_afterwards(station, evse, connector) as restore:
        restore.pending.append((evse, connector))
        await ev_connected_pre_session(station, evse, connector, requirements=("G01.FR.03", "G01.FR.01"))
        conn = station.connection
        mark = conn.mark()
        await station.actions.do("unplug", evse=evse, connector=connector)
        restore.pending.clear()
        await expect_availability_reports(station, conn, {(evse, connector): "Available"},
                                          requirements=("G01.FR.04", "G01.FR.01"),
                                          what="the unplugged connector is reported Available", since=mark)


@case("TC_G_03_CS")
async def test_tc_g_03_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE set Inoperative answers Accepted and reports each of its connectors Unavailable."""
    evse, _ = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)


@case("TC_G_04_CS")
async def test_tc_g_04_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative EVSE set Operative answers Accepted and reports each of its connectors Available."""
    evse, _ = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        conn = station.connection
        mark = conn.mark()
        await change_availability(station, "Operative", evse=evse, requirements=EVSE_ANSWER)
        restore.pending.clear()
        await expect_availability_reports(station, conn, {k: "Available" for k in scope_connectors(station, evse)},
                                          requirements=EVSE_BACK,
                                          what="every connector of the EVSE is reported Available again", since=mark)


@case("TC_G_05_CS")
async def test_tc_g_05_cs(station: ChargingStationUnderTest) -> None:
    """The station set Inoperative answers Accepted and reports every connector Unavailable."""
    async with availability_restored(station) as restore:
        restore.pending.append((None, None))
        await unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)


@case("TC_G_06_CS")
async def test_tc_g_06_cs(station: ChargingStationUnderTest) -> None:
    """The Inoperative station set Operative answers Accepted and reports every connector Available."""
    async with availability_restored(station) as restore:
        restore.pending.append((None, None))
        await unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)
        conn = station.connection
        mark = conn.mark()
        await change_availability(station, "Operative", requirements=STATION_ANSWER)
        restore.pending.clear()
        await expect_availability_reports(station, conn, {k: "Available" for k in station.connectors},
                                          requirements=STATION_BACK,
                                          what="every connector is reported Available again", since=mark)


@case("TC_G_07_CS")
async def test_tc_g_07_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative answers Accepted and is reported Unavailable."""
    evse, connector = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                          report_requirements=("G03.FR.04", "G01.FR.07"))


@case("TC_G_08_CS")
async def test_tc_g_08_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative connector set Operative answers Accepted and is reported Available."""
    evse, connector = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                          report_requirements=("G03.FR.04", "G01.FR.07"))
        conn = station.connection
        mark = conn.mark()
        await change_availability(station, "Operative", evse=evse, connector=connector, requirements=EVSE_ANSWER)
        restore.pending.clear()
        await expect_availability_reports(station, conn, {(evse, connector): "Available"},
                                          requirements=("G03.FR.04", "G01.FR.07"),
                                          what="the connector is reported Available again", since=mark)


@case("TC_G_09_CS")
async def test_tc_g_09_cs(station: ChargingStationUnderTest) -> None:
    """An Operative EVSE asked to become Operative answers Accepted."""
    evse, _ = configured_connector(station)
    await change_availability(station, "Operative", evse=evse, requirements=EVSE_ANSWER + ("G03.FR.03",))


@case("TC_G_10_CS")
async def test_tc_g_10_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative EVSE asked to become Inoperative answers Accepted."""
    evse, _ = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, None))
        # Charging State Unavailable: its reports are the post-scenario "state of all connectors" reports.
        await unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        await change_availability(station, "Inoperative", evse=evse, requirements=EVSE_ANSWER + ("G03.FR.03",))


@case("TC_G_16_CS")
async def test_tc_g_16_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative connector asked to become Inoperative answers Accepted."""
    evse, connector = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                          report_requirements=("G03.FR.04", "G01.FR.07"))
        await change_availability(station, "Inoperative", evse=evse, connector=connector,
                                  requirements=EVSE_ANSWER + ("G03.FR.03",))


def _after_reboot(station: ChargingStationUnderTest, inoperative: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    return {k: "Unavailable" if k in inoperative else "Available" for k in station.connectors}


@case("TC_G_18_CS")
async def test_tc_g_18_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE set Inoperative is still reported Unavailable after a reboot, the others Available."""
    evse, _ = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        await reusable_state.booted(station, statuses=_after_reboot(station, scope_connectors(station, evse)),
                                    status_requirements=("G03.FR.08", "G01.FR.02", "G01.FR.01", "B01.FR.05"))


@case("TC_G_19_CS")
async def test_tc_g_19_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative is still reported Unavailable after a reboot, the others Available."""
    evse, connector = configured_connector(station)
    async with availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                          report_requirements=("G03.FR.04", "G01.FR.07"))
        await reusable_state.booted(station, statuses=_after_reboot(station, [(evse, connector)]),
                                    status_requirements=("G03.FR.08", "B01.FR.05"))


@case("TC_G_21_CS")
async def test_tc_g_21_cs(station: ChargingStationUnderTest) -> None:
    """The station set Inoperative reports every connector Unavailable after a reboot."""
    async with availability_restored(station) as restore:
        restore.pending.append((None, None))
        await unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)
        await reusable_state.booted(station, statuses=_after_reboot(station, station.connectors),
                                    status_requirements=("G04.FR.09", "B01.FR.05"))


@case("X_G_02_CS", title="Heartbeat at the interval of the BootNotificationResponse", use_cases=("G02",),
      requirements=("G02.FR.01", "G02.FR.02", "B01.FR.04"),
      # a power cycle, the boot, its reports, then one heartbeat interval (300 s on a real station's CSMS)
      time_needed=lambda t: t.action_timeout + t.connect_timeout + 3 * t.message_timeout + t.heartbeat_interval
      + t.max_time_deviation)
async def test_x_g_02_cs(station: ChargingStationUnderTest) -> None:
    """After an accepted boot the station sends its first Heartbeat one interval (as the CSMS gave it) after
    the boot, or after its last other message if it resets the timer on every message (G02.FR.05)."""
    station.require_profiles("Core", reason="G02 Heartbeat belongs to Core; Part 5 does not list our own case")
    boot = await reusable_state.booted(station)
    answer = boot.boot.response
    interval = answer["interval"] if isinstance(answer, dict) else station.config.timing.heartbeat_interval
    conn = boot.connection
    requirements = ("G02.FR.01", "G02.FR.02", "B01.FR.04")
    station.protocol_wait(interval, "the heartbeat interval of the BootNotificationResponse")
    heartbeat = await station.expect_call("Heartbeat", connection=conn, requirements=requirements,
                                          timeout=interval + station.tolerance + station.message_timeout)
    # The timer starts with the accepted boot (G02.FR.01) or, recommended, restarts with every message sent.
    last = max((c for c in conn.mailbox if c.received_mono < heartbeat.received_mono), key=lambda c: c.received_mono)
    starts = {"the accepted BootNotification": boot.boot.received_mono, f"the last {last.action}": last.received_mono}
    reference, started = min(starts.items(), key=lambda item: abs(heartbeat.received_mono - item[1] - interval))
    station.check.timing(f"time from {reference} to the first HeartbeatRequest (interval {interval} s)",
                         heartbeat.received_mono - started, required=interval, tolerance=station.tolerance,
                         requirements=requirements)


# --------------------------------------------------------------------------- change during a transaction (G11/14/17)
def _unavailable_reported(incoming: IncomingCall, key: tuple[int, int]) -> bool:
    """Whether a StatusNotification / NotifyEvent AvailabilityState reports connector ``key`` (or its EVSE, or
    the station) Unavailable."""
    if incoming.action == "StatusNotification":
        return ((incoming.payload.get("evseId"), incoming.payload.get("connectorId")) == key
                and incoming.payload.get("connectorStatus") == "Unavailable")
    if incoming.action != "NotifyEvent":
        return False
    for event in incoming.payload.get("eventData", []):
        component = event.get("component", {})
        where = component.get("evse", {})
        if event.get("variable", {}).get("name") != "AvailabilityState" or event.get("actualValue") != "Unavailable":
            continue
        if component.get("name") == "ChargingStation" or (where.get("id") == key[0]
                                                          and where.get("connectorId") in (None, key[1])):
            return True
    return False


async def _scheduled_until_transaction_ends(station: ChargingStationUnderTest, tx: StationTransaction, *,
                                            evse: int | None, connector: int | None,
                                            answer: tuple[str, ...], reports: tuple[str, ...],
                                            others: tuple[str, ...] = ()) -> None:
    """The shared main part of TC_G_11/14/17_CS. While ``tx`` charges, ChangeAvailability Inoperative for the
    scope must be answered Scheduled; connectors of the scope on EVSEs without a transaction are reported
    Unavailable at once (``others``, TC_G_14 step 3); the transaction is then stopped through StopAuthorized,
    EVConnectedPostSession, EVDisconnected and ParkingBayUnoccupied, and right after the state that ended it
    the scope's connectors of the transaction's EVSE must be reported Unavailable (G01.FR.05 when it was the
    unplugging). Until then the transaction's connector must not be reported Unavailable. Post-scenario
    validation: every connector of the scope has been reported (Part 6 reads "all connectors"; connectors
    outside the scope are not changed by the request and are not required to report, G03.FR.04)."""
    conn = station.connection
    scope = scope_connectors(station, evse, connector)
    own = [k for k in scope if k[0] == tx.evse]
    mark = conn.mark()
    await change_availability(station, "Inoperative", evse=evse, connector=connector, status="Scheduled",
                              requirements=answer)
    reported: set[tuple[int, int]] = set()
    idle = {k: "Unavailable" for k in scope if k[0] != tx.evse}
    if idle:
        reported |= set(await expect_availability_reports(
            station, conn, idle, requirements=others, since=mark,
            what="the connectors of the EVSEs without a transaction are reported Unavailable at once"))
    steps = [("StopAuthorized", lambda: stop_authorized(station, tx)),
             ("EVConnectedPostSession", lambda: ev_connected_post_session(station, tx)),
             ("EVDisconnected", None),
             ("ParkingBayUnoccupied", lambda: parking_bay_unoccupied(station, tx))]
    starts: list[tuple[int, str]] = []
    for name, step in steps:
        starts.append((conn.mark(), name))
        if step is None:  # EVDisconnected: the unplugged connector is reported Unavailable if that ended it
            await ev_disconnected(station, tx, status="Unavailable", report=not tx.ended,
                                  status_requirements=("G01.FR.05",) + reports)
        else:
            await step()
        if tx.ended:
            break
    if tx.ended:
        # The state during which the Ended event arrived (a station may end the transaction a little later than
        # the state that caused it is followed by the helpers), and its start in the mailbox.
        ended = next(e for e in tx.events if e.payload.get("eventType") == "Ended")
        position = next((i for i, c in enumerate(conn.mailbox) if c is ended), len(conn.mailbox))
        start, name = max((m, n) for m, n in starts if m <= position)
        early = [c for c in conn.mailbox[mark:start] if any(_unavailable_reported(c, k) for k in own)]
        station.check.that("the connector of the ongoing transaction is not reported Unavailable before the "
                           "transaction ends", not early, expected="no Unavailable report while charging",
                           actual=[f"{c.action} {c.payload}" for c in early], requirements=answer)
        unplugged = name == "EVDisconnected"  # reported by ev_disconnected already (G01.FR.05)
        pending = {k: "Unavailable" for k in own if not (unplugged and k == (tx.evse, tx.connector))}
        if pending:
            reported |= set(await expect_availability_reports(
                station, conn, pending, requirements=reports, since=start,
                what=f"after {name} ended the transaction, the connectors of its EVSE in the scope are reported "
                     f"Unavailable"))
        if unplugged:
            reported.add((tx.evse, tx.connector))
    if not tx.ended:
        station.check.that("the transaction has ended after EVDisconnected / ParkingBayUnoccupied", False,
                           expected="TransactionEventRequest eventType Ended",
                           actual=[e.payload.get("eventType") for e in tx.events], requirements=("E06.FR.02",))
    if tx.plugged:  # ended before the unplugging: the EV leaves now; the connector stays Unavailable
        await ev_disconnected(station, tx, report=False)
    station.check.that("post-scenario validation (Part 6): a status report has been received for every "
                       "connector of the scope", set(scope) <= reported, expected=sorted(scope),
                       actual=sorted(reported), requirements=reports)


@case("TC_G_11_CS")
async def test_tc_g_11_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE with a charging transaction asked to become Inoperative answers Scheduled; its connectors are
    reported Unavailable once the transaction has ended."""
    evse, connector = configured_connector(station)
    async with availability_restored(station) as restore, transactions_ended_afterwards(station):
        tx = await energy_transfer_started(station, evse, connector)
        restore.pending.append((evse, None))
        await _scheduled_until_transaction_ends(station, tx, evse=evse, connector=None,
                                                answer=("G03.FR.01", "G03.FR.02", "G03.FR.05"),
                                                reports=("G03.FR.04", "G03.FR.05", "G03.FR.06", "G01.FR.07"))


@case("TC_G_14_CS")
async def test_tc_g_14_cs(station: ChargingStationUnderTest) -> None:
    """The station asked to become Inoperative while one EVSE charges answers Scheduled: the other EVSEs'
    connectors are reported Unavailable at once, the charging EVSE's once its transaction has ended."""
    evse, connector = configured_connector(station)
    async with availability_restored(station) as restore, transactions_ended_afterwards(station):
        tx = await energy_transfer_started(station, evse, connector)
        restore.pending.append((None, None))
        await _scheduled_until_transaction_ends(station, tx, evse=None, connector=None,
                                                answer=("G04.FR.02", "G04.FR.03", "G04.FR.06"),
                                                reports=("G04.FR.05", "G04.FR.06", "G04.FR.07", "G01.FR.07"),
                                                others=("G04.FR.05", "G04.FR.07", "G01.FR.07"))


@case("TC_G_17_CS")
async def test_tc_g_17_cs(station: ChargingStationUnderTest) -> None:
    """A connector with a charging transaction asked to become Inoperative answers Scheduled and is reported
    Unavailable once the transaction has ended."""
    evse, connector = configured_connector(station)
    async with availability_restored(station) as restore, transactions_ended_afterwards(station):
        tx = await energy_transfer_started(station, evse, connector)
        restore.pending.append((evse, connector))
        await _scheduled_until_transaction_ends(station, tx, evse=evse, connector=connector,
                                                answer=("G03.FR.01", "G03.FR.02", "G03.FR.05"),
                                                reports=("G03.FR.04", "G03.FR.05", "G01.FR.07"))


# --------------------------------------------------------------------------- the availability it already has (G12/13/15)
SAME_STATE_REPORTS = "post-scenario validation (Part 6): after a request for the availability it already has, " \
                     "the station reports every connector of the scope"


async def _same_state(station: ChargingStationUnderTest, operational: str, status: str, *, evse: int | None = None,
                      connector: int | None = None, answer: tuple[str, ...], reports: tuple[str, ...]) -> None:
    """Ask for the availability the scope already has: Accepted (G03.FR.03 / G04.FR.04), then a status report
    (StatusNotification or NotifyEvent AvailabilityState) of every connector of the scope with its unchanged
    ``status``. Part 2 asks for reports of changed connectors only (G03.FR.04) or "when an availability change
    request has happened" (G04.FR.05); the reports are checked because Part 6's post-scenario validation,
    which certification applies, expects them."""
    conn = station.connection
    mark = conn.mark()
    await change_availability(station, operational, evse=evse, connector=connector, requirements=answer)
    await expect_availability_reports(station, conn, {k: status for k in scope_connectors(station, evse, connector)},
                                      requirements=reports, what=SAME_STATE_REPORTS, since=mark)


@case("TC_G_12_CS")
async def test_tc_g_12_cs(station: ChargingStationUnderTest) -> None:
    """The Operative station asked to become Operative answers Accepted and reports every connector Available."""
    await _same_state(station, "Operative", "Available", answer=STATION_ANSWER + ("G04.FR.04",),
                      reports=("G04.FR.05",))


@case("TC_G_13_CS")
async def test_tc_g_13_cs(station: ChargingStationUnderTest) -> None:
    """The Inoperative station asked to become Inoperative answers Accepted and reports every connector
    Unavailable."""
    async with availability_restored(station) as restore:
        restore.pending.append((None, None))
        await unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)
        await _same_state(station, "Inoperative", "Unavailable", answer=STATION_ANSWER + ("G04.FR.04",),
                          reports=("G04.FR.05",))


@case("TC_G_15_CS")
async def test_tc_g_15_cs(station: ChargingStationUnderTest) -> None:
    """An Operative connector asked to become Operative answers Accepted and is reported Available."""
    evse, connector = configured_connector(station)
    await _same_state(station, "Operative", "Available", evse=evse, connector=connector,
                      answer=EVSE_ANSWER + ("G03.FR.03",), reports=("G03.FR.04",))


# --------------------------------------------------------------------------- lock failure (G05)
def _lock_problem(event: dict) -> bool:
    return event.get("component", {}).get("name") == "ConnectorPlugRetentionLock"


@case("TC_G_20_CS")
async def test_tc_g_20_cs(station: ChargingStationUnderTest) -> None:
    """With the EV plugged in so that the connector's retention lock cannot lock, authorizing makes the station
    report ConnectorPlugRetentionLock.Problem by NotifyEvent, and it does not start charging."""
    evse, connector = configured_connector(station)
    # Prerequisite: the ConnectorPlugRetentionLock component is in the device model (of the connector, or of
    # the station when it has a single lock).
    found = None
    for component in ({"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
                      {"name": "ConnectorPlugRetentionLock"}):
        got = await station.call("GetVariables", {"getVariableData": [
            {"component": component, "variable": {"name": "Problem"}}]})
        result = got.payload.get("getVariableResult", [{}])[0] if got.ok else {}
        if result.get("attributeStatus") == "Accepted":
            found = component
            break
    if found is None:
        raise NotApplicable("the station has no ConnectorPlugRetentionLock.Problem in its device model "
                            "(prerequisite of TC_G_20_CS)")
    async with transactions_ended_afterwards(station):
        # Before: EVConnectedPreSession with a plug that cannot be locked.
        await station.actions.do("connector_lock_failure", evse=evse, connector=connector)
        tx = await ev_connected_transaction(station, evse, connector)
        conn = station.connection
        mark = conn.mark()
        await authorized(station, evse, connector, tx=tx)
        notify = await conn.expect_call(
            "NotifyEvent", since=mark, requirements=("G05.FR.02",),
            eventData=Satisfies(lambda data: any(_lock_problem(e) for e in data),
                                "an event of component ConnectorPlugRetentionLock"))
        event = next(e for e in notify.payload["eventData"] if _lock_problem(e))
        station.check.fields("NotifyEventRequest ConnectorPlugRetentionLock event", event, {
            "trigger": "Delta", "component.name": "ConnectorPlugRetentionLock", "variable.name": "Problem",
            "actualValue": Satisfies(lambda v: str(v).lower() == "true", '"true"')}, requirements=("G05.FR.02",))
        # Post-scenario validation: the station did not start charging (watched for the configured tolerance).
        await conn.expect_no_call("TransactionEvent", within=station.tolerance, since=mark,
                                  requirements=("G05.FR.01",), transactionInfo={"chargingState": "Charging"})
