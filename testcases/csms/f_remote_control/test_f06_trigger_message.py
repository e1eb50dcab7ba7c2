"""Block F Remote control, the SUT is a CSMS (the harness plays the Charging Station).

trigger message (F06): MeterValues, TransactionEvent, LogStatusNotification, FirmwareStatusNotification,
Heartbeat, StatusNotification, and a requested message the station has not implemented.
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.sides import TRIGGERABLE
from conformance.harness.reusable_states import csms as states
from conformance.protocol.frames import utc_now

from ._steps import ANSWERS, answered, configured_connector, send_triggered, trigger_message, triggered_meter_value


def _evses(csms: CsmsUnderTest) -> list[int]:
    return sorted({evse for evse, _ in csms.connectors})


@case
async def test_tc_f_11_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers MeterValues of one EVSE and accepts the triggered MeterValuesRequest.

    Part 6 steps / validations implemented:
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage MeterValues, evse.id the configured
      EVSE), answered Accepted;
    - steps 3-4: MeterValuesRequest of the configured EVSE, context Trigger, answered (CALLRESULT).
    """
    await states.booted(csms, precondition=True)
    evse, _ = configured_connector(csms)
    await trigger_message(csms, "MeterValues", evse=evse)
    await send_triggered(csms, "MeterValues", {"evseId": evse, "meterValue": triggered_meter_value()}, step=4)


@case
async def test_tc_f_12_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers MeterValues of all EVSEs and accepts the MeterValuesRequest of each.

    Part 6 steps / validations implemented:
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage MeterValues), answered Accepted;
    - steps 3-4 for every EVSE (F06.FR.11): MeterValuesRequest, context Trigger, answered. MeterValuesRequest
      requires evseId (Part 6 says "omitted"): each EVSE's request names it.
    """
    await states.booted(csms, precondition=True)
    await trigger_message(csms, "MeterValues")
    for evse in _evses(csms):
        await send_triggered(csms, "MeterValues", {"evseId": evse, "meterValue": triggered_meter_value()}, step=4)


async def _triggered_transaction_event(csms: CsmsUnderTest, *, specific: bool) -> None:
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.energy_transfer_started(csms, evse, connector, tx=tx)
        await trigger_message(csms, "TransactionEvent", evse=evse if specific else None)
        scope = {"evse": {"id": evse}} if specific else {}
        response = await states.transaction_event(csms, tx, "Updated", "Trigger", "Charging",
                                                  meterValue=triggered_meter_value(), **scope)
        del response  # the answer is judged by transaction_event (Part 6 step 4, a CALLRESULT)


@case
async def test_tc_f_13_csms(csms: CsmsUnderTest) -> None:
    """During a transaction the CSMS triggers the TransactionEvent of one EVSE and accepts it.

    Part 6 steps / validations implemented:
    - EnergyTransferStarted (Authorized tool validations: AuthorizeResponse and TransactionEventResponse
      idTokenInfo.status Accepted);
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage TransactionEvent, evse.id the configured
      EVSE), answered Accepted;
    - steps 3-4: TransactionEvent Updated, evse.id, triggerReason Trigger, chargingState Charging, meterValue
      context Trigger (F06.FR.07), answered; the transaction is ended afterwards.
    """
    await states.booted(csms, precondition=True)
    await _triggered_transaction_event(csms, specific=True)


@case
async def test_tc_f_14_csms(csms: CsmsUnderTest) -> None:
    """During a transaction the CSMS triggers the TransactionEvents of all EVSEs and accepts them.

    Part 6 steps / validations implemented:
    - EnergyTransferStarted on the configured connector (the EVSE with a transaction);
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage TransactionEvent), answered Accepted;
    - steps 3-4 for the EVSE with a transaction (the only one that has a TransactionEvent to send): Updated
      without evse, triggerReason Trigger, chargingState Charging, meterValue context Trigger, answered.
    """
    await states.booted(csms, precondition=True)
    await _triggered_transaction_event(csms, specific=False)


@case
async def test_tc_f_15_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers LogStatusNotification and accepts the Idle report.

    Part 6 steps / validations implemented:
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage LogStatusNotification), answered Accepted;
    - steps 3-4: LogStatusNotificationRequest status Idle (F06.FR.15), answered.
    """
    await states.booted(csms, precondition=True)
    await trigger_message(csms, "LogStatusNotification")
    await send_triggered(csms, "LogStatusNotification", {"status": "Idle"}, step=4)


