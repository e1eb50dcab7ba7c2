"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

Status reports: Part 6 accepts a StatusNotification or a NotifyEvent AvailabilityState (component
Connector) per connector; NotifyEvent AvailabilityState of the EVSE or the station itself is optional and
checked when sent. Every case leaves the station Operative (``availability_restored``).

Where Part 6 starts from "State is Unavailable" and then asks for Inoperative again (TC_G_10/16_CS), its
post-scenario "state of all connectors reported" is met by the reports of that reusable state. TC_G_18_CS
reaches the Inoperative EVSE with the reusable state Unavailable (its steps 1-3), then reboots.

Not implemented yet: TC_G_12_CS, TC_G_13_CS and TC_G_15_CS ask, after a request for the state the station
is already in, for status reports of all connectors that Part 2 does not require (G03.FR.04 / G04.FR.05
ask for reports of *changed* connectors only); TC_G_11/14/17_CS (Scheduled during a transaction) need the
station-side transaction reusable states; TC_G_20_CS needs a lock-failure action.

G02 Heartbeat has no Part 6 case for the station: X_G_02_CS is ours.
"""

from conformance.harness import ChargingStationUnderTest, case, reusable_state
from conformance.harness.reusable_states import (availability_restored, change_availability, ev_connected_pre_session,
                                                 ev_unplugged_afterwards, expect_availability_reports,
                                                 scope_connectors, unavailable)

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
      requirements=("G02.FR.01", "G02.FR.02", "B01.FR.04"))
async def test_x_g_02_cs(station: ChargingStationUnderTest) -> None:
    """After an accepted boot the station sends its first Heartbeat one interval (as the CSMS gave it) after
    the boot, or after its last other message if it resets the timer on every message (G02.FR.05)."""
    station.require_profiles("Core", reason="G02 Heartbeat belongs to Core; Part 5 does not list our own case")
    boot = await reusable_state.booted(station)
    answer = boot.boot.response
    interval = answer["interval"] if isinstance(answer, dict) else station.config.timing.heartbeat_interval
    conn = boot.connection
    requirements = ("G02.FR.01", "G02.FR.02", "B01.FR.04")
    heartbeat = await station.expect_call("Heartbeat", connection=conn, requirements=requirements,
                                          timeout=interval + station.tolerance + station.message_timeout)
    # The timer starts with the accepted boot (G02.FR.01) or, recommended, restarts with every message sent.
    last = max((c for c in conn.mailbox if c.received_mono < heartbeat.received_mono), key=lambda c: c.received_mono)
    starts = {"the accepted BootNotification": boot.boot.received_mono, f"the last {last.action}": last.received_mono}
    reference, started = min(starts.items(), key=lambda item: abs(heartbeat.received_mono - item[1] - interval))
    station.check.timing(f"time from {reference} to the first HeartbeatRequest (interval {interval} s)",
                         heartbeat.received_mono - started, required=interval, tolerance=station.tolerance,
                         requirements=requirements)
