"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

change availability of an EVSE or a
connector (G03).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import (after_reboot, configured_connector, others_reported_available, same_state,
                     scheduled_until_transaction_ends, set_operative_again)


EVSE_REPORTS = ("G03.FR.04", "G03.FR.06", "G01.FR.07")
EVSE_BACK = ("G03.FR.04", "G03.FR.07", "G01.FR.07")


EVSE_ANSWER = ("G03.FR.01", "G03.FR.02")


@case
async def test_tc_g_03_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE set Inoperative answers Accepted and reports each of its connectors Unavailable.

    Part 6 steps / validations implemented:
    - step 2 tool validation: ChangeAvailabilityResponse Accepted (G03.FR.01/02);
    - step 3: every connector of the EVSE reported Unavailable, evseId/connectorId not 0; an EVSE NotifyEvent,
      when sent, checked (G03.FR.04/06, G01.FR.07);
    - afterwards the EVSE is made Operative again (not judged).
    """
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)


@case
async def test_tc_g_04_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative EVSE set Operative answers Accepted and reports each of its connectors Available.

    Part 6 steps / validations implemented:
    - Before: reusable state Unavailable for the EVSE;
    - step 2 tool validation: Accepted (G03.FR.01/02);
    - post-scenario: every connector of the EVSE reported Available after the request (G03.FR.04/07).
    """
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        await set_operative_again(station, restore, evse=evse, answer=EVSE_ANSWER, reports=EVSE_BACK,
                                  what="every connector of the EVSE is reported Available again")


@case
async def test_tc_g_07_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative answers Accepted and is reported Unavailable.

    Part 6 steps / validations implemented:
    - step 2 tool validation: Accepted (G03.FR.01/02);
    - step 3: the connector reported Unavailable (G03.FR.04, G01.FR.07).
    """
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))


@case
async def test_tc_g_08_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative connector set Operative answers Accepted and is reported Available.

    Part 6 steps / validations implemented:
    - Before: reusable state Unavailable for the connector;
    - step 2 tool validation: Accepted;
    - post-scenario: the connector reported Available after the request (G03.FR.04, G01.FR.07).
    """
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        await set_operative_again(station, restore, evse=evse, connector=connector, answer=EVSE_ANSWER,
                                  reports=("G03.FR.04", "G01.FR.07"), what="the connector is reported Available again")


@case
async def test_tc_g_09_cs(station: ChargingStationUnderTest) -> None:
    """An Operative EVSE asked to become Operative answers Accepted.

    Part 6 steps / validations implemented:
    - step 2 tool validation: ChangeAvailabilityResponse Accepted (G03.FR.03); Part 6 has no
      post-scenario report validation here.
    """
    evse, _ = configured_connector(station)
    await states.change_availability(station, "Operative", evse=evse, requirements=EVSE_ANSWER + ("G03.FR.03",))


