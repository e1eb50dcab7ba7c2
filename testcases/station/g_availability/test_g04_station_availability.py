"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

change availability of the Charging Station (G04).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import (after_reboot, configured_connector, same_state, scheduled_until_transaction_ends,
                     set_operative_again)


STATION_REPORTS = ("G04.FR.05", "G04.FR.07", "G01.FR.07")
STATION_BACK = ("G04.FR.05", "G04.FR.08", "G01.FR.07")


STATION_ANSWER = ("G04.FR.02", "G04.FR.03")


@case
async def test_tc_g_05_cs(station: ChargingStationUnderTest) -> None:
    """The station set Inoperative answers Accepted and reports every connector Unavailable.

    Part 6 steps / validations implemented:
    - step 2 tool validation: Accepted (G04.FR.02/03);
    - step 3: every connector reported Unavailable; an EVSE / station NotifyEvent, when sent, checked
      (G04.FR.05/07, G01.FR.07).
    """
    async with states.availability_restored(station) as restore:
        restore.pending.append((None, None))
        await states.unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)


@case
async def test_tc_g_06_cs(station: ChargingStationUnderTest) -> None:
    """The Inoperative station set Operative answers Accepted and reports every connector Available.

    Part 6 steps / validations implemented:
    - Before: reusable state Unavailable for the station;
    - step 2 tool validation: Accepted;
    - post-scenario: every connector reported Available after the request (G04.FR.05/08).
    """
    async with states.availability_restored(station) as restore:
        restore.pending.append((None, None))
        await states.unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)
        await set_operative_again(station, restore, answer=STATION_ANSWER, reports=STATION_BACK,
                                  what="every connector is reported Available again")


@case
async def test_tc_g_21_cs(station: ChargingStationUnderTest) -> None:
    """The station set Inoperative reports every connector Unavailable after a reset.

    Part 6 steps / validations implemented:
    - Before, Charging State Unavailable: reusable state Unavailable for the station (G04.FR.05);
    - step 1, reusable state Booting: ResetRequest Immediate, ResetResponse Accepted (B11.FR.01, §2.18 Booting
      step 2);
    - steps 2-4: BootNotification, every connector reported Unavailable, evseId / connectorId not 0 (G04.FR.09);
    - step 6: SecurityEventNotification type StartupOfTheDevice / ResetOrReboot (A04.FR.01);
    - post-scenario: every connector reported (the step 4 reports)."""
    async with states.availability_restored(station) as restore:
        restore.pending.append((None, None))
        await states.unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)
        await states.booted(station, via="reset", statuses=after_reboot(station, station.connectors),
                            status_requirements=("G04.FR.09", "B01.FR.05"))


@case
async def test_tc_g_14_cs(station: ChargingStationUnderTest) -> None:
    """The station asked to become Inoperative while one EVSE charges answers Scheduled: the other EVSEs'
    connectors are reported Unavailable at once, the charging EVSE's once its transaction has ended.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - step 2 tool validation: Scheduled (G04.FR.06);
    - step 3: the connectors of the EVSEs without a transaction reported Unavailable at once (G04.FR.05/07);
    - steps 4-6: the transaction stopped as in TC_G_11_CS; its EVSE's connectors reported Unavailable once it ended.
    """
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore, states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        restore.pending.append((None, None))
        await scheduled_until_transaction_ends(station, tx, evse=None, connector=None,
                                               answer=("G04.FR.02", "G04.FR.03", "G04.FR.06"),
                                               reports=("G04.FR.05", "G04.FR.06", "G04.FR.07", "G01.FR.07"),
                                               others=("G04.FR.05", "G04.FR.07", "G01.FR.07"))


@case
async def test_tc_g_12_cs(station: ChargingStationUnderTest) -> None:
    """The Operative station asked to become Operative answers Accepted and reports every connector Available.

    Part 6 steps / validations implemented:
    - step 2 tool validation: Accepted (G04.FR.04);
    - post-scenario (Part 6's, beyond G04.FR.05): every connector reported Available after the request.
    """
    await same_state(station, "Operative", "Available", answer=STATION_ANSWER + ("G04.FR.04",),
                     reports=("G04.FR.05",))


@case
async def test_tc_g_13_cs(station: ChargingStationUnderTest) -> None:
    """The Inoperative station asked to become Inoperative answers Accepted and reports every connector
    Unavailable.

    Part 6 steps / validations implemented:
    - Before: reusable state Unavailable for the station;
    - step 2 tool validation: Accepted (G04.FR.04);
    - post-scenario (Part 6's, beyond G04.FR.05): every connector reported Unavailable after the request.
    """
    async with states.availability_restored(station) as restore:
        restore.pending.append((None, None))
        await states.unavailable(station, requirements=STATION_ANSWER, report_requirements=STATION_REPORTS)
        await same_state(station, "Inoperative", "Unavailable", answer=STATION_ANSWER + ("G04.FR.04",),
                         reports=("G04.FR.05",))
