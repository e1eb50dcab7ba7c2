"""Network connection profiles of the reference Charging Station (B09 SetNetworkProfile, B10 migration) and
TLS (security profile 2) in the transport.

The validation of SetNetworkProfileRequest and of NetworkConfigurationPriority, the order in which the station
tries its profiles (priority after a reboot, attempts per entry, fallback with and without C-47), runs against
harness CSMS servers (a migration to a second endpoint, a fallback when it refuses the station), the test PKI and
TLS endpoints (transport/tls.py), InstallCertificate, and a migration to a wss:// endpoint with a new CSMS root;
CSMS roots with AdditionalRootCertificateCheck (M05.FR.09-16: replace only by a root the old one signed, the
fallback root and when it is used or removed) and GetInstalledCertificateIds (M03).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp

from conformance.config import default_config
from conformance.protocol.errors import PeerRefused
from conformance.faults import FaultSet
from conformance.reference.station import ReferenceStation
from conformance.transport.client import open_station_connection
from conformance.transport.server import CsmsServer
from conformance.transport.tls import (certificate_hash_data, client_context, cross_sign, issue_server, make_root,
                                     server_context)

TIMEOUT = 5.0
PASSWORD = "reference-password-01"
PRIORITY = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "NetworkConfigurationPriority"}}
ATTEMPTS = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "NetworkProfileConnectionAttempts"}}
ACTIVE = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "ActiveNetworkProfile"}}


def profile(url: str = "ws://csms2.example.com/ocpp", **changes: Any) -> dict[str, Any]:
    return {"ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": url, "messageTimeout": 5,
            "securityProfile": 1, "ocppInterface": "Wired0", **changes}


def station(features: frozenset[str] | None = None, faults: tuple[str, ...] = ()) -> ReferenceStation:
    return ReferenceStation(csms_url="ws://127.0.0.1:1/ocpp", identity="CS001", password=PASSWORD,
                            evses=[(1, [1])], features=features, faults=FaultSet(faults, sut="station"),
                            message_timeout=TIMEOUT, connect_timeout=TIMEOUT)


def set_variable(sut: ReferenceStation, variable: dict[str, Any], value: str) -> dict[str, Any]:
    return sut.device_model.set_variables([dict(variable, attributeValue=value)])[0]


def planned(sut: ReferenceStation, count: int) -> list[int]:
    return [sut.network.target()[0] for _ in range(count)]


async def test_set_network_profile_validates_the_content() -> None:
    sut = station()
    rejected = {
        999: ("InvalidConfSlot", profile()),  # B09.FR.05
        2: ("InvalidNetworkConf", profile(ocppVersion="OCPP16")),
        3: ("InvalidNetworkConf", profile(securityProfile=2)),  # TLS is not supported
    }
    for slot, (reason, data) in rejected.items():
        answer = await sut.answer("SetNetworkProfile", {"configurationSlot": slot, "connectionData": data})
        assert answer["status"] == "Rejected" and answer["statusInfo"]["reasonCode"] == reason, (slot, answer)
    answer = await sut.answer("SetNetworkProfile", {"configurationSlot": 2,
                                                "connectionData": profile(url="wss://x/ocpp")})
    assert answer["status"] == "Rejected"
    sut.device_model.set_value("SecurityCtrlr", "SecurityProfile", 1)
    answer = await sut.answer("SetNetworkProfile", {"configurationSlot": 2,
                                                "connectionData": profile(securityProfile=0)})
    assert answer["statusInfo"]["reasonCode"] == "NoSecurityDowngrade"  # B09.FR.04
    assert await sut.answer("SetNetworkProfile", {"configurationSlot": 2, "connectionData": profile()}) == {
        "status": "Accepted"}
    assert sut.state.network_profiles[2]["ocppCsmsUrl"] == "ws://csms2.example.com/ocpp"
    # The active slot may be changed too; the change applies from the next connection on (B09 remarks).
    assert (await sut.answer("SetNetworkProfile", {"configurationSlot": 1, "connectionData": profile()}))["status"] == \
        "Accepted"


async def test_fault_accepts_any_slot() -> None:
    sut = station(faults=("network_profile_accepts_any_slot",))
    answer = await sut.answer("SetNetworkProfile", {"configurationSlot": 999, "connectionData": profile()})
    assert answer["status"] == "Accepted"


async def test_priority_only_lists_slots_with_a_profile() -> None:
    sut = station()
    result = set_variable(sut, PRIORITY, "2,1")
    assert result["attributeStatus"] == "Rejected"  # B10.FR.02: slot 2 is empty
    assert result["attributeStatusInfo"]["reasonCode"] == "InvalidNetworkConf"
    await sut.answer("SetNetworkProfile", {"configurationSlot": 2, "connectionData": profile()})
    assert set_variable(sut, PRIORITY, "2,1")["attributeStatus"] == "Accepted"  # B10.FR.01


async def test_active_network_profile_is_reported() -> None:
    sut = station()
    sut.network.connected(1)
    result = sut.device_model.get_variables([ACTIVE])[0]
    assert (result["attributeStatus"], result["attributeValue"]) == ("Accepted", "1")


async def test_order_after_reboot_attempts_and_fallback_with_c47() -> None:
    sut = station()
    sut.network.connected(1)  # the last successful connection
    await sut.answer("SetNetworkProfile", {"configurationSlot": 2, "connectionData": profile()})
    set_variable(sut, PRIORITY, "2,1")
    set_variable(sut, ATTEMPTS, "2")
    sut.network.plan.queue.clear()
    sut.boot.needs_boot = True  # after a reboot: from the first entry (B10.FR.04), two attempts each (B10.FR.03)
    assert planned(sut, 4) == [2, 2, 1, 1]
    assert planned(sut, 4) == [1, 1, 1, 1]  # every entry failed: the last successful profile (B10.FR.07)


async def test_fallback_without_c47_restarts_the_list() -> None:
    sut = station(features=frozenset({"C-13"}))
    sut.network.connected(1)
    await sut.answer("SetNetworkProfile", {"configurationSlot": 2, "connectionData": profile()})
    set_variable(sut, PRIORITY, "2,1")
    set_variable(sut, ATTEMPTS, "1")
    sut.boot.needs_boot = True
    assert planned(sut, 6) == [2, 1, 2, 1, 2, 1]  # B10.FR.08


async def test_lost_connection_starts_with_the_slot_in_use() -> None:
    sut = station()
    await sut.answer("SetNetworkProfile", {"configurationSlot": 2, "connectionData": profile()})
    set_variable(sut, PRIORITY, "2,1")
    set_variable(sut, ATTEMPTS, "1")
    sut.network.connected(1)
    sut.boot.needs_boot = False
    assert planned(sut, 2) == [1, 2]


async def test_other_slot_means_a_new_boot() -> None:
    sut = station()
    sut.network.connected(1)
    sut.boot.needs_boot = False
    sut.network.connected(2)
    assert sut.boot.needs_boot  # B10.FR.10
    assert sut.state.network_last_slot == 2


@contextlib.asynccontextmanager
async def endpoints() -> AsyncIterator[tuple[CsmsServer, CsmsServer]]:
    first = await CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=None, message_timeout=TIMEOUT).start()
    second = await CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=None, message_timeout=TIMEOUT).start()
    try:
        yield first, second
    finally:
        await second.stop()
        await first.stop()


async def migrate(sut: ReferenceStation, first: CsmsServer, second: CsmsServer) -> None:
    conn = await first.wait_for_connection("CS001", timeout=TIMEOUT)
    await conn.expect_call("BootNotification")
    answer = await conn.call("SetNetworkProfile", {"configurationSlot": 2, "connectionData": profile(second.url)})
    assert answer.payload["status"] == "Accepted"
    result = await conn.call("SetVariables", {"setVariableData": [dict(PRIORITY, attributeValue="2,1")]})
    assert result.payload["setVariableResult"][0]["attributeStatus"] == "Accepted"
    assert (await conn.call("Reset", {"type": "OnIdle"})).payload["status"] == "Accepted"


async def test_migration_to_a_second_endpoint() -> None:
    async with endpoints() as (first, second):
        sut = ReferenceStation(csms_url=first.url, identity="CS001", password=PASSWORD, evses=[(1, [1])],
                               message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        await sut.start()
        try:
            await migrate(sut, first, second)
            conn = await second.wait_for_connection("CS001", timeout=TIMEOUT)
            await conn.expect_call("BootNotification")
            assert first.connection_count("CS001") == 1 and not first.connections["CS001"].is_open  # B10.FR.06
            got = await conn.call("GetVariables", {"getVariableData": [ACTIVE]})
            assert got.payload["getVariableResult"][0]["attributeValue"] == "2"
        finally:
            await sut.stop()


async def test_fallback_when_the_second_endpoint_refuses() -> None:
    async with endpoints() as (first, second):
        second.refusing.add("CS001")
        sut = ReferenceStation(csms_url=first.url, identity="CS001", password=PASSWORD, evses=[(1, [1])],
                               message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        sut.device_model.set_value("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", 1)
        await sut.start()
        try:
            await migrate(sut, first, second)
            conn = await first.wait_for_connection("CS001", timeout=TIMEOUT, after=1)
            await conn.expect_call("BootNotification")
            assert [h.identity for h in second.handshakes] == ["CS001"]  # one attempt, then the next entry
        finally:
            await sut.stop()


# --------------------------------------------------------------------------- TLS (security profile 2)
ROOT = make_root("CSMS root 1")
OTHER_ROOT = make_root("CSMS root 2")


@contextlib.asynccontextmanager
async def tls_endpoint(root: Any = ROOT, host: str = "127.0.0.1") -> AsyncIterator[CsmsServer]:
    context = server_context(issue_server(root, [host]))
    server = await CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=None, message_timeout=TIMEOUT,
                              passwords={"CS001": PASSWORD}, security_profile=2, ssl_context=context).start()
    try:
        yield server
    finally:
        await server.stop()


async def dial(server: CsmsServer, roots: list[str]) -> None:
    conn = await open_station_connection(server.url, "CS001", password=PASSWORD, log=None, message_timeout=TIMEOUT,
                                         connect_timeout=TIMEOUT, ssl_context=client_context(roots))
    await conn.close()


async def test_tls_endpoint_accepts_a_station_that_trusts_its_root() -> None:
    async with tls_endpoint() as server:
        assert server.url.startswith("wss://")
        await dial(server, [ROOT.certificate_pem])
        assert server.handshakes[-1].auth_ok is True  # Basic auth inside TLS (security profile 2)


async def test_tls_certificate_of_another_root_or_host_is_refused() -> None:
    async with tls_endpoint() as server:
        with pytest.raises(PeerRefused, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            await dial(server, [OTHER_ROOT.certificate_pem])
        with pytest.raises(PeerRefused):
            await dial(server, [])
    async with tls_endpoint(host="csms.example.invalid") as server:  # the name does not match 127.0.0.1
        with pytest.raises(PeerRefused):
            await dial(server, [ROOT.certificate_pem])


async def test_new_root_signed_by_the_old_one_is_a_trust_anchor() -> None:
    new_root = make_root("CSMS root 1 (renewed)", signer=ROOT)
    assert new_root.certificate.issuer == ROOT.certificate.subject
    async with tls_endpoint(root=new_root) as server:
        await dial(server, [new_root.certificate_pem])


async def test_install_certificate() -> None:
    sut = station()
    answer = await sut.answer("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                                 "certificate": "garbage"})
    assert answer["status"] == "Rejected"  # M05.FR.07
    for _ in range(2):  # installed again: replaced, not added (M05.FR.17)
        answer = await sut.answer("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                                  "certificate": ROOT.certificate_pem})
        assert answer == {"status": "Accepted"}
    entries = sut.device_model.get_variables([{"component": {"name": "SecurityCtrlr"},
                                               "variable": {"name": "CertificateEntries"}}])[0]
    assert entries["attributeValue"] == "1"


async def test_profile_2_slot_needs_a_csms_root() -> None:
    sut = station()
    data = profile("wss://127.0.0.1:1/ocpp", securityProfile=2)
    answer = await sut.answer("SetNetworkProfile", {"configurationSlot": 2, "connectionData": data})
    assert answer["status"] == "Accepted"
    assert (await sut.answer("SetNetworkProfile", {"configurationSlot": 3, "connectionData": profile(
        "ws://127.0.0.1:1/ocpp", securityProfile=2)}))["status"] == "Rejected"  # profile 2 needs wss://
    result = set_variable(sut, PRIORITY, "2,1")
    assert (result["attributeStatus"], result["attributeStatusInfo"]["reasonCode"]) == ("Rejected", "NoCSMSRootCert")
    await sut.answer("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                            "certificate": ROOT.certificate_pem})
    assert set_variable(sut, PRIORITY, "2,1")["attributeStatus"] == "Accepted"  # A05.FR.02 met


async def test_migration_to_a_tls_endpoint_with_a_newly_installed_root() -> None:
    """The B50 flow between the reference station and harness servers: a new CSMS root installed, a profile for
    a wss:// endpoint whose certificate that root signs, priority, reset; the station then holds security profile
    2 and no profile below it (A05.FR.06)."""
    async with endpoints() as (first, _), tls_endpoint(root=OTHER_ROOT) as second:
        sut = ReferenceStation(csms_url=first.url, identity="CS001", password=PASSWORD, evses=[(1, [1])],
                               message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        await sut.start()
        try:
            conn = await first.wait_for_connection("CS001", timeout=TIMEOUT)
            await conn.expect_call("BootNotification")
            installed = await conn.call("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                                               "certificate": OTHER_ROOT.certificate_pem})
            assert installed.payload["status"] == "Accepted"
            answer = await conn.call("SetNetworkProfile", {"configurationSlot": 2, "connectionData": profile(
                second.url, securityProfile=2)})
            assert answer.payload["status"] == "Accepted"
            result = await conn.call("SetVariables", {"setVariableData": [dict(PRIORITY, attributeValue="2,1")]})
            assert result.payload["setVariableResult"][0]["attributeStatus"] == "Accepted"
            assert (await conn.call("Reset", {"type": "OnIdle"})).payload["status"] == "Accepted"
            secure = await second.wait_for_connection("CS001", timeout=TIMEOUT)
            await secure.expect_call("BootNotification")
            got = await secure.call("GetVariables", {"getVariableData": [
                PRIORITY, {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "SecurityProfile"}}]})
            assert [r["attributeValue"] for r in got.payload["getVariableResult"]] == ["2", "2"]
        finally:
            await sut.stop()


def test_security_profile_2_runs_only_with_the_reference_station() -> None:
    station_config = default_config("station")
    secure = dataclasses.replace(station_config, connection=dataclasses.replace(station_config.connection,
                                                                                security_profile=2))
    assert secure.unsupported() == []
    real = dataclasses.replace(secure, reference=False)
    assert [line.split(":")[0] for line in real.unsupported()] == ["connection.security_profile"]


def test_reference_station_run_over_tls(tmp_path: Path) -> None:
    """The whole chain with security profile 2: harness server with its test PKI, the reference station trusting
    its root, a boot and a migration to a second TLS endpoint of the same root."""
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--role", "station", "--run-dir",
                           str(tmp_path), "--set", "connection.security_profile=2", "--case", "TC_B_01_CS",
                           "--case", "TC_B_45_CS"], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert {c["id"]: c["verdict"] for c in summary["cases"]} == {"TC_B_01_CS": "PASS", "TC_B_45_CS": "PASS"}, \
        proc.stdout + proc.stderr
    notes = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert any("listening on wss://" in str(e.get("message", "")) for e in notes)


# --------------------------------------------------------------------------- CSMS roots with AdditionalRootCertificateCheck
# M05.FR.09-16 (PICS AS-2) and GetInstalledCertificateIds (M03).
CSMS_ROOT = "CSMSRootCertificate"
ROOT_CHECK = {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "AdditionalRootCertificateCheck"}}


async def install(sut: ReferenceStation, pem: str) -> dict[str, Any]:
    return await sut.answer("InstallCertificate", {"certificateType": CSMS_ROOT, "certificate": pem})


def ocsp_hashes(certificate: Any, issuer: Any, algorithm: Any) -> tuple[str, str]:
    request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, algorithm).build()
    return request.issuer_name_hash.hex(), request.issuer_key_hash.hex()


def test_certificate_hash_data_is_that_of_ocsp() -> None:
    renewed = make_root("CSMS root 1 (renewed)", signer=ROOT)
    for name, algorithm in (("SHA256", hashes.SHA256()), ("SHA384", hashes.SHA384()), ("SHA512", hashes.SHA512())):
        data = certificate_hash_data(renewed.certificate, ROOT.certificate, name)
        assert data["hashAlgorithm"] == name
        assert (data["issuerNameHash"], data["issuerKeyHash"]) == ocsp_hashes(renewed.certificate, ROOT.certificate,
                                                                             algorithm)
        assert int(data["serialNumber"], 16) == renewed.certificate.serial_number
        assert not data["serialNumber"].startswith("0")  # without leading zeroes
    self_signed = certificate_hash_data(ROOT.certificate)  # a self-signed root is its own issuer
    assert (self_signed["issuerNameHash"], self_signed["issuerKeyHash"]) == ocsp_hashes(
        ROOT.certificate, ROOT.certificate, hashes.SHA256())


def test_cross_signed_copy_keeps_subject_and_key() -> None:
    renewed = make_root("CSMS root 1 (renewed)", signer=ROOT)
    back = cross_sign(ROOT, renewed)
    assert back.certificate.subject == ROOT.certificate.subject
    assert back.certificate.issuer == renewed.certificate.subject
    assert back.certificate.public_key() == ROOT.certificate.public_key()
    back.certificate.verify_directly_issued_by(renewed.certificate)


async def test_additional_root_check_replaces_the_root_and_keeps_a_fallback() -> None:
    sut = station()  # every feature, so AS-2
    assert sut.device_model.get_variables([ROOT_CHECK])[0]["attributeValue"] == "true"
    assert await install(sut, ROOT.certificate_pem) == {"status": "Accepted"}  # the first root: nothing to check
    answer = await install(sut, OTHER_ROOT.certificate_pem)  # not signed by ROOT
    assert (answer["status"], answer["statusInfo"]["reasonCode"]) == ("Rejected", "InvalidCertificate")  # M05.FR.11
    renewed = make_root("CSMS root 1 (renewed)", signer=ROOT)
    assert await install(sut, renewed.certificate_pem) == {"status": "Accepted"}  # M05.FR.12
    assert sut.state.certificates[CSMS_ROOT] == [ROOT.certificate_pem, renewed.certificate_pem]
    assert sut.state.csms_root_fallback == ROOT.certificate_pem
    again = make_root("CSMS root 1 (renewed twice)", signer=renewed)
    assert await install(sut, again.certificate_pem) == {"status": "Accepted"}
    # one root in force plus one fallback (M05.FR.09): the oldest is gone
    assert sut.state.certificates[CSMS_ROOT] == [renewed.certificate_pem, again.certificate_pem]
    listed = await sut.answer("GetInstalledCertificateIds", {"certificateType": [CSMS_ROOT]})
    assert listed["status"] == "Accepted"
    assert [e["certificateHashData"] for e in listed["certificateHashDataChain"]] == [
        certificate_hash_data(renewed.certificate, ROOT.certificate),
        certificate_hash_data(again.certificate, renewed.certificate)]  # M03.FR.04
    assert await sut.answer("GetInstalledCertificateIds", {"certificateType": ["V2GRootCertificate"]}) == {
        "status": "NotFound"}  # M03.FR.02


async def test_without_as2_roots_are_installed_side_by_side() -> None:
    sut = station(features=frozenset({"C-47"}))
    assert sut.device_model.get_variables([ROOT_CHECK])[0]["attributeValue"] == "false"
    assert await install(sut, ROOT.certificate_pem) == {"status": "Accepted"}
    assert await install(sut, OTHER_ROOT.certificate_pem) == {"status": "Accepted"}
    assert sut.state.certificates[CSMS_ROOT] == [ROOT.certificate_pem, OTHER_ROOT.certificate_pem]
    assert sut.state.csms_root_fallback is None
    assert [role for _, role in sut.network.trust(1, "wss://127.0.0.1:1/ocpp")] == [None]  # both roots at once


async def test_fallback_root_only_outside_a_migration() -> None:
    renewed = make_root("CSMS root 1 (renewed)", signer=ROOT)
    for faults, migrating in (((), ["in force"]), (("csms_root_fallback_used_when_migrating",),
                                                  ["in force", "fallback"])):
        sut = station(faults=faults)
        await install(sut, ROOT.certificate_pem)
        await install(sut, renewed.certificate_pem)
        sut.state.network_last_slot = 1
        url = "wss://127.0.0.1:1/ocpp"
        assert [role for _, role in sut.network.trust(1, url)] == ["in force", "fallback"]  # M05.FR.14, M05.FR.16
        assert [role for _, role in sut.network.trust(2, url)] == migrating  # M05.FR.15
        assert sut.network.trust(1, "ws://127.0.0.1:1/ocpp") == [(None, None)]


async def test_fault_replaced_at_once_drops_the_old_root() -> None:
    sut = station(faults=("csms_root_replaced_at_once",))
    await install(sut, ROOT.certificate_pem)
    renewed = make_root("CSMS root 1 (renewed)", signer=ROOT)
    assert await install(sut, renewed.certificate_pem) == {"status": "Accepted"}
    assert sut.state.certificates[CSMS_ROOT] == [renewed.certificate_pem]
    assert sut.state.csms_root_fallback is None


async def test_connection_with_the_fallback_keeps_it_with_the_new_root_removes_it() -> None:
    """M05.FR.16 then M05.FR.13 against TLS endpoints: an endpoint of the old root is reached through the fallback
    (both kept), one of the new root through the root in force (the fallback removed)."""
    renewed = make_root("CSMS root 1 (renewed)", signer=ROOT)
    sut = station()
    await install(sut, ROOT.certificate_pem)
    await install(sut, renewed.certificate_pem)
    sut.state.network_last_slot = 1
    async with tls_endpoint(root=ROOT) as old_endpoint:
        with pytest.raises(PeerRefused, match="CERTIFICATE_VERIFY_FAILED"):  # migrating: the new root only
            await sut.network.open(2, old_endpoint.url, TIMEOUT)
        conn = await sut.network.open(1, old_endpoint.url, TIMEOUT)
        await conn.close()
    assert sut.state.certificates[CSMS_ROOT] == [ROOT.certificate_pem, renewed.certificate_pem]
    async with tls_endpoint(root=renewed) as new_endpoint:
        conn = await sut.network.open(2, new_endpoint.url, TIMEOUT)
        await conn.close()
    assert sut.state.certificates[CSMS_ROOT] == [renewed.certificate_pem]
    assert sut.state.csms_root_fallback is None
