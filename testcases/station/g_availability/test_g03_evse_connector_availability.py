"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

change availability of an EVSE or a
connector (G03).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import after_reboot, same_state, scheduled_until_transaction_ends, configured_connector


EVSE_REPORTS = ("G03.FR.04", "G03.FR.06", "G01.FR.07")
EVSE_BACK = ("G03.FR.04", "G03.FR.07", "G01.FR.07")


EVSE_ANSWER = ("G03.FR.01", "G03.FR.02")


@case
async def test_tc_g_03_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE set Inoperative answers Accepted and reports each of its connectors Unavailable."""
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)


@case
async def test_tc_g_04_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative EVSE set Operative answers Accepted and reports each of its connectors Available."""
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        conn = station.connection
        mark = conn.mark()
        await states.change_availability(station, "Operative", evse=evse, requirements=EVSE_ANSWER)
        restore.pending.clear()
        await states.expect_availability_reports(
            station, conn, {k: "Available" for k in states.scope_connectors(station, evse)}, requirements=EVSE_BACK,
            what="every connector of the EVSE is reported Available again", since=mark)


@case
async def test_tc_g_07_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative answers Accepted and is reported Unavailable."""
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))


@case
async def test_tc_g_08_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative connector set Operative answers Accepted and is reported Available."""
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        conn = station.connection
        mark = conn.mark()
        await states.change_availability(station, "Operative", evse=evse, connector=connector, requirements=EVSE_ANSWER)
        restore.pending.clear()
        await states.expect_availability_reports(station, conn, {(evse, connector): "Available"},
                                                 requirements=("G03.FR.04", "G01.FR.07"),
                                                 what="the connector is reported Available again", since=mark)


@case
async def test_tc_g_09_cs(station: ChargingStationUnderTest) -> None:
    """An Operative EVSE asked to become Operative answers Accepted."""
    evse, _ = configured_connector(station)
    await states.change_availability(station, "Operative", evse=evse, requirements=EVSE_ANSWER + ("G03.FR.03",))


@case
async def test_tc_g_10_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative EVSE asked to become Inoperative answers Accepted."""
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        # Charging State Unavailable: its reports are the post-scenario "state of all connectors" reports.
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        await states.change_availability(station, "Inoperative", evse=evse, requirements=EVSE_ANSWER + ("G03.FR.03",))


@case
async def test_tc_g_16_cs(station: ChargingStationUnderTest) -> None:
    """An Inoperative connector asked to become Inoperative answers Accepted."""
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        await states.change_availability(station, "Inoperative", evse=evse, connector=connector,
                                         requirements=EVSE_ANSWER + ("G03.FR.03",))


@case
async def test_tc_g_18_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE set Inoperative is still reported Unavailable after a reboot, the others Available."""
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=EVSE_ANSWER, report_requirements=EVSE_REPORTS)
        await states.booted(station, statuses=after_reboot(station, states.scope_connectors(station, evse)),
                            status_requirements=("G03.FR.08", "G01.FR.02", "G01.FR.01", "B01.FR.05"))


@case
async def test_tc_g_19_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative is still reported Unavailable after a reboot, the others Available."""
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=EVSE_ANSWER,
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        await states.booted(station, statuses=after_reboot(station, [(evse, connector)]),
                            status_requirements=("G03.FR.08", "B01.FR.05"))


@case
async def test_tc_g_11_cs(station: ChargingStationUnderTest) -> None:
    """An EVSE with a charging transaction asked to become Inoperative answers Scheduled; its connectors are
    reported Unavailable once the transaction has ended."""
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
    Unavailable once the transaction has ended."""
    evse, connector = configured_connector(station)
    async with states.availability_restored(station) as restore, states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        restore.pending.append((evse, connector))
        await scheduled_until_transaction_ends(station, tx, evse=evse, connector=connector,
                                               answer=("G03.FR.01", "G03.FR.02", "G03.FR.05"),
                                               reports=("G03.FR.04", "G03.FR.05", "G01.FR.07"))


@case
async def test_tc_g_15_cs(station: ChargingStationUnderTest) -> None:
    """An Operative connector asked to become Operative answers Accepted and is reported Available."""
    evse, connector = configured_connector(station)
    await same_state(station, "Operative", "Available", evse=evse, connector=connector,
                     answer=EVSE_ANSWER + ("G03.FR.03",), reports=("G03.FR.04",))
