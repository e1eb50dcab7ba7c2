"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS).

Cold boot accepted (B01), boot Pending / Rejected (B02/B03),
offline behaviour (B04) and reconnection (OCPP-J Part 4 §5.3).
"""

from __future__ import annotations

import contextlib
import time

from conformance.harness import ChargingStationUnderTest, OneOf, Satisfies, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import HarnessError, Inconclusive
from conformance.protocol.errors import PeerClosed, PeerTimeout
from conformance.protocol import registration
from conformance.protocol.variables import (NETWORK_PROFILE_CONNECTION_ATTEMPTS, OFFLINE_THRESHOLD,
                                            RETRY_BACK_OFF_RANDOM_RANGE, RETRY_BACK_OFF_REPEAT_TIMES,
                                            RETRY_BACK_OFF_WAIT_MINIMUM)
from conformance.transport.connection import Connection, IncomingCall

from ._steps import (boot_answer_sent, boot_attempts, boot_interval, boot_next_handshake, boot_notify_reports,
                     boot_offline_status_change, boot_restart)


@case
async def test_tc_b_01_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, accepted: after a power cycle the station sends BootNotification with a reason,
    is accepted, and reports the state of every connector.

    Checks (reusable state Booted): BootNotificationRequest first after start-up (B01.FR.08), reason
    (B01.FR.09); step 5 every connector Available after the Accepted answer (B01.FR.05); step 7
    SecurityEventNotification StartupOfTheDevice / ResetOrReboot (A04.FR.01); post-scenario every connector
    reported (B01.FR.05)."""
    boot = await states.booted(station)
    station.check.that("every configured connector was reported after the accepted boot",
                       set(boot.connector_reports) == set(station.connectors),
                       expected=sorted(station.connectors), actual=sorted(boot.connector_reports),
                       requirements=("B01.FR.05",))


