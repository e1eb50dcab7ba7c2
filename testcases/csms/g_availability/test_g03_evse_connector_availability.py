"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

change availability of an EVSE or a
connector (G03).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import configured_connector, inoperative_scheduled, memory_state_unavailable, set_operative


@case
async def test_tc_g_03_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an EVSE Inoperative and accepts its connectors' Unavailable reports.

    Part 6 steps / validations implemented:
    - Booted (CSMS);
    - step 1 tool validation (§3.18 Unavailable): ChangeAvailabilityRequest Inoperative, evse.id the configured
      EVSE, no connectorId;
    - steps 3-4: the connectors reported Unavailable, each answered (OCPP-J Part 4 §4.2.2).
    """
    await states.booted(csms)
    evse, _ = configured_connector(csms)
    async with states.availability_restored(csms) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(csms, evse=evse)


@case
async def test_tc_g_04_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an Inoperative EVSE Operative and accepts its connectors' Available reports.

    Part 6 steps / validations implemented:
    - Memory State: Unavailable for the configured EVSE (the harness station's own state, reported);
    - step 1 tool validation: ChangeAvailabilityRequest operationalStatus Operative, evse.id the configured EVSE,
      no connectorId;
    - step 3-4: the connectors reported Available, each answered."""
    await states.booted(csms)
    evse, _ = configured_connector(csms)
    async with states.availability_restored(csms) as restore:
        restore.pending.append((evse, None))
        await memory_state_unavailable(csms, evse)
        await set_operative(csms, restore, evse)


@case
async def test_tc_g_07_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets one connector Inoperative and accepts its Unavailable report.

    Part 6 steps / validations implemented:
    - Booted (CSMS);
    - step 1 tool validation: Inoperative, evse.id and evse.connectorId the configured ones;
    - steps 3-4: the connector reported Unavailable, answered.
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with states.availability_restored(csms) as restore:
        restore.pending.append((evse, connector))
        await states.unavailable(csms, evse=evse, connector=connector)


@case
async def test_tc_g_08_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an Inoperative connector Operative and accepts its Available report.

    Part 6 steps / validations implemented:
    - Memory State: Unavailable for the configured connector (the harness station's own state, reported);
    - step 1 tool validation: ChangeAvailabilityRequest operationalStatus Operative, evse.id and
      evse.connectorId the configured ones;
    - step 3-4: the connector reported Available, answered."""
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with states.availability_restored(csms) as restore:
        restore.pending.append((evse, connector))
        await memory_state_unavailable(csms, evse, connector)
        await set_operative(csms, restore, evse, connector)


@case
async def test_tc_g_11_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the EVSE Inoperative; it accepts the Scheduled answer
    and the Unavailable report after the transaction.

    Part 6 steps / validations implemented:
    - Booted, EnergyTransferStarted (Authorized tool validations steps 2/4);
    - step 1 tool validation: Inoperative, evse.id, no connectorId; the harness answers Scheduled;
    - steps 3-5: StopAuthorized (tool validation step 2: idTokenInfo Accepted), EVConnectedPostSession,
      EVDisconnected, each answered;
    - steps 6-7: the connector reported Unavailable, answered.
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with (states.availability_restored(csms) as restore,
                states.transactions_ended_afterwards(csms) as transactions):
        tx = await inoperative_scheduled(csms, restore, transactions, evse)
        # <Configured Transaction Duration>: nothing of the CSMS depends on it; the transaction ends at once.
        await states.transaction_ended(csms, tx, status_after="Unavailable")  # Part 6 step 6 after EVDisconnected
        others = [k for k in states.scope_connectors(csms, evse) if k != (evse, connector)]
        await states.report_availability(csms, others, "Unavailable")


@case
async def test_tc_g_17_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the connector Inoperative; it accepts the Scheduled
    answer and the Unavailable report after the transaction.

    Part 6 steps / validations implemented:
    - Booted, EnergyTransferStarted;
    - step 1 tool validation: Inoperative, evse.id and evse.connectorId; answered Scheduled;
    - steps 3-7: as TC_G_11_CSMS.
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with (states.availability_restored(csms) as restore,
                states.transactions_ended_afterwards(csms) as transactions):
        tx = await inoperative_scheduled(csms, restore, transactions, evse, connector)
        await states.transaction_ended(csms, tx, status_after="Unavailable")  # Part 6 step 6 after EVDisconnected
