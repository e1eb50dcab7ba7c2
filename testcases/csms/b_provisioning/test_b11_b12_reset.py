"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Reset without (B11) and with (B12) an ongoing transaction.

Reset: on request (action ``csms_send``) the CSMS sends ResetRequest for the station or one EVSE, OnIdle or
Immediate; the harness station answers Accepted, or Scheduled while a transaction runs and the reset is OnIdle. A
reset of the whole station is followed by the harness station's reboot: a new WebSocket connection,
BootNotificationRequest (reason RemoteReset, ScheduledReset after a Scheduled one), which the CSMS must accept,
and a status report of every connector. The ResetRequest must leave evseId out when the station is reset (errata
6.2.13-15 for TC_B_20/21/22_CSMS) and carry the configured evseId when an EVSE is. After a Scheduled answer
(TC_B_21/26_CSMS) the harness sends Part 6's two events, Updated StopAuthorized (chargingState EVConnected) and
Ended EVCommunicationLost.

The station rules of B11/B12 (what a station does with the request) bind no CSMS: the request checks cite the
Part 6 tool validation (or the manual action, which names the type) and the boot answer B01.FR.02.
"""

from __future__ import annotations

from conformance.harness import ABSENT, CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.protocol.frames import utc_now

from ._steps import reset_configured_connector, reset_during_transaction, reset_reboot_csms, reset_requested


@case
async def test_tc_b_20_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the idle station (OnIdle, no evseId) and accepts its boot after the reboot.

    Part 6 steps / validations implemented:
    - manual action + step 1: ResetRequest type OnIdle (the manual action's type) and evseId omitted (tool
      validation step 1, erratum 6.2.13);
    - steps 3-4: the boot (reason RemoteReset) is Accepted (tool validation step 4, B01.FR.02);
    - steps 5-6: every connector reported Available, each answered (OCPP-J Part 4 §4.2.2)."""
    await states.booted(csms)
    request = await reset_requested(csms, {"type": "OnIdle"}, {"type": "OnIdle", "evseId": ABSENT},
                                    ("Part 6 TC_B_20_CSMS manual action / tool validation step 1 (erratum 6.2.13)",))
    await reset_reboot_csms(csms, request, "RemoteReset", validation="Part 6 TC_B_20_CSMS tool validation step 4")


@case
async def test_tc_b_21_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS resets the station OnIdle; it accepts the Scheduled answer, the
    transaction's end and the boot (reason ScheduledReset) after the reboot.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted (CSMS);
    - step 1 tool validation: ResetRequest type OnIdle, evseId omitted (erratum 6.2.14);
    - steps 3-6: Updated StopAuthorized (EVConnected, idToken) and Ended EVCommunicationLost, each answered;
    - steps 7-8: the boot (reason ScheduledReset) is Accepted (tool validation step 8, B01.FR.02);
    - steps 9-10: every connector reported Available, each answered."""
    await states.booted(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        request = await reset_during_transaction(
            csms, transactions, {"type": "OnIdle"}, {"type": "OnIdle", "evseId": ABSENT},
            ("Part 6 TC_B_21_CSMS tool validation step 1 (erratum 6.2.14)",), scheduled_case="TC_B_21_CSMS")
        await reset_reboot_csms(csms, request, "ScheduledReset",
                                validation="Part 6 TC_B_21_CSMS tool validation step 8")


@case
async def test_tc_b_22_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS resets the station Immediate; it accepts the transaction's end
    (ResetCommand, ImmediateReset) and the boot (reason RemoteReset) after the reboot.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted (CSMS);
    - step 1 tool validation: ResetRequest type Immediate, evseId omitted (erratum 6.2.15);
    - steps 3-4: Ended ResetCommand / EVConnected / ImmediateReset, answered;
    - steps 5-6: the boot (reason RemoteReset) is Accepted (tool validation step 6, B01.FR.02), the configured
      connector reported Occupied and the others Available, each answered."""
    await states.booted(csms)
    evse, connector = reset_configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        request = await reset_during_transaction(csms, transactions, {"type": "Immediate"},
                                                 {"type": "Immediate", "evseId": ABSENT},
                                                 ("Part 6 TC_B_22_CSMS tool validation step 1 (erratum 6.2.15)",))
        await reset_reboot_csms(csms, request, "RemoteReset", {(evse, connector): "Occupied"},
                                validation="Part 6 TC_B_22_CSMS tool validation step 6")


@case
async def test_tc_b_25_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets one idle EVSE: ResetRequest OnIdle with the configured evseId.

    Part 6 steps / validations implemented:
    - step 1 tool validation: ResetRequest type OnIdle, evseId the configured EVSE."""
    await states.booted(csms)
    evse, _ = reset_configured_connector(csms)
    await reset_requested(csms, {"type": "OnIdle", "evseId": evse}, {"type": "OnIdle", "evseId": evse},
                          ("Part 6 TC_B_25_CSMS tool validation step 1",))


@case
async def test_tc_b_26_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the EVSE that charges, OnIdle; it accepts the Scheduled answer and the
    transaction's end.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted (CSMS);
    - step 1 tool validation: ResetRequest type OnIdle, evseId the configured EVSE;
    - steps 3-6: Updated StopAuthorized (EVConnected, idToken) and Ended EVCommunicationLost, each answered;
    - afterwards (not judged): the connector reported Available, so the next case starts idle."""
    await states.booted(csms)
    evse, connector = reset_configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        await reset_during_transaction(csms, transactions, {"type": "OnIdle", "evseId": evse},
                                       {"type": "OnIdle", "evseId": evse},
                                       ("Part 6 TC_B_26_CSMS tool validation step 1",), scheduled_case="TC_B_26_CSMS")
        await _connector_available_again(csms, evse, connector)


@case
async def test_tc_b_27_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the EVSE that charges, Immediate; it accepts the transaction's end
    (ResetCommand, ImmediateReset).

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted (CSMS);
    - step 1 tool validation: ResetRequest type Immediate, evseId the configured EVSE;
    - steps 3-4: Ended ResetCommand / EVConnected / ImmediateReset, answered."""
    await states.booted(csms)
    evse, connector = reset_configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        await reset_during_transaction(csms, transactions, {"type": "Immediate", "evseId": evse},
                                       {"type": "Immediate", "evseId": evse},
                                       ("Part 6 TC_B_27_CSMS tool validation step 1",))


async def _connector_available_again(csms: CsmsUnderTest, evse: int, connector: int) -> None:
    """General precondition for the next case (not a Part 6 step): the connector is reported Available."""
    response = await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Available",
                                                      "evseId": evse, "connectorId": connector})
    if not response.ok:
        csms.note(f"could not report EVSE {evse} connector {connector} Available again: {response.describe()}")
