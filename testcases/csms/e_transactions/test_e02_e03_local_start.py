"""Block E Transactions, the SUT is a CSMS (the harness plays the Charging Station).

Local start (E02 cable plugged in first, E03 authorization first), an EV not ready to charge, and a transaction
deauthorized because no cable was plugged in within the EV connection timeout (E03.FR.05).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import configured_connector


@case
async def test_tc_e_03_csms(csms: CsmsUnderTest) -> None:
    """Cable plugged in first: the harness station starts the transaction on the cable (EVConnectedPreSession), is
    authorized afterwards and charges.

    Part 6 steps / validations implemented:
    - Before: EVConnectedPreSession (Occupied, Started CablePluggedIn EVConnected, answered);
    - step 1: Authorized: AuthorizeResponse Accepted; Updated Authorized with the idToken answered with idTokenInfo
      Accepted (E02.FR.02: the CSMS answers an authorization status);
    - step 2: EnergyTransferStarted Part 2 (Updated ChargingStateChanged Charging), answered;
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.ev_connected_pre_session(csms, evse, connector, tx=tx)
        await states.authorized(csms, evse, connector, tx=tx, requirements=("Part 6 TC_E_03_CSMS step 1", "E02.FR.02"))
        await states.energy_transfer_started(csms, evse, connector, tx=tx)


@case
async def test_tc_e_04_csms(csms: CsmsUnderTest) -> None:
    """Authorization first: the harness station is authorized, starts the transaction (Started Authorized), then the
    cable is plugged in and it charges.

    Part 6 steps / validations implemented:
    - step 1: Authorized: AuthorizeResponse Accepted; Started Authorized with the idToken answered with idTokenInfo
      Accepted (E03.FR.02);
    - step 2: EnergyTransferStarted (Occupied, Updated CablePluggedIn, Updated Charging), each answered;
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.authorized(csms, evse, connector, tx=tx, requirements=("Part 6 TC_E_04_CSMS step 1", "E03.FR.02"))
        await states.energy_transfer_started(csms, evse, connector, tx=tx)


@case
async def test_tc_e_38_csms(csms: CsmsUnderTest) -> None:
    """EV not ready: after the authorization and the cable, the EV does not take energy yet (SuspendedEV).

    Part 6 steps / validations implemented:
    - Before: Authorized (AuthorizeResponse and TransactionEventResponse idTokenInfo Accepted);
    - step 1: EVConnectedPreSession (Occupied, Updated CablePluggedIn EVConnected), answered;
    - steps 2-3: Updated ChargingStateChanged SuspendedEV, answered;
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.authorized(csms, evse, connector, tx=tx)
        await states.ev_connected_pre_session(csms, evse, connector, tx=tx)
        await states.transaction_event(csms, tx, "Updated", "ChargingStateChanged", "SuspendedEV",
                                       requirements=("Part 6 TC_E_38_CSMS step 3",))


@case
async def test_tc_e_39_csms(csms: CsmsUnderTest) -> None:
    """Deauthorized by timeout: the harness station is authorized but no cable is plugged in; when its EV connection
    timeout expires it ends the transaction (EVConnectTimeout, stoppedReason Timeout).

    Part 6 steps / validations implemented:
    - Before: Authorized (AuthorizeResponse and TransactionEventResponse idTokenInfo Accepted);
    - the <Configured EV connection timeout> (``configured.ev_connection_timeout``), recorded as a protocol wait;
    - steps 1-2: Ended (EVConnectTimeout, Idle, stoppedReason Timeout), answered (E03.FR.05, E06.FR.04 are the
      station's; the CSMS must accept the end)."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.authorized(csms, evse, connector, tx=tx)
        await states.station_timer(csms, csms.config.configured.ev_connection_timeout,
                                   "<Configured EV connection timeout> (Part 6 TC_E_39_CSMS step 1 note)")
        await states.transaction_event(csms, tx, "Ended", "EVConnectTimeout", "Idle", info={"stoppedReason": "Timeout"},
                                       requirements=("Part 6 TC_E_39_CSMS step 2",))
