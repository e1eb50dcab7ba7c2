"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Cold boot (B01), boot Pending / Rejected (B02/B03) and the
WebSocket subprotocol negotiation of OCPP-J Part 4 §3.1.2 (TC_B_58_CSMS).
"""

from __future__ import annotations

import asyncio

from conformance.harness import CsmsUnderTest, OneOf, Satisfies, case
from conformance.harness.reusable_states import csms as states
from conformance.outcomes import Inconclusive
from conformance.protocol import registration
from conformance.protocol.frames import utc_now

from ._steps import boot_interval_of, boot_pending_interval


@case
async def test_tc_b_01_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, accepted: the CSMS accepts a registered station's BootNotification and its
    connector status reports. The scenario is the Booted state itself, so the station boots even when it is
    still connected and booted from the case before.

    Part 6 steps / validations implemented:
    - Booted (CSMS), the scenario itself (the station boots even when still connected): step 1 BootNotification with
      the configured model / vendorName; tool validation step 2 status Accepted (B01.FR.02), interval an integer >= 0;
    - steps 3-4: every connector reported Available, each answered (OCPP-J Part 4 §4.2.2).
    """
    boot = await states.booted(csms, power_cycle=True)
    assert boot.boot is not None
    csms.check.fields("BootNotificationResponse", boot.boot.payload, {
        "interval": Satisfies(lambda v: isinstance(v, int) and v >= 0, "a heartbeat interval in seconds (>= 0)"),
    }, requirements=("B01.FR.02",))


