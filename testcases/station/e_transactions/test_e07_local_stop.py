"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS).

Local stop of a transaction by presenting the idToken again (E07).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import configured_connector, local_start_configuration


@case
async def test_tc_e_06_cs(station: ChargingStationUnderTest) -> None:
    """The driver stops the ongoing transaction by presenting the same idToken again.

    Part 6 steps / validations implemented:
    - configuration state: AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization false
      (if implemented), restored;
    - Before, EnergyTransferStarted (after ParkingBayOccupied when TxStartPoint contains ParkingBayOccupancy);
    - step 1, StopAuthorized (local): triggerReason StopAuthorized, idToken omitted or the presented one, no
      AuthorizeRequest for the token that started the authorization (C01.FR.03); Updated or Ended as TxStopPoint says
      (errata 2025-09 §6.2.117);
    - step 2, EVConnectedPostSession: ChargingStateChanged EVConnected unless ended (E06.FR.15);
    - step 3, EVDisconnected: the connector reported Available, EVCommunicationLost / Idle unless ended;
    - step 4, ParkingBayUnoccupied when TxStopPoint contains ParkingBayOccupancy;
    - the transaction has ended, its Ended event with stoppedReason Local or omitted (E07.FR.04, Part 6 §2.1)."""
    evse, connector = configured_connector(station)
    async with local_start_configuration(station), states.transactions_ended_afterwards(station):
        tx = await states.parking_bay_occupied(station, evse, connector)
        tx = await states.energy_transfer_started(station, evse, connector, tx=tx)
        await states.stop_authorized(station, tx)
        await states.ev_connected_post_session(station, tx)
        await states.ev_disconnected(station, tx)
        await states.parking_bay_unoccupied(station, tx)
        station.check.that("the transaction stopped locally has ended after EVDisconnected / ParkingBayUnoccupied",
                           tx.ended, expected="TransactionEventRequest eventType Ended",
                           actual=[e.payload.get("eventType") for e in tx.events],
                           requirements=("E07.FR.04", "E06.FR.15"))
