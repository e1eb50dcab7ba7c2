"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS).

The start and stop options reached remotely: TxStartPoint Authorized with a remote start (E01 S3 and F02),
TxStopPoint Authorized / PowerPathClosed with a remote stop (E06 S3 / S5 and F03).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states

from ._steps import configured_connector, start_point
from ._steps_stop import tx_stop_point


@case
async def test_tc_e_13_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint Authorized, a RequestStartTransaction starts the transaction at the authorization, before
    the EV is plugged in; it then charges.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.44: extended until charging):
    - prerequisite: TxStartPoint can be set to Authorized, or contains it (else NOT APPLICABLE);
    - Before: TxStartPoint set to Authorized (if ReadWrite), AuthEnabled true, DisableRemoteAuthorization false (if
      implemented);
    - step 1, Authorized (remote): response Accepted; AuthorizeRequest with the idToken when AuthorizeRemoteStart is
      true (none when false: F01.FR.02); TransactionEventRequest eventType Started, triggerReason RemoteStart, the
      idToken, the remoteStartId (E01.FR.03, F01.FR.19, F02.FR.01);
    - steps 2-3, EVConnectedPreSession (errata §6.2.44: plug-in, Occupied, an Updated event CablePluggedIn /
      ChargingStateChanged / RemoteStart with EVConnected / SuspendedEVSE / Charging) and EnergyTransferStarted
      (chargingState Charging)."""
    evse, connector = configured_connector(station)
    async with start_point(station, "Authorized", excluded=(),
                           prerequisite="TxStartPoint is ReadWrite with Authorized supported, or contains Authorized "
                                        "(TC_E_13_CS)"), \
            states.remote_start_settings(station) as settings, states.transactions_ended_afterwards(station):
        tx = await states.authorized_remote(station, evse, connector, settings)
        # errata 2025-09 §6.2.44 step 2: EVConnectedPreSession (its plug-in event: CablePluggedIn, ChargingStateChanged
        # or RemoteStart; EVConnected, SuspendedEVSE or Charging), then EnergyTransferStarted part 2 (review M7)
        await states.ev_connected_pre_session_of(station, tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)


@case
async def test_tc_e_21_cs(station: ChargingStationUnderTest) -> None:
    """With TxStopPoint Authorized, a RequestStopTransaction ends the transaction at once.

    Part 6 steps / validations implemented:
    - prerequisite: TxStopPoint contains Authorized and not PowerPathClosed, or can be set so (else NOT APPLICABLE);
    - Before: TxStopPoint contains Authorized; EnergyTransferStarted;
    - steps 1-2: RequestStopTransaction with the transaction's id, response Accepted (F03.FR.07);
    - step 3: TransactionEventRequest triggerReason RemoteStop, stoppedReason Remote, eventType Ended (F03.FR.03,
      E06.FR.03, E06.FR.15, F03.FR.09)."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "Authorized", lambda p: "Authorized" in p and "PowerPathClosed" not in p,
                             prerequisite="TxStopPoint is ReadWrite with Authorized supported, or ReadOnly with "
                                          "Authorized and without PowerPathClosed (TC_E_21_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await states.stop_authorized_remote(station, tx, ended_by_remote_stop_event=True)


@case
async def test_tc_e_35_cs(station: ChargingStationUnderTest) -> None:
    """With TxStopPoint PowerPathClosed, a RequestStopTransaction ends the transaction.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.49):
    - prerequisite: TxStopPoint contains PowerPathClosed and not Authorized, or can be set so (else NOT APPLICABLE);
    - Before: TxStopPoint contains PowerPathClosed; EnergyTransferStarted;
    - steps 1-2: RequestStopTransaction with the transaction's id, response Accepted (F03.FR.07);
    - step 3: one of the TransactionEventRequests has triggerReason RemoteStop; the last one is Ended with
      stoppedReason Remote (E06.FR.06, E06.FR.15, F03.FR.03)."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "PowerPathClosed", lambda p: "PowerPathClosed" in p and "Authorized" not in p,
                             prerequisite="TxStopPoint is ReadWrite with PowerPathClosed supported, or ReadOnly with "
                                          "PowerPathClosed and without Authorized (TC_E_35_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await states.stop_authorized_remote(station, tx, any_ending=True)
