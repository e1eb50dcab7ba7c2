"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS).

The start and stop options reached remotely: TxStartPoint Authorized with a remote start (E01 S3 and F02),
TxStopPoint Authorized / PowerPathClosed with a remote stop (E06 S3 / S5 and F03).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.protocol.variables import TX_START_POINT, TX_STOP_POINT


def _configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


@case
async def test_tc_e_13_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint Authorized, a RequestStartTransaction starts the transaction at the authorization, before
    the EV is plugged in; it then charges.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.44: extended until charging):
    - prerequisite: TxStartPoint contains Authorized or can be set to it (else NOT APPLICABLE);
    - Before: TxStartPoint contains Authorized, AuthEnabled true, DisableRemoteAuthorization false (if implemented);
    - step 1, Authorized (remote): response Accepted; AuthorizeRequest with the idToken when AuthorizeRemoteStart is
      true (none when false: F01.FR.02); TransactionEventRequest eventType Started, triggerReason RemoteStart, the
      idToken, the remoteStartId (E01.FR.03, F01.FR.19, F02.FR.01);
    - steps 2-3, EVConnectedPreSession and EnergyTransferStarted: plug-in, Occupied, chargingState Charging."""
    evse, connector = _configured_connector(station)
    async with states.tx_points_configured(station, TX_START_POINT, "Authorized",
                                           prerequisite="prerequisite of TC_E_13_CS: TxStartPoint Authorized"), \
            states.remote_start_settings(station) as settings, states.transactions_ended_afterwards(station):
        tx = await states.authorized_remote(station, evse, connector, settings)
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
    evse, connector = _configured_connector(station)
    async with states.tx_points_configured(station, TX_STOP_POINT, "Authorized", without=("PowerPathClosed",),
                                           prerequisite="prerequisite of TC_E_21_CS: TxStopPoint Authorized"), \
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
    evse, connector = _configured_connector(station)
    async with states.tx_points_configured(station, TX_STOP_POINT, "PowerPathClosed", without=("Authorized",),
                                           prerequisite="prerequisite of TC_E_35_CS: TxStopPoint PowerPathClosed"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await states.stop_authorized_remote(station, tx, any_ending=True)
