"""Steps the block G cases share (station side): private to this block.
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest
from conformance.harness.reusable_states import station as states
from conformance.transport.connection import Connection, IncomingCall


def configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


def after_reboot(station: ChargingStationUnderTest, inoperative: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    return {k: "Unavailable" if k in inoperative else "Available" for k in station.connectors}


# --------------------------------------------------------------------------- Operative again (G04/06/08)
async def set_operative_again(station: ChargingStationUnderTest, restore: states.AvailabilityRestore, *,
                              evse: int | None = None, connector: int | None = None, answer: tuple[str, ...],
                              reports: tuple[str, ...], what: str) -> None:
    """The Inoperative scope (the station, an EVSE or a connector) set Operative (TC_G_04/06/08_CS step 1-2): the
    answer Accepted (``answer``), nothing is left to restore, then every connector of the scope reported Available
    after the request (``reports``, ``what``)."""
    conn = station.connection
    mark = conn.mark()
    await states.change_availability(station, "Operative", evse=evse, connector=connector, requirements=answer)
    restore.pending.clear()
    await states.expect_availability_reports(
        station, conn, {k: "Available" for k in states.scope_connectors(station, evse, connector)},
        requirements=reports, what=what, since=mark)


# --------------------------------------------------------------------------- change during a transaction (G11/14/17)
def unavailable_reported(incoming: IncomingCall, key: tuple[int, int]) -> bool:
    """Whether a StatusNotification / NotifyEvent AvailabilityState reports connector ``key`` (or its EVSE, or
    the station) Unavailable."""
    if incoming.action == "StatusNotification":
        return ((incoming.payload.get("evseId"), incoming.payload.get("connectorId")) == key
                and incoming.payload.get("connectorStatus") == "Unavailable")
    if incoming.action != "NotifyEvent":
        return False
    for event in incoming.payload.get("eventData", []):
        component = event.get("component", {})
        where = component.get("evse", {})
        if event.get("variable", {}).get("name") != "AvailabilityState" or event.get("actualValue") != "Unavailable":
            continue
        if component.get("name") == "ChargingStation" or (where.get("id") == key[0]
                                                          and where.get("connectorId") in (None, key[1])):
            return True
    return False


async def scheduled_until_transaction_ends(station: ChargingStationUnderTest, tx: states.Transaction, *,
                                           evse: int | None, connector: int | None,
                                           answer: tuple[str, ...], reports: tuple[str, ...],
                                           others: tuple[str, ...] = ()) -> None:
    """The shared main part of TC_G_11/14/17_CS. While ``tx`` charges, ChangeAvailability Inoperative for the
    scope must be answered Scheduled; connectors of the scope on EVSEs without a transaction are reported
    Unavailable at once (``others``, TC_G_14 step 3); the transaction is then stopped through StopAuthorized,
    EVConnectedPostSession, EVDisconnected and ParkingBayUnoccupied, and right after the state that ended it
    the scope's connectors of the transaction's EVSE must be reported Unavailable (G01.FR.05 when it was the
    unplugging). Until then the transaction's connector must not be reported Unavailable. Post-scenario
    validation: every connector of the scope has been reported (Part 6 reads "all connectors"; connectors
    outside the scope are not changed by the request and are not required to report, G03.FR.04)."""
    conn = station.connection
    scope = states.scope_connectors(station, evse, connector)
    own = [k for k in scope if k[0] == tx.evse]
    mark = conn.mark()
    await states.change_availability(station, "Inoperative", evse=evse, connector=connector, status="Scheduled",
                                     requirements=answer)
    reported: set[tuple[int, int]] = set()
    idle = {k: "Unavailable" for k in scope if k[0] != tx.evse}
    if idle:
        reported |= set(await states.expect_availability_reports(
            station, conn, idle, requirements=others, since=mark,
            what="the connectors of the EVSEs without a transaction are reported Unavailable at once"))
    steps = [("StopAuthorized", lambda: states.stop_authorized(station, tx)),
             ("EVConnectedPostSession", lambda: states.ev_connected_post_session(station, tx)),
             ("EVDisconnected", None),
             ("ParkingBayUnoccupied", lambda: states.parking_bay_unoccupied(station, tx))]
    starts: list[tuple[int, str]] = []
    for name, step in steps:
        starts.append((conn.mark(), name))
        if step is None:  # EVDisconnected: the unplugged connector is reported Unavailable if that ended it
            await states.ev_disconnected(station, tx, status="Unavailable", report=not tx.ended,
                                         status_requirements=("G01.FR.05",) + reports)
        else:
            await step()
        if tx.ended:
            break
    if tx.ended:
        # The state during which the Ended event arrived (a station may end the transaction a little later than
        # the state that caused it is followed by the helpers), and its start in the mailbox.
        ended = next(e for e in tx.events if e.payload.get("eventType") == "Ended")
        position = next((i for i, c in enumerate(conn.mailbox) if c is ended), len(conn.mailbox))
        start, name = max((m, n) for m, n in starts if m <= position)
        early = [c for c in conn.mailbox[mark:start] if any(unavailable_reported(c, k) for k in own)]
        station.check.that("the connector of the ongoing transaction is not reported Unavailable before the "
                           "transaction ends", not early, expected="no Unavailable report while charging",
                           actual=[f"{c.action} {c.payload}" for c in early], requirements=answer)
        unplugged = name == "EVDisconnected"  # reported by ev_disconnected already (G01.FR.05)
        pending = {k: "Unavailable" for k in own if not (unplugged and k == (tx.evse, tx.connector))}
        if pending:
            reported |= set(await states.expect_availability_reports(
                station, conn, pending, requirements=reports, since=start,
                what=f"after {name} ended the transaction, the connectors of its EVSE in the scope are reported "
                     f"Unavailable"))
        if unplugged:
            reported.add((tx.evse, tx.connector))
    if not tx.ended:
        station.check.that("the transaction has ended after EVDisconnected / ParkingBayUnoccupied", False,
                           expected="TransactionEventRequest eventType Ended",
                           actual=[e.payload.get("eventType") for e in tx.events], requirements=("E06.FR.02",))
    if tx.plugged:  # ended before the unplugging: the EV leaves now; the connector stays Unavailable
        await states.ev_disconnected(station, tx, report=False)
    station.check.that("post-scenario validation (Part 6): a status report has been received for every "
                       "connector of the scope", set(scope) <= reported, expected=sorted(scope),
                       actual=sorted(reported), requirements=reports)


# --------------------------------------------------------------------------- the availability it already has (G12/13/15)
SAME_STATE_REPORTS = "post-scenario validation (Part 6): after a request for the availability it already has, " \
                     "the station reports every connector of the scope"


async def same_state(station: ChargingStationUnderTest, operational: str, status: str, *, evse: int | None = None,
                     connector: int | None = None, answer: tuple[str, ...], reports: tuple[str, ...]) -> None:
    """Ask for the availability the scope already has: Accepted (G03.FR.03 / G04.FR.04), then a status report
    (StatusNotification or NotifyEvent AvailabilityState) of every connector of the scope with its unchanged
    ``status``. Part 2 asks for reports of changed connectors only (G03.FR.04) or "when an availability change
    request has happened" (G04.FR.05); the reports are checked because Part 6's post-scenario validation,
    which certification applies, expects them: the check is labelled Part 6's and cites the Part 2 rule too.
    One reading for every case that asks for the state the scope already has (TC_G_10/12/13/15/16/18_CS): the
    reports must follow the repeated request; reports from before it (e.g. of the reusable state Unavailable)
    do not count."""
    conn = station.connection
    mark = conn.mark()
    await states.change_availability(station, operational, evse=evse, connector=connector, requirements=answer)
    scope = states.scope_connectors(station, evse, connector)
    await states.expect_availability_reports(station, conn, {k: status for k in scope},
                                             requirements=reports, what=SAME_STATE_REPORTS, since=mark)


def _reported_statuses(incoming: IncomingCall) -> list[tuple[tuple[int, int], str]]:
    """The connector statuses a StatusNotification / NotifyEvent AvailabilityState (component Connector) reports."""
    if incoming.action == "StatusNotification":
        return [((incoming.payload.get("evseId"), incoming.payload.get("connectorId")),
                 incoming.payload.get("connectorStatus"))]
    if incoming.action != "NotifyEvent":
        return []
    return [((e.get("component", {}).get("evse", {}).get("id"), e.get("component", {}).get("evse", {}).get(
        "connectorId")), e.get("actualValue")) for e in incoming.payload.get("eventData", [])
            if e.get("variable", {}).get("name") == "AvailabilityState"
            and e.get("component", {}).get("name") == "Connector"]


def others_reported_available(station: ChargingStationUnderTest, conn: Connection, since: int,
                              scope: list[tuple[int, int]], *, requirements: tuple[str, ...]) -> None:
    """Reports of connectors outside ``scope`` that arrived since ``since``, when there are any, say Available
    (TC_G_18_CS tool validation step 3: "Available for evseId not <Configured evseId>")."""
    wrong = [(key, status) for incoming in conn.mailbox[since:] for key, status in _reported_statuses(incoming)
             if key not in scope and status != "Available"]
    station.check.that("status reports of connectors outside the request's scope say Available", not wrong,
                       expected="Available", actual=wrong, requirements=requirements)
