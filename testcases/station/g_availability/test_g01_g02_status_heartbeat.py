"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

connector status notification (G01) and
heartbeat (G02).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import configured_connector


@case
async def test_tc_g_01_cs(station: ChargingStationUnderTest) -> None:
    """Plugging an EV in makes the station report the connector Occupied.

    Part 6 steps / validations implemented:
    - Before/steps 1-2, EVConnectedPreSession: the connector reported Occupied by StatusNotification or NotifyEvent
      AvailabilityState (G01.FR.03, G01.FR.01); the Started event checked when TxStartPoint has EVConnected;
    - afterwards the EV is unplugged (not judged).
    """
    evse, connector = configured_connector(station)
    async with states.ev_unplugged_afterwards(station, evse, connector) as restore:
        restore.pending.append((evse, connector))
        await states.ev_connected_pre_session(station, evse, connector, requirements=("G01.FR.03", "G01.FR.01"))


@case
async def test_tc_g_02_cs(station: ChargingStationUnderTest) -> None:
    """Unplugging the EV makes the station report the connector Available again.

    Part 6 steps / validations implemented:
    - Before: EVConnectedPreSession (Occupied, G01.FR.03);
    - steps 1-2: after the unplug the connector reported Available (G01.FR.04, G01.FR.01), from the unplug on.
    """
    evse, connector = configured_connector(station)
    async with states.ev_unplugged_afterwards(station, evse, connector) as restore:
        restore.pending.append((evse, connector))
        await states.ev_connected_pre_session(station, evse, connector, requirements=("G01.FR.03", "G01.FR.01"))
        conn = station.connection
        mark = conn.mark()
        await station.actions.do("unplug", evse=evse, connector=connector)
        restore.pending.clear()
        await states.expect_availability_reports(station, conn, {(evse, connector): "Available"},
                                                 requirements=("G01.FR.04", "G01.FR.01"),
                                                 what="the unplugged connector is reported Available", since=mark)


@case(title="Heartbeat at the interval of the BootNotificationResponse", use_cases=("G02",),
      requirements=("G02.FR.01", "G02.FR.02", "B01.FR.04"),
      # a power cycle, the boot, its reports, then one heartbeat interval (300 s on a real station's CSMS)
      time_needed=lambda t: t.action_timeout + t.connect_timeout + 3 * t.message_timeout + t.heartbeat_interval
      + t.max_time_deviation)
async def test_x_g_02_cs(station: ChargingStationUnderTest) -> None:
    """After an accepted boot the station sends its first Heartbeat one interval (as the CSMS gave it) after
    the boot, or after its last other message if it resets the timer on every message (G02.FR.05).

    Part 6 steps / validations implemented:
    - (ours, no Part 6 case) Booted, then the first HeartbeatRequest one interval after the boot or the last
      message (G02.FR.01/02/05, B01.FR.04), within the Part 6 §2.1 max time deviation.
    """
    station.require_profiles("Core", reason="G02 Heartbeat belongs to Core; Part 5 does not list our own case")
    boot = await states.booted(station)
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
