"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS).

Network connection profiles (B09) and migration to a
new one (B10).

Migration (errata 2025-09 §6.2.17): the harness has two endpoints, its CSMS server (the original one, where the
station is connected) and a second CSMS server it starts for the case on a free port of the same host. The case
stores a profile for the second endpoint in the configuration slot that is not in use (ActiveNetworkProfile tells
which one is), puts that slot first in NetworkConfigurationPriority, followed by the slot in use, and resets the
station. Refusing a connection attempt means answering the WebSocket handshake with HTTP 503. Afterwards the
station is brought back: NetworkConfigurationPriority as it was, a reset when it is on the second endpoint, and
the next case finds it connected to the original endpoint and accepted. The profile stored in the other slot is
left there (OCPP has no message to delete one); it is not in NetworkConfigurationPriority any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable

from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp

from conformance.harness import ChargingStationUnderTest, OneOf, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import CheckFailed, Inconclusive, NotApplicable
from conformance.protocol.errors import PeerError
from conformance.protocol.variables import (ACTIVE_NETWORK_PROFILE, NETWORK_CONFIGURATION_PRIORITY,
                                            NETWORK_PROFILE_CONNECTION_ATTEMPTS, RETRY_BACK_OFF_RANDOM_RANGE,
                                            RETRY_BACK_OFF_REPEAT_TIMES, RETRY_BACK_OFF_WAIT_MINIMUM)
from conformance.transport.connection import Connection
from conformance.transport.server import CsmsServer, Handshake
from conformance.transport.tls import Credential, cross_sign, issue_server, make_root, server_context