@case
async def test_tc_b_02_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, Pending: after a reboot the harness answers the boot Pending. While pending the station
    answers Set/GetVariables and GetBaseReport, rejects a remote start, keeps the connection open and sends
    nothing else; any retry comes no sooner than the interval. A TriggerMessage BootNotification makes it boot at
    once (reason Triggered). Once accepted it reports every connector and rejects a further BootNotification
    trigger.

    Checks: step 4 SetVariables Accepted, step 6 GetVariables Accepted, step 8 GetBaseReport Accepted + its
    NotifyReports (B02.FR.01); step 12 RequestStartTransaction Rejected (B02.FR.05); step 14 TriggerMessage
    Accepted or NotImplemented (Part 6 TC_B_02 step 14; F06.FR.05 would also allow Rejected); step 15 reason
    Triggered after the response (F06.FR.10, F06.FR.04, B01.FR.09), or with NotImplemented the next retry after
    the interval (B02.FR.08); step 17 every connector Available after the Accepted answer (B01.FR.05); Pending
    phase: retries no sooner than the interval (B02.FR.04, no upper bound; step 13 is sent half the interval after
    the Pending answer, before the interval as Part 6's step 15 note has it, so that an early retry can show), only BootNotification / requested
    NotifyReport sent (B02.FR.02), connection open (B02.FR.06); after acceptance TriggerMessage BootNotification
    Rejected (F06.FR.17, Part 2 check in the case's requirement list). The Pending answer's interval, like the
    Accepted one's, is ``timing.heartbeat_interval`` (Part 6 step 2: <Configured heartbeatInterval>)."""
    interval = boot_interval(station)
    async with station.restoring(OFFLINE_THRESHOLD), \
            states.boot_answered(station, "Pending", interval) as answers:
        count = station.connection_count() + 1
        conn, first = await boot_restart(station)
        set_response = await conn.call("SetVariables", {"setVariableData": [
            dict(OFFLINE_THRESHOLD, attributeValue="300")]})
        station.check.fields("SetVariablesResponse (while Pending)", set_response.payload,
                             {"setVariableResult[0].attributeStatus": "Accepted"}, requirements=("B02.FR.01",))
        get_response = await conn.call("GetVariables", {"getVariableData": [OFFLINE_THRESHOLD]})
        station.check.fields("GetVariablesResponse (while Pending)", get_response.payload,
                             {"getVariableResult[0].attributeStatus": "Accepted"}, requirements=("B02.FR.01",))
        request_id = station.ctx.ids.next("requestId")  # <Generated requestId>
        report = await conn.call("GetBaseReport", {"requestId": request_id, "reportBase": "FullInventory"})
        station.check.fields("GetBaseReportResponse (while Pending)", report.payload, {"status": "Accepted"},
                             requirements=("B02.FR.01",))
        await boot_notify_reports(station, conn, request_id)
        token = station.config.id_tokens.valid.to_ocpp()
        start = await conn.call("RequestStartTransaction", {"idToken": token,
                                                            "remoteStartId": station.ctx.ids.next("remoteStartId")})
        fixed = registration.station_answer(registration.PENDING, "RequestStartTransaction")
        assert fixed is not None and fixed.payload is not None
        station.check.that("the station answers RequestStartTransactionRequest with a CALLRESULT while Pending",
                           start.ok, expected="CALLRESULT", actual=start.describe(), requirements=fixed.requirements)
        station.check.fields("RequestStartTransactionResponse (while Pending)", start.payload, fixed.payload,
                             requirements=fixed.requirements)
        # Part 6 steps 3-14 run while Pending and step 13 comes before the interval has passed (step 15 note). The
        # steps are paced so that step 13 comes no earlier than half the interval after the Pending answer: a retry
        # sooner than the interval (B02.FR.04) has room to show; nothing else is asked of the station meanwhile.
        pace = answers.log[0].answered_at + interval / 2 - time.monotonic()
        if pace > 0:
            station.protocol_wait(pace, "half the boot interval while Pending, before TriggerMessage (step 13)")
            with contextlib.suppress(PeerTimeout):  # an early retry ends the wait; it is judged below
                await conn.expect_call("BootNotification", since=conn.mailbox.index(first) + 1, timeout=pace)
        answers.accept_reason = "Triggered"
        mark = conn.mark()
        trigger = await conn.call("TriggerMessage", {"requestedMessage": "BootNotification"})
        station.check.fields("TriggerMessageResponse (BootNotification, while Pending; Part 6 TC_B_02 step 14)",
                             trigger.payload, {"status": OneOf("Accepted", "NotImplemented")},
                             requirements=("Part 6 TC_B_02_CS tool validation step 14", "F06.FR.05", "F06.FR.08"))
        if trigger.payload.get("status") == "Accepted":
            # The triggered boot comes at once (not after the interval), after the TriggerMessageResponse; periodic
            # retries (another reason) that arrive meanwhile are answered Pending and judged with the others below.
            try:
                booted = await conn.expect_call("BootNotification", since=mark, timeout=station.message_timeout,
                                                reason="Triggered", requirements=("F06.FR.10",))
            except PeerTimeout as exc:
                station.check.that("the station sends the triggered BootNotificationRequest (reason Triggered)",
                                   False, expected="BootNotificationRequest reason Triggered", actual=exc.actual,
                                   requirements=("F06.FR.10", "B01.FR.09"))
                raise
            station.check.that("the triggered BootNotificationRequest follows the TriggerMessageResponse",
                               booted.received_mono >= trigger.received_mono, expected="after the response",
                               actual=f"{booted.received_mono - trigger.received_mono:+.3f}s after the response",
                               requirements=("F06.FR.04",))
        else:
            answers.status = "Accepted"
            _, booted = await states.expect_boot_retry(
                station, answers, conn, may_close=False, asked_for=None, early=("B02.FR.04",), late=("B02.FR.08",),
                open_requirements=("B02.FR.06",))
        await boot_answer_sent(station, booted)
        if answers.answer_to(booted).status != "Accepted":
            raise HarnessError(f"the harness CSMS answered the station's boot {answers.answer_to(booted).status}, "
                               "not Accepted")
        # Pending phase, as a whole: no retry sooner than the interval, nothing but BootNotification and the
        # NotifyReports asked for, the connection open throughout.
        for previous, retry in zip(answers.log, answers.log[1:]):
            if retry.boot.payload.get("reason") == "Triggered":
                continue
            station.no_sooner_than("BootNotificationRequest is retried no sooner than the interval while Pending",
                                   retry.boot.received_mono - previous.answered_at, required=previous.interval,
                                   requirements=("B02.FR.04",))
        pending = conn.mailbox[conn.mailbox.index(first):conn.mailbox.index(booted)]
        asked = {registration.triggered_by("GetBaseReport", {}), registration.triggered_by(
            "TriggerMessage", {"requestedMessage": "BootNotification"})}  # what the harness asked for meanwhile
        other = [i.action for i in pending
                 if not registration.station_may_send(registration.PENDING, i.action, triggered=i.action in asked)]
        station.check.that("while Pending the station sends only BootNotification and the requested NotifyReport",
                           not other, expected="BootNotification, NotifyReport", actual=other,
                           requirements=registration.station_sending_requirements(registration.PENDING))
        station.check.that("the connection stayed open while Pending", conn.is_open
                           and station.connection_count() == count, expected="one connection, open",
                           actual=f"{station.connection_count() - count + 1} connection(s), open={conn.is_open}",
                           requirements=("B02.FR.06",))
        await states.expect_connector_reports(station, conn, requirements=("B01.FR.05",), after=booted)
        # F06.FR.17: once accepted, a BootNotification trigger is rejected.
        again = await conn.call("TriggerMessage", {"requestedMessage": "BootNotification"})
        station.check.fields("TriggerMessageResponse (BootNotification, once Accepted; Part 2 F06.FR.17)",
                             again.payload, {"status": "Rejected"}, requirements=("F06.FR.17",))


@case
async def test_tc_b_03_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, Rejected: after a reboot the harness answers the boot Rejected. The station sends nothing
    until it retries the boot, no sooner than the interval (it may close the connection meanwhile); accepted
    then, it reports every connector Available.

    Checks: step 3 the retry no sooner than the interval (B03.FR.06; no upper bound: it may reconnect first,
    B03.FR.04) and nothing else sent before it (B03.FR.02); step 5 every connector Available after the Accepted
    answer (B01.FR.05)."""
    interval = boot_interval(station)
    async with states.boot_answered(station, "Rejected", interval) as answers:
        conn, _ = await boot_restart(station)
        answers.status = "Accepted"
        conn, retry = await states.expect_boot_retry(
            station, answers, conn, may_close=True, asked_for=frozenset(), early=("B03.FR.02", "B03.FR.06"),
            late=("B03.FR.06",))
        await boot_answer_sent(station, retry)
        await states.expect_connector_reports(station, conn, requirements=("B01.FR.05",), after=retry)


@case
async def test_tc_b_30_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, Rejected, SecurityError: while its boot is Rejected, the station answers a GetBaseReportRequest
    with CALLERROR SecurityError (asked only while the station keeps the connection open)."""
    interval = boot_interval(station)
    async with states.boot_answered(station, "Rejected", interval):
        conn, _ = await boot_restart(station)
        if not conn.is_open:
            station.note("the station closed the connection after the Rejected boot (B03.FR.04): nothing to ask")
            return
        try:
            response = await conn.call("GetBaseReport", {"requestId": station.ctx.ids.next("requestId"),
                                                         "reportBase": "FullInventory"})
        except PeerClosed as exc:  # the station closed the connection meanwhile (B03.FR.04)
            station.note(f"the station closed the connection after the Rejected boot (B03.FR.04): {exc}")
            return
        fixed = registration.station_answer(registration.REJECTED, "GetBaseReport")
        assert fixed is not None
        station.check.that("the station answers a request while its boot is Rejected with CALLERROR SecurityError",
                           response.error_code == fixed.error_code, expected=fixed.describe(),
                           actual=response.describe() if not response.ok else f"CALLRESULT {response.payload}",
                           requirements=fixed.requirements)


@case
async def test_tc_b_51_cs(station: ChargingStationUnderTest) -> None:
    """Status change during an offline period longer than OCPPCommCtrlr.OfflineThreshold: the harness closes the
    connection and refuses reconnects, an EV is plugged in meanwhile; the harness accepts a reconnect once the
    threshold is exceeded, and the station reports every connector (Occupied for that one, Available for the
    others).

    Configuration state: OfflineThreshold = ``station_values.offline_threshold``, RetryBackOffWaitMinimum = that + 2,
    RetryBackOffRandomRange = 0 (Part 6's "RoutineThreshold" read as OfflineThreshold). Checks: step 4 every
    connector reported, the plugged one Occupied, the others Available (B04.FR.01); an offline period not longer
    than the threshold is INCONCLUSIVE."""
    threshold = station.config.station_values.offline_threshold
    wait_minimum = threshold + 2  # Part 6: the first reconnect attempt comes after the threshold
    async with boot_offline_status_change(station, threshold, wait_minimum, refuse_for=threshold) as (
            conn, offline, plugged):
        if offline <= threshold:
            raise Inconclusive(f"the offline period ({offline:.3f}s) did not exceed OfflineThreshold ({threshold}s)")
        station.note(f"offline for {offline:.3f}s (OfflineThreshold {threshold}s)")
        expected = {k: "Occupied" if k == plugged else "Available" for k in station.connectors}
        await states.expect_availability_reports(
            station, conn, expected, requirements=("B04.FR.01",),
            what="after an offline period longer than OfflineThreshold every connector is reported")


def _unchanged_reports(conn: Connection, since: int, others: list[tuple[int, int]]) -> list[IncomingCall]:
    """Every status report of a connector in ``others`` on ``conn`` from ``since`` (claimed or not)."""
    found = []
    for incoming in conn.mailbox[since:]:
        if incoming.action == "StatusNotification":
            key = (incoming.payload.get("evseId"), incoming.payload.get("connectorId"))
            if key in others:
                found.append(incoming)
        elif incoming.action == "NotifyEvent" and any(
                e.get("variable", {}).get("name") == "AvailabilityState"
                and (e.get("component", {}).get("evse", {}).get("id"),
                     e.get("component", {}).get("evse", {}).get("connectorId")) in others
                for e in incoming.payload.get("eventData", [])):
            found.append(incoming)
    return found


@case
async def test_tc_b_52_cs(station: ChargingStationUnderTest) -> None:
    """Status change during an offline period shorter than OCPPCommCtrlr.OfflineThreshold: the harness closes the
    connection and refuses reconnects while an EV is plugged in; it accepts the next attempt, and the station
    reports that connector Occupied and no other connector.

    Configuration state: OfflineThreshold = ``station_values.offline_threshold``, RetryBackOffWaitMinimum = that - 2,
    RetryBackOffRandomRange = 0. Checks: step 3/4 the plugged connector reported Occupied (B04.FR.02); no report of
    an unchanged connector on the new connection within one message timeout after it, the positive wait's reports
    included (Part 2 B04.FR.02, not a Part 6 validation); an offline period not shorter than the threshold is
    INCONCLUSIVE."""
    threshold = station.config.station_values.offline_threshold
    wait_minimum = threshold - 2  # Part 6: the first reconnect attempt comes before the threshold
    async with boot_offline_status_change(station, threshold, wait_minimum) as (conn, offline, plugged):
        if offline >= threshold:
            raise Inconclusive(f"the offline period ({offline:.3f}s) was not shorter than OfflineThreshold "
                               f"({threshold}s)")
        station.note(f"offline for {offline:.3f}s (OfflineThreshold {threshold}s)")
        await states.expect_availability_reports(
            station, conn, {plugged: "Occupied"}, requirements=("B04.FR.02",),
            what="after a short offline period the connector that changed is reported")
        others = [k for k in station.connectors if k != plugged]
        if not others:
            return
        alternatives = [("StatusNotification", {"evseId": e, "connectorId": c}) for e, c in others] + [
            ("NotifyEvent", {"eventData": Satisfies(
                lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState"
                                 and (e.get("component", {}).get("evse", {}).get("id"),
                                      e.get("component", {}).get("evse", {}).get("connectorId")) in others
                                 for e in data), "an AvailabilityState event of an unchanged connector")})]
        start = station.since(conn)
        if not _unchanged_reports(conn, start, others):
            station.protocol_wait(station.message_timeout, "no report of an unchanged connector expected (B04.FR.02)")
            with contextlib.suppress(PeerTimeout):
                await conn.expect_one_of(alternatives, since=start, timeout=station.message_timeout)
        extra = _unchanged_reports(conn, start, others)
        station.check.that("after a short offline period only the connectors that changed are reported (Part 2 "
                           "B04.FR.02)", not extra, expected=f"no report of {others}",
                           actual=[f"{i.action} {i.payload}" for i in extra], requirements=("B04.FR.02",))


@case
async def test_tc_b_57_cs(station: ChargingStationUnderTest) -> None:
    """Network reconnection after connection loss: the harness closes the connection; the station reconnects
    no sooner than RetryBackOffWaitMinimum. Closed again, its attempt after RetryBackOffWaitMinimum is refused;
    its next attempt comes no sooner than twice that (the back-off doubles).

    Configuration state (errata 2025-09 §6.2.20): NetworkProfileConnectionAttempts 3, RetryBackOffRepeatTimes 2,
    RetryBackOffRandomRange 0, RetryBackOffWaitMinimum ``station_values.retry_back_off_wait_minimum``. Checks:
    step 2 reconnect >= WaitMinimum; step 5 >= WaitMinimum again after a successful connection (errata §4.12);
    step 7 >= 2 x WaitMinimum and >= 2 x the step 5 time (all OCPP-J Part 4 §5.3; lower bounds only)."""
    wait_minimum = station.config.station_values.retry_back_off_wait_minimum
    timeout = station.ctx.scaled(station.config.timing.connect_timeout)
    server = station.server
    async with station.configured(NETWORK_PROFILE_CONNECTION_ATTEMPTS, "3"), \
            station.configured(RETRY_BACK_OFF_REPEAT_TIMES, "2"), \
            station.configured(RETRY_BACK_OFF_RANDOM_RANGE, "0"), \
            station.configured(RETRY_BACK_OFF_WAIT_MINIMUM, str(wait_minimum)):
        try:
            # Steps 1-3: closed by the harness, reconnected after the back-off.
            attempts, count = boot_attempts(station), station.connection_count()
            closing = time.monotonic()
            await station.connection.close(1000, "connection closed by the harness (test)")
            station.protocol_wait(wait_minimum, "RetryBackOffWaitMinimum before reconnecting")
            first = await boot_next_handshake(station, attempts, wait_minimum + timeout)
            station.no_sooner_than("the station reconnects no sooner than RetryBackOffWaitMinimum",
                                   first.mono - closing, required=wait_minimum, requirements=("OCPP-J Part 4 §5.3",))
            conn = await station.wait_for_connection(after=count)
            # Steps 4-6: closed again; the attempt after the (reset) back-off is refused.
            attempts, count = boot_attempts(station), station.connection_count()
            server.refusing.add(station.identity)
            closing = time.monotonic()
            await conn.close(1000, "connection closed by the harness (test)")
            closed = time.monotonic()  # the station's back-off starts between closing and closed
            station.protocol_wait(wait_minimum, "RetryBackOffWaitMinimum before reconnecting")
            refused = await boot_next_handshake(station, attempts, wait_minimum + timeout)
            server.refusing.discard(station.identity)
            step5 = refused.mono - closing
            station.no_sooner_than("after a successful reconnection the station again waits RetryBackOffWaitMinimum",
                                   step5, required=wait_minimum,
                                   requirements=("OCPP-J Part 4 §5.3", "errata 2025-09 §4.12"))
            # Steps 7-8: the next attempt comes after the doubled back-off, and is accepted.
            station.protocol_wait(2 * wait_minimum, "the doubled back-off after a refused attempt")
            retried = await boot_next_handshake(station, attempts + 1, 2 * wait_minimum + timeout)
            step7 = retried.mono - refused.mono
            station.no_sooner_than("after a failed attempt the back-off doubles: at least 2 x RetryBackOffWaitMinimum",
                                   step7, required=2 * wait_minimum, requirements=("OCPP-J Part 4 §5.3",))
            # Step 5's time is a measurement too (up to the max time deviation late: the close handshake, the
            # connection set-up under load); doubled, its deviation doubles. The step 7 time is judged against twice
            # the shortest step 5 time the measurement allows (from the end of the close, less the deviation).
            step5_shortest = max(0.0, refused.mono - closed - station.tolerance)
            station.no_sooner_than("the reconnection time is at least twice that of the refused attempt (step 5 "
                                   f"measured {step5:.3f}s from the close, {refused.mono - closed:.3f}s from its end)",
                                   step7, required=2 * step5_shortest,
                                   requirements=("OCPP-J Part 4 §5.3",))
            await station.wait_for_connection(after=count)
        finally:
            server.refusing.discard(station.identity)
