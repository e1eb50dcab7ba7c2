"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

On request (action ``csms_send``) the CSMS sends ChangeAvailability for the station, an EVSE or a
connector; the harness answers Accepted and reports the connectors' new status, which the CSMS must
accept. Every case that leaves a scope Inoperative asks the CSMS to make it Operative again.

During a transaction (TC_G_11/14/17_CSMS) the harness answers Scheduled and, when the EV is unplugged,
reports the connector Unavailable in EVDisconnected (as a station must, G01.FR.05) instead of Available
followed by Unavailable. Part 6's wait for <Configured Transaction Duration> is not made: nothing the CSMS
is judged on depends on it.
"""

from conformance.harness import CsmsUnderTest, case, reusable_state
from conformance.harness.reusable_states import (csms_availability_restored, csms_changes_availability,
                                                 csms_transaction_closed, energy_transfer_started_csms,
                                                 report_availability_csms, scope_connectors, transaction_ends_csms,
                                                 unavailable_csms)
from conformance.protocol.frames import utc_now


def configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]


@case("TC_G_03_CSMS")
async def test_tc_g_03_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an EVSE Inoperative and accepts its connectors' Unavailable reports."""
    await reusable_state.booted_csms(csms)
    evse, _ = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, None))
        await unavailable_csms(csms, evse=evse)


@case("TC_G_04_CSMS")
async def test_tc_g_04_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an Inoperative EVSE Operative and accepts its connectors' Available reports."""
    await reusable_state.booted_csms(csms)
    evse, _ = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, None))
        await unavailable_csms(csms, evse=evse)  # memory state: Unavailable for <Configured evseId>
        await csms_changes_availability(csms, "Operative", evse=evse)
        restore.pending.clear()
        await report_availability_csms(csms, scope_connectors(csms, evse), "Available")


@case("TC_G_05_CSMS")
async def test_tc_g_05_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets the whole station Inoperative and accepts every Unavailable report."""
    await reusable_state.booted_csms(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((None, None))
        await unavailable_csms(csms)


@case("TC_G_06_CSMS")
async def test_tc_g_06_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets the Inoperative station Operative and accepts every Available report."""
    await reusable_state.booted_csms(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((None, None))
        await unavailable_csms(csms)  # reusable state: Charging Station set to Unavailable
        await csms_changes_availability(csms, "Operative")
        restore.pending.clear()
        await report_availability_csms(csms, csms.connectors, "Available")


@case("TC_G_07_CSMS")
async def test_tc_g_07_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets one connector Inoperative and accepts its Unavailable report."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, connector))
        await unavailable_csms(csms, evse=evse, connector=connector)


@case("TC_G_08_CSMS")
async def test_tc_g_08_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an Inoperative connector Operative and accepts its Available report."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, connector))
        await unavailable_csms(csms, evse=evse, connector=connector)  # memory state: Unavailable connector
        await csms_changes_availability(csms, "Operative", evse=evse, connector=connector)
        restore.pending.clear()
        await report_availability_csms(csms, [(evse, connector)], "Available")


@case("TC_G_20_CSMS", requirements=("G05.FR.03",))
async def test_tc_g_20_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers a NotifyEvent reporting a connector lock failure with a NotifyEventResponse."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    response = await csms.call("NotifyEvent", {"generatedAt": utc_now(), "seqNo": 0, "eventData": [{
        "eventId": 1, "timestamp": utc_now(), "trigger": "Delta", "actualValue": "true",
        "eventNotificationType": "HardWiredNotification",
        "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
        "variable": {"name": "Problem"}}]})
    csms.check.that("the CSMS answers the NotifyEventRequest with a NotifyEventResponse (CALLRESULT)", response.ok,
                    expected="CALLRESULT", actual=response.describe(), requirements=("G05.FR.03",))


@case("TC_G_11_CSMS")
async def test_tc_g_11_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the EVSE Inoperative; it accepts the Scheduled answer
    and the Unavailable report after the transaction."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore, csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        restore.pending.append((evse, None))
        with csms.station.answering("ChangeAvailability", {"status": "Scheduled"}):
            await csms_changes_availability(csms, "Inoperative", evse=evse)
        # <Configured Transaction Duration>: nothing of the CSMS depends on it; the transaction ends at once.
        await transaction_ends_csms(csms, tx, status_after="Unavailable")  # G01.FR.05
        others = [k for k in scope_connectors(csms, evse) if k != (evse, connector)]
        await report_availability_csms(csms, others, "Unavailable")


@case("TC_G_14_CSMS")
async def test_tc_g_14_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the station Inoperative; it accepts the Scheduled
    answer, the idle connectors' Unavailable reports and the last one after the transaction."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore, csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        restore.pending.append((None, None))
        with csms.station.answering("ChangeAvailability", {"status": "Scheduled"}):
            await csms_changes_availability(csms, "Inoperative")
        await report_availability_csms(csms, [k for k in csms.connectors if k != (evse, connector)], "Unavailable")
        await transaction_ends_csms(csms, tx, status_after="Unavailable")  # G01.FR.05


@case("TC_G_17_CSMS")
async def test_tc_g_17_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the connector Inoperative; it accepts the Scheduled
    answer and the Unavailable report after the transaction."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore, csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        restore.pending.append((evse, connector))
        with csms.station.answering("ChangeAvailability", {"status": "Scheduled"}):
            await csms_changes_availability(csms, "Inoperative", evse=evse, connector=connector)
        await transaction_ends_csms(csms, tx, status_after="Unavailable")  # G01.FR.05
