"""The station-side C cases of helper cauth (C01 statuses, C09 GroupId, C16 Master Pass) accept what Part 2 allows.

Each test runs cases as a user runs them (``ocpp-conformance run --config``) against a reference station variant (a
conformant peer doing an allowed variant: it must PASS), driven through the webhook action backend. The peers that
break the rules are the faults of conformance/faults/c.py (the self-test matrix)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.protocol.frames import utc_now
from conformance.reference.station import ReferenceStation

from support import FULL_PICS, free_port, reference_station_peer, run_cases, webhook_for, write_peer_config

MESSAGE_TIMEOUT = 2.0
TOKENS = """
[id_tokens.blocked]
id_token = "BLOCKED01"
[id_tokens.expired]
id_token = "EXPIRED01"
[id_tokens.master_pass]
id_token = "MASTER001"
group_id_token = "POLICE"
"""


def _config(tmp_path: Path, port: int, hook: str, pics: Path = FULL_PICS) -> Path:
    return write_peer_config(tmp_path / "sut.toml", "station", port, name="authorization peer", pics_file=pics,
                             message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=5, case_time_limit=30,
                             timing="reconnect_gap = 0\noperator_think_time = 0\nmax_time_deviation = 0.5\n",
                             webhook=hook, extra=TOKENS)


class PeriodicMeterValues(ReferenceStation):
    """TxStartPoint EVConnected: the transaction runs from the plug-in, and while a refused idToken is handled the
    station sends a periodic meter value of it (TransactionEventRequest Updated MeterValuePeriodic, no idToken,
    J02.FR.11): allowed at any time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        present = self._steps["present_id_token"]

        async def present_then_periodic(evse: int, connector: int, params: dict[str, Any]) -> dict[str, Any]:
            result = await present(evse, connector, params)
            tx = self.transactions_area.ongoing.get(evse)
            if not result.get("authorized") and tx is not None:
                await self.transactions_area._transaction_event(
                    tx, "Updated", "MeterValuePeriodic", charging_state=None,
                    meter_values=[{"timestamp": utc_now(), "sampledValue": [{"value": 0.0}]}])
            return result

        self._steps["present_id_token"] = present_then_periodic