@case
async def test_tc_b_02_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, Pending: configured to first answer Pending, the CSMS answers the harness station's boot
    Pending, keeps the connection open during the interval (it may ask the station for information meanwhile),
    and, by itself, accepts the boot that follows and the connector status reports.

    Part 6 steps / validations implemented:
    - prerequisite: the CSMS is configured to first answer Pending (``csms_configure boot_status Pending``,
      nothing more: leaving Pending is the CSMS's own decision);
    - steps 1-2 tool validation: BootNotificationResponse status Pending;
    - note: the harness waits the interval (the configured heartbeat interval when it is 0), answering the
      CSMS's requests; the connection stays open (B02.FR.06);
    - steps 3-4 tool validation: BootNotificationResponse status Accepted (B01.FR.02);
    - steps 5-6: every connector reported Available, each answered (OCPP-J Part 4 §4.2.2)."""
    async with states.boot_answered(csms, "Pending"):
        await csms.connect()
        first = await states.boot_notification(csms)
        csms.check.fields("BootNotificationResponse (first boot)", first.payload, {"status": "Pending"},
                          requirements=("Part 6 TC_B_02_CSMS tool validation step 2 (prerequisite: configured to "
                                        "first answer Pending)", "B01.FR.02"))
        requests = await boot_pending_interval(csms, boot_interval_of(csms, first.payload))
        if requests:
            csms.note(f"during the Pending interval the CSMS sent: {[r.action for r in requests]}")
        second = await states.boot_notification(csms)
        csms.check.fields("BootNotificationResponse (after the interval)", second.payload, {"status": "Accepted"},
                          requirements=("Part 6 TC_B_02_CSMS tool validation 'Step 3' (the step-4 response)",
                                        "B01.FR.02"))
        await states.report_availability(csms, csms.connectors, "Available")


@case
async def test_tc_b_30_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, Pending/Rejected, SecurityError: configured to first answer Pending (Rejected when the CSMS does
    not declare C-44), the CSMS answers the status reports the harness station then sends, unasked, with
    CALLERROR SecurityError.

    Part 6 steps / validations implemented:
    - prerequisite: the CSMS is configured to first answer Pending (C-44) or Rejected;
    - steps 1-2 tool validation: BootNotificationResponse status Pending or Rejected;
    - steps 3-4: each StatusNotificationRequest answered with CALLERROR SecurityError (B02.FR.09 / B03.FR.07);
    - Part 2 only, with Rejected: the CSMS initiates no message meanwhile (B03.FR.03)."""
    wanted = "Pending" if csms.config.pics.supports("C-44") else "Rejected"
    async with states.boot_answered(csms, wanted):
        conn = await csms.connect()
        mark = conn.mark()
        boot = await states.boot_notification(csms)
        csms.check.fields("BootNotificationResponse", boot.payload, {"status": OneOf("Pending", "Rejected")},
                          requirements=("Part 6 TC_B_30_CSMS tool validation step 2", "B01.FR.02"))
        refusal = registration.csms_answer(boot.payload["status"], "StatusNotification")  # B02.FR.09 / B03.FR.07
        assert refusal is not None
        for evse, connector in csms.connectors:
            response = await csms.call("StatusNotification", {"timestamp": utc_now(),
                                                              "connectorStatus": "Available", "evseId": evse,
                                                              "connectorId": connector})
            csms.check.that(f"the CSMS answers the StatusNotification of EVSE {evse} connector {connector} of a "
                            f"{boot.payload['status']} station with CALLERROR SecurityError",
                            response.error_code == refusal.error_code, expected=refusal.describe(),
                            actual=response.describe() if not response.ok else f"CALLRESULT {response.payload}",
                            requirements=(*refusal.requirements, "Part 6 TC_B_30_CSMS step 4"))
        if boot.payload["status"] == "Rejected":
            initiated = [c.action for c in conn.mailbox[mark:] if not registration.csms_may_send(
                registration.REJECTED, c.action, requested_message=c.payload.get("requestedMessage"))]
            csms.check.that("the CSMS initiates no message to the station it Rejected (Part 2; Part 6 is silent)",
                            not initiated, expected="no CALL from the CSMS", actual=initiated,
                            requirements=registration.csms_sending_requirements(registration.REJECTED))


@case
async def test_tc_b_31_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, Pending/Rejected, TriggerMessage: after answering the harness station's boot Pending (or
    Rejected), the CSMS asks for a BootNotification with TriggerMessage before the interval is over, and accepts
    the triggered boot and the connector status reports.

    Part 6 steps / validations implemented:
    - prerequisite: the CSMS is configured to first answer Pending (C-44) or Rejected; nothing more (no operator
      switch to Accepted);
    - steps 1-2 tool validation: BootNotificationResponse status Pending or Rejected;
    - step 3 tool validation: TriggerMessageRequest requestedMessage BootNotification (F06.FR.01), asked of the
      CSMS by ``csms_send`` (Part 6 names no other trigger). With Rejected this is Part 6's scenario although
      B03.FR.03 forbids a CSMS to initiate messages to a Rejected station: Pending is used whenever the CSMS
      declares C-44;
    - steps 5-6 tool validation: the triggered boot (reason Triggered) is Accepted (B01.FR.02);
    - steps 7-8: every connector reported Available, each answered."""
    wanted = "Pending" if csms.config.pics.supports("C-44") else "Rejected"
    async with states.boot_answered(csms, wanted):
        await csms.connect()
        boot = await states.boot_notification(csms)
        csms.check.fields("BootNotificationResponse (first boot)", boot.payload,
                          {"status": OneOf("Pending", "Rejected")},
                          requirements=("Part 6 TC_B_31_CSMS tool validation step 2", "B01.FR.02"))
        with csms.station.answering("TriggerMessage", {"status": "Accepted"}):
            await csms.actions.do("csms_send", station=csms.identity, request="TriggerMessage",
                                  payload={"requestedMessage": "BootNotification"})
            trigger = await csms.expect_call("TriggerMessage")
            async with asyncio.timeout(csms.message_timeout):
                await trigger.answered.wait()  # the harness station boots after its TriggerMessageResponse
        csms.check.fields("TriggerMessageRequest", trigger.payload, {"requestedMessage": "BootNotification"},
                          requirements=("Part 6 TC_B_31_CSMS tool validation step 3", "F06.FR.01"))
        triggered = await states.boot_notification(csms, reason="Triggered")
        csms.check.fields("BootNotificationResponse (triggered boot)", triggered.payload, {"status": "Accepted"},
                          requirements=("Part 6 TC_B_31_CSMS tool validation step 6", "B01.FR.02"))
        await states.report_availability(csms, csms.connectors, "Available")


CREDENTIALS_REFUSED = (401, 403)


@case
async def test_tc_b_58_csms(csms: CsmsUnderTest) -> None:
    """WebSocket subprotocol negotiation (added by Part 5 erratum 5.10, defined in Part 6 erratum 6.2.21):
    offered only an OCPP version it does not implement, the CSMS must not end up with a working
    connection on it; offered that version and ocpp2.0.1, it must upgrade and name ocpp2.0.1 in
    Sec-WebSocket-Protocol.

    Part 6 steps / validations implemented:
    - steps 1-2 (erratum 6.2.21): offered only ocpp0.1, the CSMS does not upgrade (an HTTP error status), or,
      what OCPP-J Part 4 §3.2 prescribes, completes the handshake without Sec-WebSocket-Protocol and closes the
      connection at once (within the message timeout). A 101 that selects a subprotocol that was not offered
      (RFC 6455 §4.1; the client must fail it) or that stays open is not a refusal: FAIL;
    - steps 3-4: offered ocpp0.1 and ocpp2.0.1, the CSMS upgrades with Sec-WebSocket-Protocol ocpp2.0.1
      (OCPP-J Part 4 §3.1.2 / §3.2);
    - an HTTP 401/403 is a refusal of the credentials, not of the subprotocol: when the step 3 attempt (same
      credentials) is refused the same way, the case is INCONCLUSIVE; when step 3 upgrades, the step 1 answer
      counts as "does not upgrade"."""
    from conformance.transport.client import probe_subprotocols

    part6 = "Part 6 TC_B_58_CSMS (erratum 6.2.21)"
    config = csms.ctx.config
    await csms.close_all()  # the harness station is disconnected before each attempt

    async def attempt(offered: tuple[str, ...], close_wait: float):
        return await probe_subprotocols(
            config.connection.csms_url or "", csms.identity, offered, password=csms.station.password,
            connect_timeout=csms.ctx.scaled(config.timing.connect_timeout), close_wait=close_wait,
            log=csms.ctx.log)

    # An upgrade without a subprotocol must be closed by the CSMS "at once": within the message timeout.
    unsupported = await attempt(("ocpp0.1",), csms.ctx.message_timeout)
    both = await attempt(("ocpp0.1", "ocpp2.0.1"), 0)  # not watched: the harness closes it right away
    if both.status in CREDENTIALS_REFUSED:
        raise Inconclusive(f"the CSMS refused the harness station's credentials (HTTP {both.status}) also when "
                           "offered ocpp2.0.1: the subprotocol negotiation cannot be judged (check "
                           "connection.identity / connection.password)")
    if unsupported.status in CREDENTIALS_REFUSED:
        csms.note(f"offered only ocpp0.1 the CSMS answered HTTP {unsupported.status} (a credentials refusal) "
                  "although it accepts the same credentials with ocpp2.0.1: counted as not upgrading")
    invalid = not unsupported.upgraded and unsupported.status is None  # a 101 the client had to fail
    refused = (not unsupported.upgraded and not invalid) or (unsupported.selected is None and unsupported.closed_by_sut)
    csms.check.that("offered only ocpp0.1, the CSMS refuses the connection (no upgrade, or an upgrade without "
                    "Sec-WebSocket-Protocol that it closes at once)", refused,
                    expected="an HTTP error status, or 101 without Sec-WebSocket-Protocol and then closed",
                    actual=("a 101 the client must fail: " if invalid else "") + unsupported.describe(),
                    requirements=(f"{part6} step 2", "OCPP-J Part 4 §3.2"))
    csms.check.that("offered ocpp0.1 and ocpp2.0.1, the CSMS upgrades the connection", both.upgraded,
                    expected="HTTP 101", actual=both.describe(),
                    requirements=(f"{part6} step 4", "OCPP-J Part 4 §3.1.2"))
    csms.check.equal("Sec-WebSocket-Protocol of the upgrade response", both.selected, "ocpp2.0.1",
                     requirements=(f"{part6} step 4", "OCPP-J Part 4 §3.2"))
