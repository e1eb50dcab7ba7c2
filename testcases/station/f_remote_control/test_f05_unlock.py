"""Block F Remote control, the SUT is a Charging Station (the harness is its CSMS).

Remotely unlock a connector (F05), in every status Part 6 tests. The prerequisite "the Charging Station has a
connector lock" is the PICS's (Part 5: HFS-1, not a Mode 1/2-only station).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import configured_connector


async def _unlock(station: ChargingStationUnderTest, evse: int, connector: int, status: str, *,
                  requirements: tuple[str, ...], what: str) -> None:
    """Steps 1-2: UnlockConnectorRequest for (evse, connector); the response's status (F05.FR.01: a response)."""
    response = await station.call("UnlockConnector", {"evseId": evse, "connectorId": connector})
    station.check.that("the station answers UnlockConnectorRequest with a CALLRESULT", response.ok,
                       expected="CALLRESULT", actual=response.describe(), requirements=("F05.FR.01",))
    station.check.fields(f"UnlockConnectorResponse {what}", response.payload, {"status": status},
                         requirements=requirements)


@case
async def test_tc_f_05_cs(station: ChargingStationUnderTest) -> None:
    """The connector of an ongoing authorized transaction is not unlocked: OngoingAuthorizedTransaction.

    Part 6 steps / validations implemented:
    - Before: a transaction on the configured connector, EnergyTransferStarted;
    - steps 1-2: UnlockConnectorRequest for it; status OngoingAuthorizedTransaction (F05.FR.02);
    - (F05.FR.02 "SHALL NOT ... stop the transaction") no TransactionEventRequest of it with triggerReason
      UnlockCommand or eventType Ended has arrived by the time the response did;
    - afterwards the transaction is stopped and the EV unplugged (not judged)."""
    evse, connector = configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        conn = station.connection
        mark = conn.mark()
        with station.check.collecting():  # the status and "not stopped" are independent
            await _unlock(station, evse, connector, "OngoingAuthorizedTransaction", what="during the transaction "
                          "(Part 6 TC_F_05_CS step 2)", requirements=("F05.FR.02", "Part 6 TC_F_05_CS step 2"))
            stopped = [c.payload for c in conn.mailbox[mark:] if c.action == "TransactionEvent"
                       and c.payload.get("transactionInfo", {}).get("transactionId") == tx.transaction_id
                       and (c.payload.get("triggerReason") == "UnlockCommand" or c.payload.get("eventType") == "Ended")]
            station.check.that("the transaction is not stopped by an UnlockConnectorRequest during it", not stopped,
                               expected="no UnlockCommand / Ended event", actual=stopped, requirements=("F05.FR.02",))


@case
async def test_tc_f_06_cs(station: ChargingStationUnderTest) -> None:
    """Without a transaction the station unlocks the connector: Unlocked.

    Part 6 steps / validations implemented:
    - steps 1-2: UnlockConnectorRequest for the configured connector; status Unlocked (F05.FR.04)."""
    evse, connector = configured_connector(station)
    await _unlock(station, evse, connector, "Unlocked", what="without a transaction (Part 6 TC_F_06_CS step 2)",
                  requirements=("F05.FR.04", "Part 6 TC_F_06_CS step 2"))


@case
async def test_tc_f_07_cs(station: ChargingStationUnderTest) -> None:
    """With no cable connected the station still tries the lock and reports the result: Unlocked.

    Part 6 steps / validations implemented:
    - Before: no cable at the configured connector (the general precondition: the previous case unplugged it);
    - steps 1-2: UnlockConnectorRequest for it; status Unlocked (F05.FR.06, F05.FR.04)."""
    evse, connector = configured_connector(station)
    await _unlock(station, evse, connector, "Unlocked", what="with no cable connected (Part 6 TC_F_07_CS step 2)",
                  requirements=("F05.FR.06", "F05.FR.04", "Part 6 TC_F_07_CS step 2"))


@case
async def test_tc_f_10_cs(station: ChargingStationUnderTest) -> None:
    """A connector the station does not have: UnknownConnector.

    Part 6 steps / validations implemented:
    - steps 1-2: UnlockConnectorRequest for the configured EVSE and connectorId 999 (Part 6's value; when the
      configuration declares a connector 999 on that EVSE, the next free id); status UnknownConnector (F05.FR.03)."""
    evse, _ = configured_connector(station)
    unknown = 999
    while (evse, unknown) in station.connectors:
        unknown += 1
    await _unlock(station, evse, unknown, "UnknownConnector", what=f"for connector {unknown} (Part 6 TC_F_10_CS "
                  "step 2)", requirements=("F05.FR.03", "Part 6 TC_F_10_CS step 2"))
