"""Checks of blocks B (CSMS), G and P are no stricter than the documents (issue 9, review of the rest).

Each test runs one case as a user runs it (``ocpp-conformance run --config``) against a small conformant peer
that does what Part 2 / Part 6 allow but the old checks refused: the reference station or CSMS with one allowed
variant, in this test's event loop, driven through the webhook action backend. Each must PASS (or, where the
documents make the case undecidable, end INCONCLUSIVE, never FAIL). The peers that break the rules are the
faults of conformance/faults.py, run by tests/test_conformance_run.py."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
from websockets.asyncio.server import ServerConnection

from conformance.actions.port import ActionFailed
from conformance.reference.csms import ReferenceCsms
from conformance.reference.station import ReferenceStation

from support import (FULL_PICS, csms_server, free_port, reference_station_peer, run_cases, started_with_webhook,
                     webhook_for, write_peer_config)

MESSAGE_TIMEOUT = 2.0


def write_config(path: Path, role: str, *, port: int | None = None, csms_url: str | None = None, webhook: str,
                 extra: str = "") -> Path:
    return write_peer_config(path, role, port, csms_url=csms_url, name=f"strictness peer ({role})",
                             pics_file=FULL_PICS, message_timeout=MESSAGE_TIMEOUT, connect_timeout=5,
                             action_timeout=5, case_time_limit=30,
                             timing="reconnect_gap = 0\noperator_think_time = 0\n", webhook=webhook, extra=extra)


async def run_case(config: Path, run_dir: Path, case_id: str) -> tuple[str, str]:
    run = await run_cases(config, run_dir, case_id, timeout=120)
    return run.results.get(case_id, {}).get("verdict", "missing"), run.output


# --------------------------------------------------------------------------- station peers
class NoTransactionOnLockFailure(ReferenceStation):
    """TxStartPoint EVConnected,Authorized, but a cable whose retention lock fails is not "connected" for it:
    no transaction starts (G05 postcondition "transaction is not started"), and the lock problem is reported as
    soon as the cable is plugged in, before any authorization (Part 2 does not say when the lock is tried)."""

    async def _plug_in(self, evse: int, connector: int) -> dict[str, Any]:
        if (evse, connector) in self._lock_failing:
            self.state.plugged.add((evse, connector))
            conn = self._require_connection()
            await self.send_status(conn, evse, connector)
            await self._locked(evse, connector)  # the NotifyEvent Problem true, at once
            return {"transaction": None}
        return await super()._plug_in(evse, connector)

    def _tx_points(self, name: str) -> set[str]:
        points = super()._tx_points(name)
        if name == "TxStartPoint" and self._lock_failing:
            return points - {"EVConnected", "Authorized"}
        return points


@contextlib.asynccontextmanager
async def station_peer(cls: type[ReferenceStation], port: int, tx_start_point: str) -> AsyncIterator[ReferenceStation]:
    async with reference_station_peer(port, message_timeout=MESSAGE_TIMEOUT, cls=cls,
                                      settings={("TxCtrlr", "TxStartPoint"): tx_start_point}) as station:
        yield station


@pytest.mark.asyncio
@pytest.mark.parametrize("tx_start_point", ["EVConnected", "Authorized"])
async def test_g20_station_that_starts_no_transaction_after_a_lock_failure_passes(tmp_path: Path,
                                                                                  tx_start_point: str) -> None:
    port = free_port()
    async with station_peer(NoTransactionOnLockFailure, port, tx_start_point) as station:
        async with webhook_for(station) as hook:
            config = write_config(tmp_path / "sut.toml", "station", port=port, webhook=hook,
                                  extra="[configured]\nlock_failure_watch = 1.0\n")
            verdict, output = await run_case(config, tmp_path / "run", "TC_G_20_CS")
    assert verdict == "PASS", output
    assert not [tx for tx in station.transactions.values()], "the peer must not have started a transaction"


# --------------------------------------------------------------------------- CSMS peers
class PeerCsms(ReferenceCsms):
    """The reference CSMS with one allowed variant (``variant``)."""

    def __init__(self, variant: str) -> None:
        super().__init__(passwords={"CS001": None}, security_profile=0, message_timeout=MESSAGE_TIMEOUT,
                         heartbeat_interval=300)
        self.variant = variant

    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        request, payload = params.get("request"), params.get("payload") or {}
        if action == "csms_send" and request == "GetReport" and self.variant == "two_component_variables":
            # Part 6 TC_B_18_CSMS checks componentVariable[0]; a CSMS may ask for more in the same request.
            extra = {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}
            params = dict(params, payload=dict(payload, componentVariable=list(payload["componentVariable"]) + [extra]))
        if action == "csms_send" and request in ("GetVariables", "SetVariables") and \
                self.variant == "authorization_spelling":
            # Part 2 F02.FR.09/10 and Part 6 TC_B_07_CSMS spell the variable AuthorizationRemoteStart.
            key = "getVariableData" if request == "GetVariables" else "setVariableData"
            params = dict(params, payload=dict(payload, **{key: [
                dict(item, variable=dict(item["variable"], name="AuthorizationRemoteStart"))
                if item["variable"]["name"] == "AuthorizeRemoteStart" else item for item in payload[key]]}))
        if action == "csms_send" and request == "ChangeAvailability" and self.variant == "cannot_set_inoperative" \
                and payload.get("operationalStatus") == "Inoperative":
            raise ActionFailed(action, params, "this CSMS's UI cannot set anything Inoperative")
        return await super().perform_action(action, params)


@contextlib.asynccontextmanager
async def csms_peer(variant: str) -> AsyncIterator[tuple[PeerCsms, str]]:
    peer = PeerCsms(variant)
    async with started_with_webhook(peer) as hook:
        yield peer, hook


@pytest.mark.asyncio
async def test_b18_csms_asking_for_more_component_variables_passes(tmp_path: Path) -> None:
    async with csms_peer("two_component_variables") as (peer, hook):
        config = write_config(tmp_path / "sut.toml", "csms", csms_url=peer.url, webhook=hook)
        verdict, output = await run_case(config, tmp_path / "run", "TC_B_18_CSMS")
    assert verdict == "PASS", output


@pytest.mark.asyncio
async def test_g04_memory_state_does_not_depend_on_the_csms_setting_inoperative(tmp_path: Path) -> None:
    """Part 6's Memory State of TC_G_04_CSMS is the simulated station's own: a CSMS that cannot (or did not) set
    the EVSE Inoperative itself still passes the Operative case."""
    async with csms_peer("cannot_set_inoperative") as (peer, hook):
        config = write_config(tmp_path / "sut.toml", "csms", csms_url=peer.url, webhook=hook)
        verdict, output = await run_case(config, tmp_path / "run", "TC_G_04_CSMS")
    assert verdict == "PASS", output


@pytest.mark.asyncio
async def test_b58_csms_refusing_the_credentials_is_inconclusive_not_pass(tmp_path: Path) -> None:
    """An HTTP 401 to both attempts is a refusal of the credentials (OCPP-J Part 4 §3.2 / basic auth), which says
    nothing about the subprotocol negotiation: INCONCLUSIVE, where the old check counted it as refusing ocpp0.1
    and then FAILed step 4."""
    port = free_port()

    async def handler(ws: ServerConnection) -> None:
        await ws.close()

    def unauthorized(connection: ServerConnection, request: Any) -> Any:
        return connection.respond(401, "credentials refused\n")

    async with csms_server(port, handler, process_request=unauthorized):
        async with webhook_for(PeerCsms("none")) as hook:
            config = write_config(tmp_path / "sut.toml", "csms", csms_url=f"ws://127.0.0.1:{port}/ocpp",
                                  webhook=hook)
            verdict, output = await run_case(config, tmp_path / "run", "TC_B_58_CSMS")
    assert verdict == "INCONCLUSIVE", output


@pytest.mark.asyncio
@pytest.mark.parametrize("case_id", ["TC_B_07_CSMS", "TC_B_10_CSMS", "TC_B_08_CSMS"])
async def test_csms_spelling_authorization_remote_start_passes(tmp_path: Path, case_id: str) -> None:
    """AuthorizeRemoteStart (appendix CSV, Part 2 table) and AuthorizationRemoteStart (Part 2 F02.FR.09/10,
    Part 6 TC_B_07_CSMS tool validation) name one variable: a CSMS using the latter passes."""
    async with csms_peer("authorization_spelling") as (peer, hook):
        config = write_config(tmp_path / "sut.toml", "csms", csms_url=peer.url, webhook=hook)
        verdict, output = await run_case(config, tmp_path / "run", case_id)
    assert verdict == "PASS", output