@case
async def test_tc_g_10_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative EVSE asked to become Inoperative answers Accepted and reports its connectors Unavailable.

    Part 6 steps / validations implemented:
    - Before, Charging State Unavailable: reusable state Unavailable for the EVSE (G03.FR.01/02, reports G03.FR.04);
    - step 2 tool validation: ChangeAvailabilityResponse Accepted (G03.FR.03);
    - post-scenario (Part 6's, beyond G03.FR.04 which asks only changed connectors to report): every connector
      of the EVSE reported (Unavailable) after the step 1 request."""
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        await same_state(station, "Inoperative", "Unavailable", evse=evse, answer=EVSE_ANSWER + ("G03.FR.03",),
                         reports=("G03.FR.04",))


@case
async def test_tc_g_16_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative connector asked to become Inoperative answers Accepted and is reported Unavailable.

    Part 6 steps / validations implemented:
    - Before, Charging State Unavailable: reusable state Unavailable for the connector (G03.FR.01/02, G03.FR.04);
    - step 2 tool validation: ChangeAvailabilityResponse Accepted (G03.FR.03);
    - post-scenario (Part 6's, beyond G03.FR.04): the connector reported (Unavailable) after the step 1 request."""
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        await same_state(station, "Inoperative", "Unavailable", evse=evse, connector=connector,
                         answer=EVSE_ANSWER + ("G03.FR.03",), reports=("G03.FR.04",))


@case
async def test_tc_g_18_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative EVSE asked again to become Inoperative is still reported Unavailable after a reboot, the
    others Available.

    Part 6 steps / validations implemented:
    - Before, Charging State Unavailable: reusable state Unavailable for the EVSE;
    - step 2 tool validation: ChangeAvailabilityResponse Accepted (G03.FR.03);
    - step 3 tool validation (Part 6's, beyond G03.FR.04): the EVSE's connectors reported Unavailable after the
      request; reports of connectors of other EVSEs, when sent, say Available ("all connectors" is read as
      the request's scope, as in TC_G_10/11/13/15/16/17_CS: other EVSEs are not changed by it);
    - step 5, reusable state Booted (power cycle, Part 6: "reset or power cycle depending on the testcase"):
      BootNotification, the EVSE's connectors Unavailable and the others Available (G03.FR.08, G01.FR.01/02),
      SecurityEventNotification type StartupOfTheDevice / ResetOrReboot (A04.FR.01)."""
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        conn = station.connection
        mark = conn.mark()
        await same_state(station, "Inoperative", "Unavailable", evse=evse, answer=EVSE_ANSWER + ("G03.FR.03",),
                         reports=("G03.FR.04", "Part 6 TC_G_18_CS tool validation step 3"))
        others_reported_available(station, conn, mark, states.scope_connectors(station, evse),
                                  requirements=("Part 6 TC_G_18_CS tool validation step 3", "G03.FR.04"))
        await states.booted(station, statuses=after_reboot(station, states.scope_connectors(station, evse)),
                            status_requirements=("G03.FR.08", "G01.FR.02", "G01.FR.01", "B01.FR.05"))


@case
async def test_tc_g_19_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative is still reported Unavailable after a reset, the others Available.

    Part 6 steps / validations implemented:
    - Before, Charging State Unavailable: reusable state Unavailable for the connector (G03.FR.04);
    - step 1, reusable state Booting: ResetRequest Immediate, ResetResponse Accepted (B11.FR.01, §2.18 Booting
      step 2);
    - steps 2-4: BootNotification, then the connector reported Unavailable and the others Available, evseId /
      connectorId not 0 (G03.FR.08, B01.FR.05); the step-4 validation lists actualValue only, so a NotifyEvent's
      trigger is not judged, and EVSE / station-level AvailabilityState events are recorded, not judged;
    - step 6: SecurityEventNotification type StartupOfTheDevice / ResetOrReboot (A04.FR.01);
    - post-scenario: every connector reported (the step 4 reports)."""
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        await states.booted(station, via="reset", statuses=after_reboot(station, [(evse, connector)]),
                            status_requirements=("G03.FR.08", "B01.FR.05"), trigger=False)


@case
async def test_tc_g_11_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE with a charging transaction asked to become Inoperative answers Scheduled; its connectors are
    reported Unavailable once the transaction has ended.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - step 2 tool validation: ChangeAvailabilityResponse Scheduled (G03.FR.05);
    - steps 3-5: StopAuthorized, EVConnectedPostSession, EVDisconnected (after <Configured Transaction
      Duration>) as the station's TxStopPoint ends the transaction; no Unavailable report before it ends;
    - step 6 / post-scenario: the EVSE's connectors reported Unavailable once it ended (G03.FR.04/05/06,
      G01.FR.05/07).
    """
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore, states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        restore.pending.append((evse, None))
        await scheduled_until_transaction_ends(station, tx, evse=evse, connector=None,
                                               answer=("G03.FR.01", "G03.FR.02", "G03.FR.05"),
                                               reports=("G03.FR.04", "G03.FR.05", "G03.FR.06", "G01.FR.07"))


@case
async def test_tc_g_17_cs(station: ChargingStationUnderTest) -> None:
    """A connector with a charging transaction asked to become Inoperative answers Scheduled and is reported
    Unavailable once the transaction has ended.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - step 2 tool validation: Scheduled (G03.FR.05);
    - steps 3-5: the transaction is stopped as in TC_G_11_CS; no early Unavailable report;
    - post-scenario: the connector reported Unavailable once the transaction ended (G03.FR.04/05, G01.FR.05/07).
    """
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore, states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        restore.pending.append((evse, connector))
        await scheduled_until_transaction_ends(station, tx, evse=evse, connector=connector,
                                               answer=("G03.FR.01", "G03.FR.02", "G03.FR.05"),
                                               reports=("G03.FR.04", "G03.FR.05", "G01.FR.07"))


@case
async def test_tc_g_15_cs(station: ChargingStationUnderTest) -> None:
    """An Operative connector asked to become Operative answers Accepted and is reported Available.

    Part 6 steps / validations implemented:
    - step 2 tool validation: Accepted (G03.FR.03);
    - post-scenario (Part 6's, beyond G03.FR.04): the connector reported Available after the request.
    """
    evse, connector = configured_connector(station)
    await same_state(station, "Operative", "Available", evse=evse, connector=connector,
                     answer=EVSE_ANSWER + ("G03.FR.03",), reports=("G03.FR.04",))
