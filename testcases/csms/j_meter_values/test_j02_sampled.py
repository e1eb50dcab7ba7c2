"""Block J Meter Values, the SUT is a CSMS (the harness plays the Charging Station): sampled, transaction-related
meter values (J02): Transaction.Begin values in the first event with the EVSE, periodic Updated events every
<Configured sampled Meter Values interval> (``station_values.sampled_data_tx_updated_interval``), the Ended event's
readings every ``station_values.sampled_data_tx_ended_interval`` from the start. The CSMS must answer each
TransactionEventRequest (J02.FR.19).
"""

from __future__ import annotations

import time

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.protocol import meter_values as mv

from ._steps import configured_connector, readings, tx_ended_case, until, values


@case
async def test_tc_j_07_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers a Started event with Transaction.Begin meter values.

    Part 6 steps / validations implemented:
    - step 1 EVConnectedPreSession: the connector reported Occupied, the TransactionEventRequest Started
      (CablePluggedIn, chargingState EVConnected, the EVSE) carries meterValue with context Transaction.Begin;
      answered (J02.FR.19); afterwards the transaction is ended (not judged).
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.report_availability(csms, [(evse, connector)], "Occupied")
        await states.meter_value_event(csms, tx, "CablePluggedIn", readings(
            csms, evse, mv.TRANSACTION_BEGIN, [time.time()]), event_type="Started", charging_state="EVConnected")
        tx.ev_connected = True


@case
async def test_tc_j_08_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers Transaction.Begin meter values in the first event with the EVSE, the EVSE not known at the
    start.

    Part 6 steps / validations implemented:
    - step 1 Authorized: AuthorizeRequest (Accepted), TransactionEventRequest Started (triggerReason Authorized,
      the idToken, no evse: the EVSE is not known yet);
    - step 2 EVConnectedPreSession: Occupied, TransactionEventRequest Updated (CablePluggedIn, the EVSE) with
      meterValue context Transaction.Begin (E01.FR.17), answered (J02.FR.19);
    - step 3 EnergyTransferStarted: chargingState Charging; afterwards the transaction is ended (not judged).
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    token = csms.config.id_tokens.valid.to_ocpp()
    async with states.transactions_ended_afterwards(csms) as transactions:
        authorize = await csms.call("Authorize", {"idToken": token})
        csms.check.fields("AuthorizeResponse", authorize.payload if authorize.ok else {}, {
            "idTokenInfo.status": "Accepted"}, requirements=("Part 6 §3.18 Authorized tool validation step 2",))
        tx = states.new_transaction(csms, evse, connector)
        transactions.append(tx)
        started = await states.meter_value_event(csms, tx, "Authorized", [], event_type="Started",
                                                 charging_state="Idle", idToken=token, evse=None)
        csms.check.fields("TransactionEventResponse", started.payload if started.ok else {},
                          {"idTokenInfo.status": "Accepted"},
                          requirements=("Part 6 §3.18 Authorized tool validation step 4",))
        tx.authorized = True
        await states.report_availability(csms, [(evse, connector)], "Occupied")
        await states.meter_value_event(csms, tx, "CablePluggedIn", readings(
            csms, evse, mv.TRANSACTION_BEGIN, [time.time()]), charging_state="EVConnected",
            evse={"id": evse, "connectorId": connector})
        tx.ev_connected = True
        await states.energy_transfer_started(csms, evse, connector, tx=tx)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="sampled_data_tx_updated_interval", count=3))
async def test_tc_j_09_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers periodic sampled meter values during a transaction.

    Part 6 steps / validations implemented:
    - EnergyTransferStarted;
    - steps 1-2 three times, every <Configured sampled Meter Values interval> from the start of the transaction:
      TransactionEventRequest Updated, triggerReason MeterValuePeriodic, context Sample.Periodic; each answered
      (J02.FR.19); afterwards the transaction is ended (not judged).
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    interval = values(csms).sampled_data_tx_updated_interval
    async with states.transactions_ended_afterwards(csms) as transactions:
        start = time.time()
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        for index in range(1, 4):
            moment = start + index * interval
            await until(csms, moment, f"the sampled interval ({interval} s)")
            await states.meter_value_event(csms, tx, "MeterValuePeriodic",
                                           readings(csms, evse, mv.SAMPLE_PERIODIC, [moment]))


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="sampled_data_tx_ended_interval", count=2))
async def test_tc_j_10_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers an Ended event with sampled meter values.

    Part 6 steps / validations implemented:
    - EnergyTransferStarted; after the <Configured transaction duration> (and at least two readings of the sampled
      Tx ended interval, ``station_values.sampled_data_tx_ended_interval``: Part 6 names the clock-aligned one here,
      a slip the case does not follow) EVDisconnected: the Ended event carries a reading per interval (Sample.Periodic),
      the last one with Transaction.End; every message answered (J02.FR.19).
    """
    await tx_ended_case(csms, values(csms).sampled_data_tx_ended_interval, aligned=False, signed=False)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="sampled_data_tx_ended_interval", count=2))
async def test_tc_j_11_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers an Ended event with signed sampled meter values.

    Part 6 steps / validations implemented: as TC_J_10_CSMS, every sampledValue with a generated signedMeterValue.
    """
    await tx_ended_case(csms, values(csms).sampled_data_tx_ended_interval, aligned=False, signed=True)
