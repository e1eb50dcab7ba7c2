"""C07 station cases (TC_C_50/52_CS) against conformant stations doing what Part 2 / Part 6 allow that the reference
station does not (each must PASS) and against a misbehaving one (must FAIL): the hash data check recomputes each
entry with the entry's own hashAlgorithm, accepts hash data in a central validation ("may be provided"), and requires
the contract certificate's own entry (C07.FR.02). Peers: the reference station with its ISO 15118 area varied, run
as a user runs a case (tests/test_e_stop_points.py's peer and runner)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.reference.station.iso15118 import Iso15118
from conformance.transport.tls import chain_hash_data, load_chain, ocsp_request_data

from support import free_port
from test_e_stop_points import run_case, station_peer


class Sha384HashData(Iso15118):
    """Hash data with SHA384 (HashAlgorithmEnumType allows it)."""

    def _hash_data(self, chain: list[Any]) -> list[dict[str, str]]:
        return chain_hash_data(chain, "SHA384")


class HashDataWithCertificate(Iso15118):
    """Central validation that also sends the leaf's hash data (Part 6 TC_C_52_CS: "may be provided")."""

    async def _plug_and_charge(self, evse: int, connector: int, params: dict[str, Any]) -> dict[str, Any]:
        conn = self.station.connection
        real_call = conn.call

        async def call(action: str, payload: dict[str, Any], **kwargs: Any) -> Any:
            if action == "Authorize" and "certificate" in payload:
                chain = load_chain(payload["certificate"])
                payload["iso15118CertificateHashData"] = [ocsp_request_data(chain[0], chain[1])]
            return await real_call(action, payload, **kwargs)

        conn.call = call  # type: ignore[method-assign]
        try:
            return await super()._plug_and_charge(evse, connector, params)
        finally:
            del conn.call


class SubCaOnly(Iso15118):
    """Misbehaving: only the sub-CA's entry is sent, the contract certificate's own is missing."""

    def _hash_data(self, chain: list[Any]) -> list[dict[str, str]]:
        return chain_hash_data(chain)[1:]


@pytest.mark.asyncio
@pytest.mark.parametrize(("variant", "case_id", "verdict"), [
    (Sha384HashData, "TC_C_50_CS", "PASS"),
    (HashDataWithCertificate, "TC_C_52_CS", "PASS"),
    (SubCaOnly, "TC_C_50_CS", "FAIL"),
])
async def test_c07_station_variants(tmp_path: Path, variant: type[Iso15118], case_id: str, verdict: str) -> None:
    port = free_port()
    async with station_peer(port) as station:
        station.iso15118.__class__ = variant
        result, output = await run_case(tmp_path, station, port, case_id)
    assert result == verdict, output
    if verdict == "FAIL":
        assert "includes the contract certificate" in output, output