@case
async def test_tc_f_18_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers FirmwareStatusNotification and accepts the Idle report.

    Part 6 steps / validations implemented:
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage FirmwareStatusNotification), answered
      Accepted;
    - steps 3-4: FirmwareStatusNotificationRequest status Idle (F06.FR.16), answered.
    """
    await states.booted(csms, precondition=True)
    await trigger_message(csms, "FirmwareStatusNotification")
    await send_triggered(csms, "FirmwareStatusNotification", {"status": "Idle"}, step=4)


@case
async def test_tc_f_20_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers a Heartbeat and answers it.

    Part 6 steps / validations implemented:
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage Heartbeat), answered Accepted;
    - steps 3-4: HeartbeatRequest answered with a HeartbeatResponse (its schema, currentTime with a time-zone
      offset, judged by the generic validation).
    """
    await states.booted(csms, precondition=True)
    await trigger_message(csms, "Heartbeat")
    await send_triggered(csms, "Heartbeat", {}, step=4)


@case
async def test_tc_f_23_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers the StatusNotification of an available connector and accepts it.

    Part 6 steps / validations implemented:
    - steps 1-2: TriggerMessageRequest (tool validation: requestedMessage StatusNotification, evse.id the configured
      EVSE; evse.connectorId set, F06.FR.13), answered Accepted;
    - steps 3-4: StatusNotificationRequest Available of the configured connector, answered.
    """
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    await trigger_message(csms, "StatusNotification", evse=evse, connector=connector)
    await send_triggered(csms, "StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Available",
                                                      "evseId": evse, "connectorId": connector}, step=4)


@case
async def test_tc_f_24_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers the StatusNotification of an occupied connector and accepts it.

    Part 6 steps / validations implemented:
    - steps 1-2: the configured connector reported Occupied, answered;
    - steps 3-4: TriggerMessageRequest (tool validation, Part 6's "Step 1": requestedMessage StatusNotification,
      evse.id the configured EVSE; evse.connectorId set, F06.FR.13), answered Accepted;
    - steps 5-6: StatusNotificationRequest Occupied of the configured connector, answered. Afterwards the
      connector is reported Available again (general precondition: the station idle).
    """
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    await states.report_availability(csms, [(evse, connector)], "Occupied")
    try:
        await trigger_message(csms, "StatusNotification", evse=evse, connector=connector)
        await send_triggered(csms, "StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Occupied",
                                                          "evseId": evse, "connectorId": connector}, step=6)
    finally:
        try:
            await states.report_availability(csms, [(evse, connector)], "Available")
        except Exception as exc:  # timeouts, disconnects: never the case's outcome
            csms.note(f"could not report the connector Available again: {exc}")


@case
async def test_tc_f_27_csms(csms: CsmsUnderTest) -> None:
    """The CSMS triggers a message the station has not implemented and handles the NotImplemented answer.

    Part 6 steps / validations implemented:
    - steps 1-2: TriggerMessageRequest (Part 6 has no tool validation and names no requestedMessage: the CSMS is
      asked for SignV2GCertificate, which the harness station, without ISO 15118, has not implemented; the CSMS or
      the operator may choose another), answered NotImplemented (F06.FR.08). A requestedMessage the harness station
      does implement elsewhere (e.g. Heartbeat, TC_F_20_CSMS) is answered NotImplemented all the same, as Part 6
      step 2 says, and noted: the station then contradicts itself;
    - Part 6 purpose (the CSMS handles the answer): the connection stays open (a close by the CSMS is a generic
      finding, OCPP-J Part 4 §5) and a HeartbeatRequest sent next is answered.
    """
    await states.booted(csms, precondition=True)
    with csms.station.answering("TriggerMessage", {"status": "NotImplemented"}):
        await csms.actions.do("csms_send", station=csms.identity, request="TriggerMessage",
                              payload={"requestedMessage": "SignV2GCertificate"})
        request = await csms.expect_call("TriggerMessage")
        await answered(csms, request)
    requested = request.payload.get("requestedMessage")
    csms.note(f"TriggerMessage {requested!r} answered NotImplemented" + (
        " (Part 6 step 2), although the harness station implements it elsewhere (F06.FR.08 is for a message it has "
        "not implemented)" if requested in TRIGGERABLE else ""))
    response = await csms.call("Heartbeat", {})
    csms.check.that("the CSMS answers the HeartbeatRequest after the NotImplemented answer", response.ok,
                    expected="CALLRESULT", actual=response.describe(),
                    requirements=("Part 6 TC_F_27_CSMS purpose", ANSWERS))
