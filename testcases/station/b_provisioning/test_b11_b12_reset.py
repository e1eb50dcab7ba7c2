"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS).

Reset without (B11) and with (B12) an ongoing transaction.

Reset: a reset of the whole station is judged by its reboot: a new WebSocket connection within the connect
timeout, BootNotificationRequest as its first CALL (with the reason Part 6 names, where it names one), and a
status report of every connector (StatusNotification or NotifyEvent AvailabilityState, in any order). A reset
of one EVSE (feature C-13) is judged by its answer (and, during a transaction, by the transaction's end): Part
6 checks nothing else of it. TC_B_24_CS: the 2025-02 errata changed the reset to Immediate (a pending
reservation is not "idle"). The reservation is made with ReserveNowRequest for the EVSE of <Configured
connectorId>; H01.FR.23 makes every connector of that EVSE Reserved, so those are expected Reserved after the
reboot, all others Available.
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive

from ._steps import (reset_after_transactions, reset_answer, reset_configured_connector, reset_ended_immediately,
                     reset_rebooted, reset_request, reset_reservations_cancelled, reset_reserved, reset_settled,
                     reset_stopped_normally)


@case
async def test_tc_b_20_cs(station: ChargingStationUnderTest) -> None:
    """An OnIdle reset while nothing charges is accepted; the station reboots, boots again and reports every
    connector Available."""
    async with reset_settled(station) as watch:
        response = await reset_request(station, watch, {"type": "OnIdle"})
        reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.03"))
        await reset_rebooted(station, watch)


@case
async def test_tc_b_23_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative is still reported Unavailable after an accepted OnIdle reset, the other
    connectors Available."""
    evse, connector = reset_configured_connector(station)
    async with states.availability_restored(station) as restore, reset_settled(station) as watch:
        restore.pending.append((evse, connector))
        await states.unavailable(station, evse=evse, connector=connector, requirements=("G03.FR.01", "G03.FR.02"),
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        response = await reset_request(station, watch, {"type": "OnIdle"})
        reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.03"))
        await reset_rebooted(station, watch, reason="RemoteReset", reason_requirements=("B11.FR.04", "B01.FR.09"),
                             statuses={(evse, connector): "Unavailable"},
                             status_requirements=("B11.FR.02", "B01.FR.07", "B11.FR.04", "B01.FR.05"))


@case
async def test_tc_b_24_cs(station: ChargingStationUnderTest) -> None:
    """A reserved EVSE is still reported Reserved after an accepted Immediate reset (errata 2025-02), the other
    connectors Available."""
    evse, _ = reset_configured_connector(station)
    async with reset_reservations_cancelled(station) as reservations, reset_settled(station) as watch:
        await reset_reserved(station, evse, reservations)
        response = await reset_request(station, watch, {"type": "Immediate"})
        reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.03"))
        await reset_rebooted(station, watch, reason="RemoteReset", reason_requirements=("B11.FR.04", "B01.FR.09"),
                             statuses={k: "Reserved" for k in states.scope_connectors(station, evse)},
                             status_requirements=("B11.FR.05", "B01.FR.13", "B11.FR.04", "B01.FR.05"))


@case
async def test_tc_b_25_cs(station: ChargingStationUnderTest) -> None:
    """A station that can reset a single EVSE accepts an OnIdle reset of an idle EVSE."""
    evse, _ = reset_configured_connector(station)
    response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
    reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.08"))


@case
async def test_tc_b_28_cs(station: ChargingStationUnderTest) -> None:
    """A station that cannot reset a single EVSE rejects a reset for one EVSE."""
    evse, _ = reset_configured_connector(station)
    response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
    reset_answer(station, response, "Rejected", ("B11.FR.01", "B11.FR.09", "B12.FR.09"))


@case
async def test_tc_b_21_cs(station: ChargingStationUnderTest) -> None:
    """An OnIdle reset during a transaction is answered Scheduled; once the transaction has ended normally the
    station reboots (reason ScheduledReset) and reports every connector."""
    evse, connector = reset_configured_connector(station)
    async with (states.transactions_ended_afterwards(station) as transactions,
                reset_settled(station, transactions) as watch):
        tx = await states.energy_transfer_started(station, evse, connector)
        response = await reset_request(station, watch, {"type": "OnIdle"})
        reset_answer(station, response, "Scheduled", ("B12.FR.01",))
        await reset_stopped_normally(station, tx)
        await reset_rebooted(station, watch, reason="ScheduledReset", reason_requirements=("B12.FR.03", "B01.FR.09"),
                             statuses=reset_after_transactions(station, [tx]),
                             status_requirements=("B01.FR.05", "B12.FR.03"), security_event=True)


@case
async def test_tc_b_22_cs(station: ChargingStationUnderTest) -> None:
    """An Immediate reset during a transaction is accepted; the station ends the transaction (ResetCommand,
    ImmediateReset), reboots (reason RemoteReset) and reports the connector with the EV Occupied, the others
    Available."""
    evse, connector = reset_configured_connector(station)
    async with (states.transactions_ended_afterwards(station) as transactions,
                reset_settled(station, transactions) as watch):
        tx = await states.energy_transfer_started(station, evse, connector)
        conn = station.connection
        response = await reset_request(station, watch, {"type": "Immediate"})
        reset_answer(station, response, "Accepted", ("B12.FR.02",))
        await reset_ended_immediately(station, conn, tx, ("B12.FR.04",), part6_case="TC_B_22_CS", token_absent=True)
        await reset_rebooted(station, watch, reason="RemoteReset", reason_requirements=("B12.FR.04", "B01.FR.09"),
                             statuses=reset_after_transactions(station, [tx]),
                             status_requirements=("B01.FR.05", "B01.FR.03"))


@case
async def test_tc_b_26_cs(station: ChargingStationUnderTest) -> None:
    """An OnIdle reset of the EVSE that charges is answered Scheduled and the transaction ends normally."""
    evse, connector = reset_configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
        reset_answer(station, response, "Scheduled", ("B12.FR.01",))
        await reset_stopped_normally(station, tx, disconnect=True)


@case
async def test_tc_b_27_cs(station: ChargingStationUnderTest) -> None:
    """An Immediate reset of the EVSE that charges is accepted; the station ends its transaction (ResetCommand,
    ImmediateReset)."""
    evse, connector = reset_configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        response = await station.call("Reset", {"type": "Immediate", "evseId": evse})
        reset_answer(station, response, "Accepted", ("B12.FR.02",))
        await reset_ended_immediately(station, station.connection, tx, ("B12.FR.08",), part6_case="TC_B_27_CS")


@case
async def test_tc_b_29_cs(station: ChargingStationUnderTest) -> None:
    """A station that cannot reset a single EVSE rejects a reset of the EVSE that charges."""
    evse, connector = reset_configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        await states.energy_transfer_started(station, evse, connector)
        response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
        reset_answer(station, response, "Rejected", ("B12.FR.09",))


@case
async def test_tc_b_41_cs(station: ChargingStationUnderTest) -> None:
    """With transactions on two EVSEs, an OnIdle reset is answered Scheduled; the station keeps running after
    the first transaction ended and reboots (reason ScheduledReset) once the second has ended."""
    first = {}
    for evse, connector in station.connectors:
        first.setdefault(evse, connector)
    if len(first) < 2:
        raise Inconclusive("the case needs two EVSEs in the configured topology (the catalog makes it NOT APPLICABLE "
                           "by PICS HFS-8 > 1 first: the configured [[evse]] tables and the PICS disagree)")
    (evse1, connector1), (evse2, connector2) = sorted(first.items())[:2]
    async with (states.transactions_ended_afterwards(station) as transactions,
                reset_settled(station, transactions) as watch):
        tx1 = await states.energy_transfer_started(station, evse1, connector1)
        tx2 = await states.energy_transfer_started(station, evse2, connector2)
        conn = station.connection
        response = await reset_request(station, watch, {"type": "OnIdle"})
        reset_answer(station, response, "Scheduled", ("B12.FR.01",))
        await reset_stopped_normally(station, tx1, disconnect=True)
        station.check.that("the station does not reset while a transaction is still ongoing",
                           conn.is_open and station.connection_count() == watch.before,
                           expected="the same connection, still open",
                           actual="open" if conn.is_open else f"closed ({conn.close_reason})",
                           requirements=("B12.FR.03",))
        await reset_stopped_normally(station, tx2)
        await reset_rebooted(station, watch, reason="ScheduledReset", reason_requirements=("B12.FR.03", "B01.FR.09"),
                             statuses=reset_after_transactions(station, [tx1, tx2]),
                             status_requirements=("B01.FR.05", "B12.FR.03"))
