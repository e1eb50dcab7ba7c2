"""Block F Remote control, the SUT is a Charging Station (the harness is its CSMS).

Remote stop (F03).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import configured_connector


@case
async def test_tc_f_08_cs(station: ChargingStationUnderTest) -> None:
    """A RequestStopTransaction with the transaction's id stops the charging transaction.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - step 1, StopAuthorized (remote, errata 2025-09 §6.2.117): response Accepted (F03.FR.07); a
      TransactionEventRequest triggerReason RemoteStop (F03.FR.09); with TxStopPoint Authorized / PowerPathClosed /
      EnergyTransfer the last event Ended with stoppedReason Remote (F03.FR.03), otherwise Updated (F03.FR.02);
    - afterwards the EV is unplugged and the transaction's end awaited (not judged)."""
    evse, connector = configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await states.stop_authorized_remote(station, tx)


@case
async def test_tc_f_09_cs(station: ChargingStationUnderTest) -> None:
    """A RequestStopTransaction with a transactionId the station does not have is Rejected, and the charging
    transaction goes on.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2: RequestStopTransaction with a transactionId of the run that differs from the station's; the
      response status Rejected (F03.FR.08);
    - (Part 2 F03.FR.08, Part 6 purpose) the ongoing transaction is not ended by it: no TransactionEventRequest
      RemoteStop / Ended of it arrives before the restore stops it (recorded up to then)."""
    evse, connector = configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        other = station.ctx.ids.text("transactionId", "F09-")
        conn = station.connection
        mark = conn.mark()
        response = await station.call("RequestStopTransaction", {"transactionId": other})
        requirements = ("F03.FR.08", "Part 6 TC_F_09_CS step 2")
        station.check.that("the station answers RequestStopTransactionRequest with a CALLRESULT", response.ok,
                           expected="CALLRESULT", actual=response.describe(), requirements=requirements)
        station.check.fields("RequestStopTransactionResponse for an unknown transactionId (Part 6 TC_F_09_CS step 2)",
                             response.payload, {"status": "Rejected"}, requirements=requirements,
                             soft=True)  # independent of the next check: both are evaluated
        stopped = [c for c in conn.mailbox[mark:] if c.action == "TransactionEvent"
                   and c.payload.get("transactionInfo", {}).get("transactionId") == tx.transaction_id
                   and (c.payload.get("triggerReason") == "RemoteStop" or c.payload.get("eventType") == "Ended")]
        station.check.that("the transaction is not stopped by a RequestStopTransaction for another transactionId",
                           not stopped, expected="no RemoteStop / Ended event", actual=[c.payload for c in stopped],
                           requirements=("F03.FR.08",))
