"""Every example payload is valid in our registry, in the reference ``jsonschema`` library, and
against the official OCA Part 3 schema files; our overlaid schemas equal the OCA files."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from conformance.protocol import schemas
from conformance.protocol.examples import build_example, iter_message_types

jsonschema = pytest.importorskip("jsonschema", reason="the reference validator (extra 'test') is not installed")
pytest.importorskip("rfc3339_validator", reason="without rfc3339-validator jsonschema skips date-time")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
OCA_DIR = SHARED / "ocpp-2.0.1" / "OCPP-2.0.1_part3_JSON_schemas"
needs_oca = pytest.mark.skipif(not OCA_DIR.is_dir(), reason=f"official OCA schema copies not found at {OCA_DIR}")

MESSAGE_TYPES = iter_message_types()
IDS = [f"{a}{k.capitalize()}" for a, k in MESSAGE_TYPES]
VARIANTS = {"minimal": {}, "full": {"full": True}, "full+customData": {"full": True, "custom_data": True}}


@lru_cache(maxsize=None)
def ref_validator(action: str, kind: str):
    schema = schemas.get_registry().schema(action, kind)
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def oca_schema(name: str) -> dict:
    return json.loads((OCA_DIR / f"{name}.json").read_text(encoding="utf-8-sig"))


@lru_cache(maxsize=None)
def oca_validator(name: str):
    return jsonschema.Draft6Validator(oca_schema(name), format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


def test_reference_validator_checks_date_time():
    # dependencies.md §2.2: without rfc3339-validator, jsonschema silently accepts any date-time
    v = ref_validator("Heartbeat", "response")
    assert not v.is_valid({"currentTime": "yesterday"})
    assert not v.is_valid({"currentTime": "2025-03-01T12:00:00"})


def test_128_message_types():
    assert len(MESSAGE_TYPES) == 128
    assert len({a for a, _ in MESSAGE_TYPES}) == 64
    assert MESSAGE_TYPES[:2] == [("Authorize", "request"), ("Authorize", "response")]


@pytest.mark.parametrize(("action", "kind"), MESSAGE_TYPES, ids=IDS)
def test_examples_valid_everywhere(action, kind):
    reg = schemas.get_registry()
    name = schemas.schema_name(action, kind)
    for variant, kwargs in VARIANTS.items():
        payload = build_example(action, kind, **kwargs)
        assert isinstance(payload, dict)
        assert reg.validate(action, kind, payload) == [], (variant, payload)
        errors = [e.message for e in ref_validator(action, kind).iter_errors(payload)]
        assert errors == [], (variant, errors)
        if OCA_DIR.is_dir():
            errors = [e.message for e in oca_validator(name).iter_errors(payload)]
            assert errors == [], (variant, "OCA file", errors)


@pytest.mark.parametrize(("action", "kind"), MESSAGE_TYPES, ids=IDS)
def test_examples_shape(action, kind):
    schema = schemas.get_registry().schema(action, kind)
    minimal = build_example(action, kind)
    full = build_example(action, kind, full=True)
    assert set(minimal) == set(schema.get("required", ()))
    assert set(full) == set(schema.get("properties", {})) - {"customData"}
    assert "customData" in build_example(action, kind, full=True, custom_data=True) or \
        "customData" not in schema.get("properties", {})
    # deterministic, and a fresh object each time
    again = build_example(action, kind, full=True)
    assert again == full and again is not full
    assert json.dumps(full, sort_keys=True) == json.dumps(build_example(action, kind, full=True), sort_keys=True)


def test_examples_realistic_values():
    boot = build_example("BootNotification", "request", full=True)
    assert boot["reason"] == "PowerUp"
    assert boot["chargingStation"]["vendorName"] == "ExampleVendor"
    auth = build_example("Authorize", "request")
    assert auth == {"idToken": {"idToken": "04A1B2C3D4E5F6", "type": "ISO14443"}}
    assert build_example("Heartbeat", "response") == {"currentTime": schemas.DATE_TIME_EXAMPLE}
    assert build_example("Heartbeat", "request") == {}
    tx = build_example("TransactionEvent", "request")
    assert tx["eventType"] == "Started" and tx["seqNo"] == 0
    soc = build_example("NotifyEVChargingNeeds", "request", full=True)["chargingNeeds"]["dcChargingParameters"]
    assert 0 <= soc["stateOfCharge"] <= 100 and soc["fullSoC"] == 100


def test_examples_mutation_does_not_leak():
    a = build_example("BootNotification", "request")
    a["chargingStation"]["model"] = "changed"
    assert build_example("BootNotification", "request")["chargingStation"]["model"] == "ExampleModel"


def test_examples_unknown_action_and_kind():
    with pytest.raises(KeyError):
        build_example("NoSuchAction", "request")
    with pytest.raises(ValueError):
        build_example("Heartbeat", "call")


# --- our overlaid schemas vs the official OCA Part 3 files -----------------------------------


@needs_oca
def test_oca_folder_complete():
    names = sorted(p.stem for p in OCA_DIR.glob("*.json"))
    assert names == sorted(schemas.schema_name(a, k) for a, k in MESSAGE_TYPES)


@needs_oca
@pytest.mark.parametrize(("action", "kind"), MESSAGE_TYPES, ids=IDS)
def test_overlaid_schema_equals_oca_file(action, kind):
    """dependencies.md §1.3: the wheel differs from the OCA set only by the missing ``$id`` (all
    128) and exiResponse maxLength 7500 (1). After the overlay nothing differs (the ``comment``
    key is the same in both)."""
    name = schemas.schema_name(action, kind)
    ours = schemas.get_registry().schema(action, kind)
    assert ours == oca_schema(name)
    assert ours["$id"] == f"urn:OCPP:Cp:2:2020:3:{name}"
    assert ours["comment"] == "OCPP 2.0.1 FINAL"


@needs_oca
def test_wheel_differs_from_oca_only_as_documented():
    """The raw wheel files: exactly the two documented differences, nothing else."""
    diffs = []

    def diff(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if k not in a or k not in b:
                    diffs.append((path + "/" + k, "missing in wheel" if k not in a else "missing in OCA"))
                else:
                    diff(a[k], b[k], path + "/" + k)
        elif a != b:
            diffs.append((path, f"{a!r} != {b!r}"))

    for p in schemas.schema_dir().iterdir():
        if p.name.endswith(".json"):
            diff(json.loads(p.read_text()), oca_schema(p.name[:-5]), p.name[:-5])
    ids = [d for d in diffs if d[0].endswith("/$id")]
    rest = [d for d in diffs if not d[0].endswith("/$id")]
    assert len(ids) == 128 and all(d[1] == "missing in wheel" for d in ids)
    assert rest == [("Get15118EVCertificateResponse/properties/exiResponse/maxLength", "7500 != 5600")]
