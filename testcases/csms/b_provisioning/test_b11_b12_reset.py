"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Reset without (B11) and with (B12) an ongoing transaction.

Reset: on request (action ``csms_send``) the CSMS sends ResetRequest for the station or one EVSE, OnIdle or
Immediate; the harness station answers Accepted, or Scheduled while a transaction runs and the reset is OnIdle. A
reset of the whole station is followed by the harness station's reboot: a new WebSocket connection,
BootNotificationRequest (reason RemoteReset, ScheduledReset after a Scheduled one), which the CSMS must accept,
and a status report of every connector. The ResetRequest must leave evseId out when the station is reset (errata
2024-09 for TC_B_20/21/22_CSMS) and carry the configured evseId when an EVSE is. Where Part 6 has the harness
stop a transaction with a StopAuthorized event in chargingState EVConnected followed by Ended (TC_B_21/26_CSMS),
the CSMS-side reusable states StopAuthorized, EVConnectedPostSession and EVDisconnected are used (a
ChargingStateChanged event and the connector's Available report in between); the CSMS is judged on answering each
of them.
"""

from __future__ import annotations

from conformance.harness import ABSENT, CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import reset_configured_connector, reset_ended_immediately, reset_reboot_csms, reset_requested


@case
async def test_tc_b_20_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the idle station (OnIdle, no evseId) and accepts its boot after the reboot."""
    await states.booted(csms)
    request = await reset_requested(csms, {"type": "OnIdle"}, {"evseId": ABSENT}, ("B11", "B11.FR.03"))
    await reset_reboot_csms(csms, request, "RemoteReset")


@case
async def test_tc_b_21_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS resets the station OnIdle; it accepts the Scheduled answer, the
    transaction's end and the boot (reason ScheduledReset) after the reboot."""
    await states.booted(csms)
    evse, connector = reset_configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        with csms.station.answering("Reset", {"status": "Scheduled"}):
            request = await reset_requested(csms, {"type": "OnIdle"}, {"type": "OnIdle", "evseId": ABSENT},
                                             ("B12", "B12.FR.01", "B12.FR.03"))
        await states.transaction_ended(csms, tx)
        await reset_reboot_csms(csms, request, "ScheduledReset")


@case
async def test_tc_b_22_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS resets the station Immediate; it accepts the transaction's end
    (ResetCommand, ImmediateReset) and the boot (reason RemoteReset) after the reboot."""
    await states.booted(csms)
    evse, connector = reset_configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        request = await reset_requested(csms, {"type": "Immediate"}, {"type": "Immediate", "evseId": ABSENT},
                                         ("B12", "B12.FR.02", "B12.FR.04"))
        await reset_ended_immediately(csms, tx)
        await reset_reboot_csms(csms, request, "RemoteReset", {(evse, connector): "Occupied"})


@case
async def test_tc_b_25_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets one idle EVSE: ResetRequest OnIdle with the configured evseId."""
    await states.booted(csms)
    evse, _ = reset_configured_connector(csms)
    await reset_requested(csms, {"type": "OnIdle", "evseId": evse}, {"type": "OnIdle", "evseId": evse},
                           ("B11", "B11.FR.08"))


@case
async def test_tc_b_26_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the EVSE that charges, OnIdle; it accepts the Scheduled answer and the
    transaction's end."""
    await states.booted(csms)
    evse, connector = reset_configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        with csms.station.answering("Reset", {"status": "Scheduled"}):
            await reset_requested(csms, {"type": "OnIdle", "evseId": evse}, {"type": "OnIdle", "evseId": evse},
                                   ("B12", "B12.FR.01", "B12.FR.07"))
        await states.transaction_ended(csms, tx)


@case
async def test_tc_b_27_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the EVSE that charges, Immediate; it accepts the transaction's end
    (ResetCommand, ImmediateReset)."""
    await states.booted(csms)
    evse, connector = reset_configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        await reset_requested(csms, {"type": "Immediate", "evseId": evse}, {"type": "Immediate", "evseId": evse},
                               ("B12", "B12.FR.02", "B12.FR.08"))
        await reset_ended_immediately(csms, tx)