class RefusesSecondToken(ReferenceStation):
    """C01.FR.23: while its transaction runs, an EVSE refuses a different idToken at once, without an AuthorizeRequest
    (Part 6 TC_C_04_CS steps 1-2 have no tool validation)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        present = self._steps["present_id_token"]

        async def refuse_other(evse: int, connector: int, params: dict[str, Any]) -> dict[str, Any]:
            tx = self.transactions_area.ongoing.get(evse)
            if tx is not None and tx.id_token is not None and tx.id_token.get("idToken") != params["id_token"]:
                return {"authorized": False, "status": "the EVSE is in use"}
            return await present(evse, connector, params)

        self._steps["present_id_token"] = refuse_other


@contextlib.asynccontextmanager
async def station_peer(port: int, *, start: str = "PowerPathClosed", features: tuple[str, ...] | None = None,
                       cls: type[ReferenceStation] = ReferenceStation) -> AsyncIterator[ReferenceStation]:
    options: dict[str, Any] = {} if features is None else {"features": frozenset(features)}
    async with reference_station_peer(port, message_timeout=MESSAGE_TIMEOUT, cls=cls,
                                      settings={("TxCtrlr", "TxStartPoint"): start}, **options) as station:
        yield station


@pytest.mark.asyncio
async def test_refused_tokens_pass_with_periodic_meter_values_of_a_running_transaction(tmp_path: Path) -> None:
    """TxStartPoint EVConnected: a transaction started at the plug-in may send periodic meter values while the refused
    idToken is handled; TC_C_02/06/07/56_CS judge them as no reaction to the token and PASS."""
    cases = ("TC_C_02_CS", "TC_C_06_CS", "TC_C_07_CS", "TC_C_56_CS")
    port = free_port()
    async with station_peer(port, start="EVConnected", cls=PeriodicMeterValues) as station, \
            webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook), tmp_path / "run", *cases, timeout=120)
    assert {c: run.results.get(c, {}).get("verdict") for c in cases} == {c: "PASS" for c in cases}, run.output
    periodic = [e for e in run.events if e.get("kind") == "frame" and '"MeterValuePeriodic"' in str(e.get("raw"))]
    assert len(periodic) >= len(cases), "the variant was exercised in every case"
    assert not station.transactions_area.ongoing, "the restore leaves no transaction behind"


@pytest.mark.asyncio
async def test_different_token_refused_without_authorize_request_passes(tmp_path: Path) -> None:
    """C01.FR.23: a station that refuses the different idToken without asking the CSMS passes TC_C_04_CS."""
    port = free_port()
    async with station_peer(port, cls=RefusesSecondToken) as station, webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook), tmp_path / "run", "TC_C_04_CS")
    assert run.results.get("TC_C_04_CS", {}).get("verdict") == "PASS", run.output
    notes = [e.get("message", "") for e in run.events if e.get("kind") == "note"]
    assert any("sent no AuthorizeRequest for the different idToken" in n for n in notes), notes


@pytest.mark.asyncio
async def test_master_pass_without_ui_stops_every_transaction(tmp_path: Path) -> None:
    """A station without a Master Pass UI (C-08, not C-07): TC_C_49_CS PASSes (MasterPassGroupId set by the harness
    to the configured group), TC_C_47/48_CS are NOT APPLICABLE (Part 5: C-07)."""
    pics = tmp_path / "pics.toml"
    pics.write_text(FULL_PICS.read_text().replace('"C-07", ', ""))
    port = free_port()
    features = ("C-08", "C-30", "C-31", "C-32")  # a product with a Master Pass but no UI
    async with station_peer(port, features=features) as station, webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook, pics), tmp_path / "run", "TC_C_47_CS", "TC_C_48_CS",
                              "TC_C_49_CS")
    verdicts = {c: run.results.get(c, {}).get("verdict") for c in ("TC_C_47_CS", "TC_C_48_CS", "TC_C_49_CS")}
    assert verdicts == {"TC_C_47_CS": "NOT APPLICABLE", "TC_C_48_CS": "NOT APPLICABLE", "TC_C_49_CS": "PASS"}, \
        run.output
    assert station.device_model.get("AuthCtrlr", "MasterPassGroupId") == "MASTERPASS", "restored afterwards"


@pytest.mark.asyncio
async def test_cases_needing_an_unconfigured_token_role_are_not_applicable(tmp_path: Path) -> None:
    """docs/configuration.md: a case that needs an optional [id_tokens] role the configuration lacks cannot run against
    the SUT: NOT APPLICABLE, naming the table to add."""
    cases = ("TC_C_06_CS", "TC_C_07_CS", "TC_C_39_CS", "TC_C_49_CS")
    port = free_port()
    async with station_peer(port) as station, webhook_for(station) as hook:
        config = write_peer_config(tmp_path / "sut.toml", "station", port, pics_file=FULL_PICS,
                                   message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, case_time_limit=30,
                                   timing="reconnect_gap = 0\noperator_think_time = 0\n", webhook=hook)
        run = await run_cases(config, tmp_path / "run", *cases)
    assert {c: run.results.get(c, {}).get("verdict") for c in cases} == {c: "NOT APPLICABLE" for c in cases}, \
        run.output
    assert "[id_tokens.blocked]" in run.results["TC_C_06_CS"]["message"]
    assert "[id_tokens.group]" in run.results["TC_C_39_CS"]["message"]


def test_default_token_info_answers_each_configured_role_with_its_status() -> None:
    """The harness CSMS's default idTokenInfo (sides.default_token_info), which the C cases fall back to for every
    token they do not answer themselves."""
    from types import SimpleNamespace

    from conformance.config import default_config
    from conformance.harness.sides import default_token_info

    config = default_config("station")
    info = default_token_info(SimpleNamespace(config=config))  # it reads only the run's configuration
    tokens = config.id_tokens
    assert info(tokens.valid.to_ocpp()) == {"status": "Accepted"}
    assert info(tokens.invalid.to_ocpp()) == {"status": "Invalid"}
    assert info(tokens.blocked.to_ocpp()) == {"status": "Blocked"}
    assert info(tokens.expired.to_ocpp()) == {"status": "Expired"}
    assert info({"idToken": "", "type": "NoAuthorization"}) == {"status": "Accepted"}
    assert info({"idToken": "NEVER-SEEN", "type": "ISO14443"}) == {"status": "Unknown"}