def _network_slots(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured configurationSlot> and <Configured configurationSlot2> (station_values)."""
    values = station.config.station_values
    return values.configuration_slot, values.configuration_slot2


def _network_interface(station: ChargingStationUnderTest, *, second: bool = False) -> str:
    """<Configured ocppInterface> (``second``: <Configured ocppInterface2>) from station_values; unset: wireless
    when the PICS says the station communicates wirelessly (HFS-9), else Wired0."""
    values = station.config.station_values
    configured = (values.ocpp_interface2 or values.ocpp_interface) if second else values.ocpp_interface
    if configured:
        return configured
    technology = str(station.config.pics.hardware.get("HFS-9", "")).lower()
    wireless = any(word in technology for word in ("wireless", "wifi", "wi-fi", "cellular", "gsm", "lte", "4g", "5g"))
    return "Wireless0" if wireless else "Wired0"


def _network_connection_data(station: ChargingStationUnderTest, url: str, *, second: bool = False) -> dict[str, Any]:
    """connectionData for ``url``; ``second``: <Configured connectionData2> (the second endpoint's interface). The
    message timeout and security profile of the harness's connection are used for both profiles."""
    return {"ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": url,
            "messageTimeout": max(1, round(station.config.timing.message_timeout)),
            "securityProfile": station.config.connection.security_profile,
            "ocppInterface": _network_interface(station, second=second)}


def _network_public_url(server: CsmsServer, host: str = "") -> str:
    """The URL a station uses to reach ``server``: ``host`` when given (station_values.second_endpoint_host),
    else its listen address (a wildcard listen address is replaced by this host's name)."""
    host = host or (server.host if server.host not in ("", "0.0.0.0", "::") else socket.getfqdn())
    host = f"[{host}]" if ":" in host else host
    return f"{'wss' if server.ssl_context is not None else 'ws'}://{host}:{server.port}{server.path}"


async def _network_write(conn: Connection, variable: dict, value: str) -> dict[str, Any]:
    """SetVariables of one variable through ``conn``; its setVariableResult."""
    response = await conn.call("SetVariables", {"setVariableData": [dict(variable, attributeValue=value)]})
    results = response.payload.get("setVariableResult", [])
    return results[0] if results else {}


def _second_url(station: ChargingStationUnderTest, server: CsmsServer) -> str:
    return _network_public_url(server, station.config.station_values.second_endpoint_host)


@dataclass
class _NetworkMigration:
    """The two endpoints of a migration case and the slots involved."""

    main: CsmsServer
    second: CsmsServer
    old_slot: int
    new_slot: int
    priority: str  # NetworkConfigurationPriority before the case
    marks: tuple[int, int] = (0, 0)  # handshakes seen on (main, second) when the station was reset

    def attempts(self, identity: str) -> list[tuple[str, Handshake]]:
        """The station's connection attempts since the reset, ("old" | "new", handshake), in time order."""
        found = [("old", h) for h in self.main.handshakes[self.marks[0]:] if h.identity == identity]
        found += [("new", h) for h in self.second.handshakes[self.marks[1]:] if h.identity == identity]
        return sorted(found, key=lambda item: item[1].mono)


@contextlib.asynccontextmanager
async def _network_migration(station: ChargingStationUnderTest, *, ssl_context: ssl.SSLContext | None = None,
                             restore_trust: Callable[[Connection], Awaitable[None]] | None = None
                             ) -> AsyncIterator[_NetworkMigration]:
    """Start the second endpoint, choose the slots; afterwards bring the station back (see the module docstring).
    With TLS the second endpoint presents the original endpoint's certificate unless ``ssl_context`` says otherwise
    (a certificate of another CSMS root). ``restore_trust``: run on the station's connection when bringing it back,
    before it is reset (makes it trust the original endpoint's certificate again)."""
    conn = station.connection
    priority = await station.read_variable(NETWORK_CONFIGURATION_PRIORITY, connection=conn)
    if not priority:
        raise Inconclusive("OCPPCommCtrlr.NetworkConfigurationPriority cannot be read, so the slot in use is unknown")
    # required since errata 2025-09 §2.57
    active = await station.read_variable(ACTIVE_NETWORK_PROFILE, connection=conn)
    in_use = active.strip() if active and active.strip().isdigit() else priority.split(",")[0].strip()
    if not in_use.isdigit():
        raise Inconclusive(f"the slot in use cannot be told from ActiveNetworkProfile {active!r} or "
                           f"NetworkConfigurationPriority {priority!r}")
    old = int(in_use)
    slots = _network_slots(station)
    new = slots[1] if old == slots[0] else slots[0]
    main = station.server
    second = CsmsServer(host=main.host, port=station.config.station_values.second_endpoint_port, path=main.path,
                        log=station.ctx.log,
                        message_timeout=main.message_timeout, passwords=main.passwords,
                        security_profile=main.security_profile, handled_actions=main.handled_actions,
                        default_handler_for=main.default_handler_for,
                        ssl_context=ssl_context or main.ssl_context)  # TLS: by default the same certificate
    await second.start()
    migration = _NetworkMigration(main, second, old, new, priority)
    station.note(f"second endpoint {_second_url(station, second)}; slot in use {old}, new profile in slot {new}")
    try:
        yield migration
    finally:
        try:
            await _network_restore(station, migration, restore_trust)
        except (CheckFailed, PeerError, Inconclusive) as exc:  # timeouts and disconnects included
            station.note(f"could not bring the station back to the original endpoint: {exc}")
        finally:
            main.refusing.discard(station.identity)
            await second.stop()


async def _network_restore(station: ChargingStationUnderTest, migration: _NetworkMigration,
                           restore_trust: Callable[[Connection], Awaitable[None]] | None = None) -> None:
    identity = station.identity
    migration.main.refusing.discard(identity)
    on_second = migration.second.connections.get(identity)
    if on_second is not None and on_second.is_open:
        if restore_trust is not None:
            await restore_trust(on_second)
        result = await _network_write(on_second, NETWORK_CONFIGURATION_PRIORITY, migration.priority)
        station.note(f"restored NetworkConfigurationPriority = {migration.priority!r}: "
                     f"{result.get('attributeStatus')}")
        migration.second.refusing.add(identity)  # whatever it does, the station ends up on the original endpoint
        station.ctx.station_booted = False
        await on_second.call("Reset", {"type": "Immediate"})
        await station.ensure_ready()
        return
    await station.ensure_ready()  # after a reset in the case: waits for its boot on the original endpoint
    if restore_trust is not None:
        await restore_trust(station.connection)
    result = await _network_write(station.connection, NETWORK_CONFIGURATION_PRIORITY, migration.priority)
    station.note(f"restored NetworkConfigurationPriority = {migration.priority!r}: {result.get('attributeStatus')}")


async def _network_prepare(station: ChargingStationUnderTest, migration: _NetworkMigration) -> Connection:
    """Steps 1 to 6 of the migration cases: new profile, new priority, Reset OnIdle; the connection that was reset."""
    conn = station.connection
    response = await conn.call("SetNetworkProfile", {
        "configurationSlot": migration.new_slot,
        "connectionData": _network_connection_data(station, _second_url(station, migration.second), second=True)})
    station.check.that("the station answers SetNetworkProfileRequest", response.ok, expected="CALLRESULT",
                       actual=response.describe(), requirements=("B09.FR.01",))
    station.check.fields("SetNetworkProfileResponse", response.payload, {"status": "Accepted"},
                         requirements=("B09.FR.01",))
    result = await _network_write(conn, NETWORK_CONFIGURATION_PRIORITY, f"{migration.new_slot},{migration.old_slot}")
    station.check.fields("SetVariablesResponse setVariableResult[0] (NetworkConfigurationPriority)", result, {
        "attributeStatus": OneOf("Accepted", "RebootRequired")}, requirements=("B10.FR.01",))
    # Errata 2025-09 §6.2.18: the reset is always sent, whatever the SetVariablesResponse said.
    migration.marks = (len(migration.main.handshakes), len(migration.second.handshakes))
    reset = await conn.call("Reset", {"type": "OnIdle"})
    station.check.that("the station answers ResetRequest", reset.ok, expected="CALLRESULT", actual=reset.describe(),
                       requirements=("B11.FR.01",))
    station.check.fields("ResetResponse", reset.payload, {"status": "Accepted"}, requirements=("B11.FR.01",))
    station.ctx.station_booted = False  # it reboots: the boot is awaited (by the case or when restoring)
    return conn


async def _network_wait_attempts(station: ChargingStationUnderTest, migration: _NetworkMigration,
                                 done: Callable[[list[tuple[str, Handshake]]], bool], *, timeout: float,
                                 what: str, requirements: tuple[str, ...]) -> list[tuple[str, Handshake]]:
    """Wait until the station's connection attempts since the reset satisfy ``done``; FAIL naming
    ``requirements`` when they do not within ``timeout``."""
    deadline = time.monotonic() + timeout
    servers = (migration.main, migration.second)
    while True:
        for server in servers:
            server.handshake_seen.clear()
        attempts = migration.attempts(station.identity)
        if done(attempts):
            return attempts
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            station.check.that(what, False, expected=f"within {timeout:g}s",
                               actual="attempts: " + (", ".join(label for label, _ in attempts) or "none"),
                               requirements=requirements)
        waiters = [asyncio.ensure_future(server.handshake_seen.wait()) for server in servers]
        try:
            await asyncio.wait(waiters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()


async def _network_booted(station: ChargingStationUnderTest, conn: Connection) -> None:
    """Reusable state Booted on ``conn``: BootNotification first (B10.FR.10 after switching profiles), every
    connector reported, the security event of the restart."""
    boot = await station.expect_call("BootNotification", connection=conn, requirements=("B10.FR.10",))
    first = conn.mailbox[0] if conn.mailbox else None
    station.check.that("BootNotificationRequest is the first CALL on the new connection", first is boot,
                       expected="BootNotification", actual=first.action if first else None,
                       requirements=("B10.FR.10", "B01.FR.08"))
    station.check.fields("BootNotificationRequest", boot.payload, {"reason": OneOf(*states.BOOT_REASONS)},
                         requirements=("B01.FR.09",))
    async with asyncio.timeout(station.message_timeout):
        await boot.answered.wait()
    await states.expect_connector_reports(station, conn, requirements=("B01.FR.05",), after=boot)
    await states.expect_startup_security_event(station, conn)


def _network_connect_timeout(station: ChargingStationUnderTest) -> float:
    return station.ctx.scaled(station.config.timing.connect_timeout)


async def _network_attempts_after_reset(station: ChargingStationUnderTest, migration: _NetworkMigration,
                                        old_conn: Connection) -> list[tuple[str, Handshake]]:
    """The station's first connection attempt(s) after the reset, and the check that it left the original endpoint
    before (B10.FR.06)."""
    attempts = await _network_wait_attempts(
        station, migration, lambda found: bool(found), timeout=_network_connect_timeout(station),
        what="the station tries to connect after the reset", requirements=("B10.FR.04",))
    first = attempts[0][1].mono
    if old_conn.is_open:  # a close without a closing handshake (reboot) is noticed late: give it a message timeout
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(station.message_timeout):
                await old_conn.closed.wait()
    late_frames = [i for i in old_conn.mailbox if i.received_mono > first]
    station.check.that("the station closed the connection to the original endpoint before connecting to the new one "
                       "(closed, or at least silent there after its first new attempt)",
                       not old_conn.is_open or not late_frames, expected="closed / no CALL after the new attempt",
                       actual=f"still open, {len(late_frames)} CALL(s) after the new attempt",
                       requirements=("B10.FR.06",))
    return attempts


def _network_first_attempt_checked(station: ChargingStationUnderTest, attempts: list[tuple[str, Handshake]]) -> None:
    station.check.equal("after the reset the station first connects with the profile of the first entry of "
                        "NetworkConfigurationPriority (the new endpoint)", attempts[0][0], "new",
                        requirements=("B10.FR.04",))


@case
async def test_tc_b_43_cs(station: ChargingStationUnderTest) -> None:
    """Set new NetworkConnectionProfile, Rejected: a profile for configuration slot 999, which the station does not
    offer, is rejected (valid connection data otherwise).

    Checks: step 2 SetNetworkProfileResponse Rejected (B09.FR.02, B09.FR.05; reasonCode optional per errata 2.11).
    connectionData.ocppInterface is <Configured ocppInterface> (station_values.ocpp_interface)."""
    response = await station.call("SetNetworkProfile", {
        "configurationSlot": 999, "connectionData": _network_connection_data(station, _network_public_url(station.server))})
    station.check.that("the station answers SetNetworkProfileRequest", response.ok, expected="CALLRESULT",
                       actual=response.describe(), requirements=("B09.FR.02",))
    station.check.fields("SetNetworkProfileResponse", response.payload, {"status": "Rejected"},
                         requirements=("B09.FR.02", "B09.FR.05"))


@case
async def test_tc_b_45_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, success, same CSMS root: with a profile for the second endpoint first in
    NetworkConfigurationPriority, the station leaves the original endpoint after the reset, connects to the second
    one and boots there.

    Slots, interfaces and the second endpoint come from station_values (<Configured configurationSlot/2>,
    ocppInterface/2, connectionData2); errata 2025-09 §6.2.17 (slot choice) and §6.2.18 (the reset is always sent).
    Checks: SetNetworkProfile Accepted (B09.FR.01); NetworkConfigurationPriority Accepted or RebootRequired
    (B10.FR.01); Reset Accepted (B11.FR.01); original connection closed, or silent, once the new attempt is seen
    (B10.FR.06); first attempt at the new endpoint (B10.FR.04); Booted there: BootNotification first (B10.FR.10,
    B01.FR.08), reason (B01.FR.09), connectors after the Accepted boot (B01.FR.05), security event (A04.FR.01)."""
    async with _network_migration(station) as migration:
        old_conn = await _network_prepare(station, migration)
        attempts = await _network_attempts_after_reset(station, migration, old_conn)
        _network_first_attempt_checked(station, attempts)
        conn = await migration.second.wait_for_connection(station.identity, timeout=_network_connect_timeout(station))
        await _network_booted(station, conn)


@case
async def test_tc_b_46_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, fallback, same CSMS root: NetworkProfileConnectionAttempts is 2 and the
    second endpoint refuses the station; it tries the new profile twice, then connects to the original endpoint
    (second entry of NetworkConfigurationPriority) and boots there.

    Part 6 step 7 has the OCTT not respond to the two attempts; the harness refuses them with HTTP 503 (both are
    failed attempts for B10.FR.03, the verdict is the same). Waits are bounded by <Configured Long Operation Time
    Out> (station_values.long_operation_timeout). Checks: as TC_B_45 up to the reset; first attempt at the new
    endpoint (B10.FR.04); exactly NetworkProfileConnectionAttempts (2) attempts there before the next entry
    (B10.FR.03); Booted on the original endpoint (B10.FR.10, B01.FR.05/08/09, A04.FR.01)."""
    attempts_per_entry = 2
    async with station.configured(NETWORK_PROFILE_CONNECTION_ATTEMPTS, str(attempts_per_entry)), \
            _network_migration(station) as migration:
        migration.second.refusing.add(station.identity)
        before = station.connection_count()
        await _network_prepare(station, migration)
        timeout = station.ctx.scaled(station.config.station_values.long_operation_timeout)
        attempts = await _network_wait_attempts(
            station, migration, lambda found: any(label == "old" for label, _ in found), timeout=timeout,
            what="after the attempts with the new profile the station connects with the next entry of "
                 "NetworkConfigurationPriority (the original endpoint)", requirements=("B10.FR.03",))
        _network_first_attempt_checked(station, attempts)
        tries = next(i for i, (label, _) in enumerate(attempts) if label == "old")
        station.check.equal("connection attempts with the new profile before the station turns to the next entry",
                            tries, attempts_per_entry, requirements=("B10.FR.03",))
        conn = await migration.main.wait_for_connection(station.identity, timeout=_network_connect_timeout(station),
                                                        after=before)
        await _network_booted(station, conn)
        station.ctx.station_booted = True


@case
async def test_tc_b_49_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, fallback after all entries failed, same CSMS root: one attempt per entry
    and no back-off growth; both endpoints refuse the first attempt, so every entry of NetworkConfigurationPriority
    fails. The station then keeps reconnecting to the profile of its last successful connection (the original
    endpoint), waiting RetryBackOffWaitMinimum, and is accepted there.

    Configuration state: NetworkProfileConnectionAttempts 1, RetryBackOffRepeatTimes 0, RandomRange 0,
    RetryBackOffWaitMinimum <Configured RetryBackOffWaitMinimum> (station_values.retry_back_off_wait_minimum).
    Checks: one attempt with the new profile (B10.FR.03, B10.FR.04); after every entry failed only the original
    endpoint, no sooner than RetryBackOffWaitMinimum (Part 6 TC_B_49 with PICS condition C-47: B10.FR.07 is a SHOULD
    in Part 2 that the condition makes mandatory); Booted there (B10.FR.10, B01.FR.05/08/09, A04.FR.01)."""
    wait_minimum = station.config.station_values.retry_back_off_wait_minimum  # <Configured RetryBackOffWaitMinimum>
    async with station.configured(NETWORK_PROFILE_CONNECTION_ATTEMPTS, "1"), \
            station.configured(RETRY_BACK_OFF_REPEAT_TIMES, "0"), \
            station.configured(RETRY_BACK_OFF_RANDOM_RANGE, "0"), \
            station.configured(RETRY_BACK_OFF_WAIT_MINIMUM, str(wait_minimum)), \
            _network_migration(station) as migration:
        identity = station.identity
        migration.second.refusing.add(identity)
        migration.main.refusing.add(identity)
        before = station.connection_count()
        await _network_prepare(station, migration)
        timeout = station.ctx.scaled(station.config.station_values.long_operation_timeout) + wait_minimum * 2
        attempts = await _network_wait_attempts(
            station, migration, lambda found: any(label == "old" for label, _ in found), timeout=timeout,
            what="after the attempt with the new profile the station tries the next entry of "
                 "NetworkConfigurationPriority (the original endpoint)", requirements=("B10.FR.03",))
        migration.main.refusing.discard(identity)  # the next attempt at the original endpoint is accepted
        _network_first_attempt_checked(station, attempts)
        refused = next(i for i, (label, _) in enumerate(attempts) if label == "old")
        station.check.equal("connection attempts with the new profile before the station turns to the next entry",
                            refused, 1, requirements=("B10.FR.03",))
        station.protocol_wait(wait_minimum, "RetryBackOffWaitMinimum before the reconnection to the original endpoint")
        conn = await migration.main.wait_for_connection(identity, timeout=timeout, after=before)
        later = [(label, h) for label, h in migration.attempts(identity)[refused + 1:] if h.mono <= time.monotonic()]
        station.check.that("after every entry failed the station reconnects with the profile of its last successful "
                           "connection (the original endpoint) only", all(label == "old" for label, _ in later),
                           expected="old", actual=", ".join(label for label, _ in later), requirements=("B10.FR.07",))
        accepted = next((h for label, h in later if label == "old"), None)
        if accepted is not None:
            station.no_sooner_than("time between the refused attempt at the original endpoint and the reconnection",
                                   accepted.mono - attempts[refused][1].mono, required=wait_minimum,
                                   requirements=("B10.FR.07",))
        await _network_booted(station, conn)
        station.ctx.station_booted = True


# --------------------------------------------------------------------------- a new CSMS root (B10 with M05)
# The harness's CSMS root (security profile 2, the run's test PKI) is the "old CSMS root"; the case's "CSMS root
# certificate 2" is signed by it (TC_B_47_CS prerequisite; with AdditionalRootCertificateCheck, M05.FR.10/11, the
# station accepts nothing else). Such a station keeps only the new root once it connected with it (M05.FR.13), so
# on the way back the harness installs its own root again as a certificate of the same subject and key signed by
# the case's root, which the original endpoint's certificate chains to; the run context remembers that copy.
_NETWORK_HASHES = {"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}


def _network_tls_root(station: ChargingStationUnderTest) -> Credential:
    """The old CSMS root of the new-root cases (NotApplicable without TLS)."""
    profile = station.config.connection.security_profile
    if profile not in (2, 3):
        raise NotApplicable(f"the station is connected with security profile {profile}; the case needs security "
                            "profile 2 or 3 (TLS)")
    if station.server.ssl_context is None or station.ctx.csms_root is None:
        raise Inconclusive("the harness CSMS does not serve TLS with a CSMS root of its own, so no second CSMS root "
                           "can be tried")
    return station.ctx.csms_root


async def _network_install_root(station: ChargingStationUnderTest, root: Credential) -> None:
    """Memory State CertificateInstalled for the new CSMS root."""
    installed = await station.call("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                                          "certificate": root.certificate_pem})
    if not installed.ok or installed.payload.get("status") != "Accepted":
        raise Inconclusive(f"the new CSMS root certificate could not be installed: "
                           f"{installed.payload if installed.ok else installed.describe()}")


def _network_trust_back(station: ChargingStationUnderTest, in_force: Credential
                        ) -> Callable[[Connection], Awaitable[None]]:
    """For bringing a station with AdditionalRootCertificateCheck back: its CSMS root in force is ``in_force``, so
    the harness's root is installed again as a copy signed by ``in_force`` (M05.FR.10)."""
    async def install(conn: Connection) -> None:
        back = cross_sign(station.ctx.csms_root, in_force)
        response = await conn.call("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                                          "certificate": back.certificate_pem})
        status = response.payload.get("status") if response.ok else response.describe()
        station.note(f"the harness CSMS root installed again, signed by the case's CSMS root: {status}")
        if status == "Accepted":
            station.ctx.csms_root, station.ctx.csms_root_issuer = back, in_force.certificate
    return install


def _network_hash_matches(reported: Any, certificate: Any, issuer: Any) -> bool:
    """Whether a CertificateHashDataType names ``certificate`` (issued by ``issuer``), in the algorithm it states."""
    if not isinstance(reported, dict) or reported.get("hashAlgorithm") not in _NETWORK_HASHES:
        return False
    expected = ocsp.OCSPRequestBuilder().add_certificate(
        certificate, issuer, _NETWORK_HASHES[reported["hashAlgorithm"]]()).build()
    try:
        serial = int(str(reported.get("serialNumber", "")), 16)
    except ValueError:
        return False
    return (str(reported.get("issuerNameHash", "")).lower() == expected.issuer_name_hash.hex()
            and str(reported.get("issuerKeyHash", "")).lower() == expected.issuer_key_hash.hex()
            and serial == certificate.serial_number)


async def _network_csms_roots(station: ChargingStationUnderTest, conn: Connection,
                              requirements: tuple[str, ...]) -> list[Any] | None:
    """GetInstalledCertificateIds for CSMSRootCertificate through ``conn``: the certificateHashData of the CSMS roots;
    None when the station does not implement the message."""
    response = await conn.call("GetInstalledCertificateIds", {"certificateType": ["CSMSRootCertificate"]})
    if not response.ok:
        return None
    station.check.fields("GetInstalledCertificateIdsResponse", response.payload, {"status": "Accepted"},
                         requirements=("M03.FR.03", *requirements))
    return [entry.get("certificateHashData") for entry in response.payload.get("certificateHashDataChain", [])
            if entry.get("certificateType") == "CSMSRootCertificate"]


async def _network_backoff_allowance(station: ChargingStationUnderTest) -> float:
    """RetryBackOffWaitMinimum + RetryBackOffRandomRange as the station reports them (0 when it does not)."""
    total = 0.0
    for variable in (RETRY_BACK_OFF_WAIT_MINIMUM, RETRY_BACK_OFF_RANDOM_RANGE):
        value = await station.read_variable(variable)
        total += float(value) if value and value.strip().isdigit() else 0.0
    return total


@case
async def test_tc_b_47_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, fallback, new CSMS root, new CSMS: a CSMS root 2 signed by the old root
    is installed (AdditionalRootCertificateCheck), one attempt per entry. The second endpoint presents a certificate
    of the old root, which the station must not accept while migrating (only the new root counts then); it goes back
    to the previous profile, validates the original endpoint with the old root kept as fallback, boots there, and
    still lists the old root among its CSMS roots.

    <Configured (new) CSMS Root certificate 2> is made by the harness, which owns the CSMS PKI of the run.
    Checks: first seen attempt at the original endpoint (M05.FR.15/16, B10.FR.03); Booted there (B10.FR.10,
    B01.FR.05/08/09, A04.FR.01); GetInstalledCertificateIds Accepted listing the old root (M03.FR.03/04,
    M05.FR.12/16)."""
    old_root = _network_tls_root(station)
    old_issuer = station.ctx.csms_root_issuer or old_root.certificate
    new_root = make_root("OCPP Conformance CSMS root 2", signer=old_root)
    async with station.configured(NETWORK_PROFILE_CONNECTION_ATTEMPTS, "1"):
        allowance = await _network_backoff_allowance(station)
        await _network_install_root(station, new_root)
        # Both endpoints present the original endpoint's certificate, signed by the old root (steps 7 and 9).
        async with _network_migration(station, restore_trust=_network_trust_back(station, new_root)) as migration:
            before = station.connection_count()
            await _network_prepare(station, migration)
            timeout = _network_connect_timeout(station) * 3 + allowance * 2
            # The failed TLS handshake with the new endpoint is not seen at the HTTP level: the first attempt that
            # is seen must be the one at the original endpoint.
            attempts = await _network_wait_attempts(
                station, migration, lambda found: bool(found), timeout=timeout,
                what="after the TLS handshake with the new endpoint failed, the station goes back to the previous "
                     "profile and connects to the original endpoint, validating its certificate with the old "
                     "(fallback) CSMS root", requirements=("M05.FR.16", "B10.FR.03"))
            station.check.equal("while migrating the station validates the new endpoint's certificate (signed by "
                                "the old root) with the new CSMS root only, so it does not connect there",
                                attempts[0][0], "old", requirements=("M05.FR.15",))
            conn = await migration.main.wait_for_connection(station.identity, timeout=timeout, after=before)
            await _network_booted(station, conn)
            station.ctx.station_booted = True
            roots = await _network_csms_roots(station, conn, ("M05.FR.16",))
            station.check.that("GetInstalledCertificateIdsResponse is a CALLRESULT", roots is not None,
                               expected="CALLRESULT", actual="CALLERROR", requirements=("M03.FR.01",))
            station.check.that("certificateHashDataChain lists the old CSMS root (kept as fallback)",
                               any(_network_hash_matches(r, old_root.certificate, old_issuer) for r in roots or []),
                               expected=f"CSMSRootCertificate serialNumber {old_root.certificate.serial_number:x}",
                               actual=roots, requirements=("M05.FR.12", "M05.FR.16", "M03.FR.04"))


@case
async def test_tc_b_50_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, success, new CSMS root, new CSMS: a second CSMS root certificate, signed
    by the old one, is installed, the second endpoint presents a certificate that only this new root signs; after
    the reset the station connects there, validating that certificate with the new root, and boots. A station with
    AdditionalRootCertificateCheck (AS-2) then no longer lists the old root.

    The second endpoint's certificate names station_values.second_endpoint_host (when set) and the listen host.
    Checks: first attempt at the new endpoint (M05.FR.13, B10.FR.04), old connection closed (B10.FR.06); Booted
    there (B10.FR.10, B01.FR.05/08/09, A04.FR.01); with AS-2 only the new root listed (M05.FR.13, a Part 2 check
    Part 6 lists in the requirements but does not validate)."""
    old_root = _network_tls_root(station)
    main = station.server
    additional_check = "AS-2" in station.config.pics.supported()
    # Configured CSMS root certificate 2: signed by the old root (TC_B_47_CS prerequisite), as a station with
    # AdditionalRootCertificateCheck requires (M05.FR.10); one without it installs it next to the old one.
    new_root = make_root("OCPP Conformance CSMS root 2", signer=old_root)
    await _network_install_root(station, new_root)
    names = [h for h in (station.config.station_values.second_endpoint_host, main.host) if h]
    context = server_context(issue_server(new_root, names))
    restore_trust = _network_trust_back(station, new_root) if additional_check else None
    async with _network_migration(station, ssl_context=context, restore_trust=restore_trust) as migration:
        old_conn = await _network_prepare(station, migration)
        # A TLS handshake the station gives up is not seen at the HTTP level: the first attempt that is seen must
        # be the one at the new endpoint.
        attempts = await _network_attempts_after_reset(station, migration, old_conn)
        station.check.equal("after the reset the station connects to the new endpoint, accepting its certificate "
                            "signed by the newly installed CSMS root", attempts[0][0], "new",
                            requirements=("M05.FR.13", "B10.FR.04"))
        conn = await migration.second.wait_for_connection(station.identity, timeout=_network_connect_timeout(station))
        await _network_booted(station, conn)
        if additional_check:  # M05.FR.13: connected with the new root, the old one is removed
            roots = await _network_csms_roots(station, conn, ("M05.FR.13",))
            if roots is None:
                station.note("GetInstalledCertificateIds is not implemented: the removal of the old CSMS root "
                             "(M05.FR.13) cannot be observed")
            else:
                station.check.that("after connecting with the new CSMS root the station lists only that root",
                                   len(roots) == 1 and _network_hash_matches(roots[0], new_root.certificate,
                                                                             old_root.certificate),
                                   expected=f"one CSMSRootCertificate, serialNumber "
                                            f"{new_root.certificate.serial_number:x}",
                                   actual=roots, requirements=("M05.FR.13",))
