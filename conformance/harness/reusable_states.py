"""Part 6 reusable states (§2.18 for Charging Stations, §3.18 for CSMSs), implemented once.

Each state is an async helper that drives the SUT into the state and checks the tool
validations Part 6 lists for it. A case calls them in its "before" or "main" stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..transport.connection import Connection, IncomingCall, Response
from .checks import OneOf, Satisfies
from .sides import ChargingStationUnderTest, CsmsUnderTest, utc_now

BOOT_REASONS = ("ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset",
                "Triggered", "Unknown", "Watchdog")


@dataclass
class StationBoot:
    connection: Connection
    boot: IncomingCall
    connector_reports: dict[tuple[int, int], IncomingCall]
    security_event: IncomingCall | None


def _connector_reported(incoming: IncomingCall) -> tuple[int, int] | None:
    """(evse, connector) a StatusNotification / NotifyEvent AvailabilityState reports, else None."""
    payload = incoming.payload
    if incoming.action == "StatusNotification":
        return payload["evseId"], payload["connectorId"]
    for event in payload.get("eventData", []):
        component, variable = event.get("component", {}), event.get("variable", {})
        if component.get("name") == "Connector" and variable.get("name") == "AvailabilityState":
            evse = component.get("evse", {})
            return evse.get("id", 0), evse.get("connectorId", 0)
    return None


async def expect_connector_reports(sut: ChargingStationUnderTest, conn: Connection, *,
                                   requirements: tuple[str, ...]) -> dict[tuple[int, int], IncomingCall]:
    """Every configured connector is reported Available, by StatusNotification or by
    NotifyEvent(AvailabilityState) (Part 6 accepts either), in any order."""
    expected = set(sut.connectors)
    reports: dict[tuple[int, int], IncomingCall] = {}
    alternatives = [("StatusNotification", {}),
                    ("NotifyEvent", {"eventData": Satisfies(
                        lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState" for e in data),
                        "an AvailabilityState event")})]
    while not expected <= reports.keys():
        missing = sorted(expected - reports.keys())
        try:
            incoming = await conn.expect_one_of(alternatives, since=sut.since(conn), requirements=requirements)
        except Exception as exc:
            sut.check.that(f"a connector status report arrives for every connector (missing: {missing})", False,
                           expected=[f"EVSE {e} connector {c}" for e, c in missing],
                           actual=str(getattr(exc, "actual", exc)), requirements=requirements)
            raise
        key = _connector_reported(incoming)
        if key is None:
            continue
        if incoming.action == "StatusNotification":
            sut.check.fields("StatusNotificationRequest", incoming.payload, {
                "connectorStatus": "Available",
                "evseId": Satisfies(lambda v: v != 0, "not 0"),
                "connectorId": Satisfies(lambda v: v != 0, "not 0")}, requirements=requirements)
        else:
            event = next(e for e in incoming.payload["eventData"] if e["variable"]["name"] == "AvailabilityState")
            sut.check.fields("NotifyEventRequest eventData", event, {
                "trigger": "Delta", "actualValue": "Available", "component.name": "Connector"},
                requirements=requirements)
        sut.check.that(f"the reported connector EVSE {key[0]} connector {key[1]} exists in the configured topology",
                       key in expected, expected=sorted(expected), actual=key, requirements=requirements)
        reports[key] = incoming
    return reports


async def booted(sut: ChargingStationUnderTest, *, via: str = "power_cycle",
                 security_event: bool = True) -> StationBoot:
    """Reusable state Booted (Charging Station): power cycle (or Reset Immediate), boot accepted,
    every connector reported, security event StartupOfTheDevice / ResetOrReboot."""
    before = sut.connection_count()
    if via == "reset":
        response = await sut.call("Reset", {"type": "Immediate"})
        sut.check.fields("ResetResponse", response.payload, {"status": "Accepted"}, requirements=("B11.FR.01",))
    else:
        await sut.actions.do("power_cycle")
    conn = await sut.wait_for_connection(after=before)
    boot = await sut.expect_call("BootNotification", connection=conn, requirements=("B01.FR.01",))
    first = conn.mailbox[sut.since(conn)] if len(conn.mailbox) > sut.since(conn) else None
    sut.check.that("BootNotificationRequest is the first CALL after start-up", first is boot,
                   expected="BootNotification", actual=first.action if first else None, requirements=("B01.FR.08",))
    sut.check.fields("BootNotificationRequest", boot.payload, {"reason": OneOf(*BOOT_REASONS)},
                     requirements=("B01.FR.09",))
    reports = await expect_connector_reports(sut, conn, requirements=("B01.FR.05",))
    event = None
    if security_event:
        event = await sut.expect_call("SecurityEventNotification", connection=conn)
        sut.check.fields("SecurityEventNotificationRequest", event.payload,
                         {"type": OneOf("StartupOfTheDevice", "ResetOrReboot")})
    return StationBoot(conn, boot, reports, event)


@dataclass
class CsmsBoot:
    connection: Connection
    boot: Response
    statuses: list[Response]


async def booted_csms(csms: CsmsUnderTest) -> CsmsBoot:
    """Reusable state Booted (CSMS): the harness station connects, boots with reason PowerUp,
    must be Accepted, and reports every connector Available."""
    conn = await csms.connect()
    station = csms.station
    response = await csms.call("BootNotification", {
        "reason": "PowerUp", "chargingStation": {"model": station.model, "vendorName": station.vendor_name}})
    csms.check.fields("BootNotificationResponse", response.payload, {"status": "Accepted"},
                      requirements=("B01.FR.02",))
    statuses = []
    for evse, connector in csms.connectors:
        status = await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Available",
                                                        "evseId": evse, "connectorId": connector})
        csms.check.that(f"the CSMS accepts the StatusNotification of EVSE {evse} connector {connector}", status.ok,
                        expected="CALLRESULT", actual=status.describe(), requirements=("FR.02",))
        statuses.append(status)
    return CsmsBoot(conn, response, statuses)


__all__ = ["booted", "booted_csms", "StationBoot", "CsmsBoot", "expect_connector_reports"]
