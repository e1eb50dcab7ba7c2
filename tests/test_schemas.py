"""Schema registry: provenance, overlay, generated invalid mutations for all 128 message types
(cross-checked against the reference ``jsonschema`` library), extra checks, CALLERROR mapping."""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import lru_cache
from typing import Any

import pytest

from conformance.protocol import schemas
from conformance.protocol.examples import build_example, iter_message_types
from conformance.protocol.schemas import (
    CALLERROR_MAPPING,
    EXTRA_CHECK_KEYWORDS,
    IDENTIFIER_STRING_FIELDS,
    SCHEMA_SET_SHA256,
    UnknownActionError,
    Violation,
    allowed_error_codes,
    callerror_for,
    format_path,
    get_registry,
)

jsonschema = pytest.importorskip("jsonschema", reason="the reference validator (extra 'test') is not installed")
pytest.importorskip("rfc3339_validator", reason="without rfc3339-validator jsonschema skips date-time")

MESSAGE_TYPES = iter_message_types()
IDS = [f"{a}{k.capitalize()}" for a, k in MESSAGE_TYPES]
ERROR_CODES = {
    "FormatViolation", "GenericError", "InternalError", "MessageTypeNotSupported", "NotImplemented",
    "NotSupported", "OccurrenceConstraintViolation", "PropertyConstraintViolation", "ProtocolError",
    "RpcFrameworkError", "SecurityError", "TypeConstraintViolation",
}


@pytest.fixture(scope="module")
def reg():
    return get_registry()


@lru_cache(maxsize=None)
def ref_validator(action: str, kind: str):
    schema = get_registry().schema(action, kind)
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


def ref_valid(action: str, kind: str, payload: Any) -> bool:
    return ref_validator(action, kind).is_valid(payload)


def hits(violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.path, v.keyword) for v in violations]


# --------------------------------------------------------------------------------------------
# Provenance, counts, API
# --------------------------------------------------------------------------------------------


def test_manifest_hash(reg):
    assert schemas.schema_set_digest() == SCHEMA_SET_SHA256
    assert reg.digest == SCHEMA_SET_SHA256


def test_manifest_mismatch_warns(monkeypatch):
    monkeypatch.setattr(schemas, "SCHEMA_SET_SHA256", "0" * 64)
    with pytest.warns(schemas.SchemaSetMismatchWarning):
        schemas.SchemaRegistry()


def test_64_actions_128_schemas(reg):
    files = sorted(p.name for p in schemas.schema_dir().iterdir() if p.name.endswith(".json"))
    assert len(files) == schemas.SCHEMA_COUNT == 128
    assert len(reg.actions) == 64
    assert len(reg.message_types()) == 128
    assert files == sorted(schemas.schema_name(a, k) + ".json" for a, k in reg.message_types())
    for action in ("Authorize", "BootNotification", "DataTransfer", "TransactionEvent", "UpdateFirmware"):
        assert reg.is_known(action)
    assert not reg.is_known("StartTransaction")  # OCPP 1.6 only
    assert not reg.is_known("BootNotificationRequest")


def test_singleton_and_no_ocpp_v201_import(reg):
    import sys

    assert get_registry() is reg
    assert "ocpp.v201" not in sys.modules  # loading the data files must not import the library


def test_unknown_action_and_kind(reg):
    with pytest.raises(KeyError):
        reg.validate("StartTransaction", "request", {})
    with pytest.raises(UnknownActionError):
        reg.schema("NoSuchAction", "response")
    with pytest.raises(ValueError):
        reg.validate("Heartbeat", "req", {})


def test_schema_overlay_and_copy(reg):
    s = reg.schema("Get15118EVCertificate", "response")
    assert s["$id"] == "urn:OCPP:Cp:2:2020:3:Get15118EVCertificateResponse"
    assert s["properties"]["exiResponse"]["maxLength"] == 5600
    assert list(s)[:2] == ["$schema", "$id"]
    raw = json.loads((schemas.schema_dir() / "Get15118EVCertificateResponse.json").read_text())
    assert raw["properties"]["exiResponse"]["maxLength"] == 7500  # the wheel's file is untouched
    assert "$id" not in raw
    s["properties"]["exiResponse"]["maxLength"] = 1  # a copy: the registry is not affected
    assert reg.schema("Get15118EVCertificate", "response")["properties"]["exiResponse"]["maxLength"] == 5600
    assert "pattern" not in json.dumps(reg.schema("TransactionEvent", "request"))  # no internal keywords leak


def test_exi_response_overlay(reg):
    base = {"status": "Accepted"}
    ok, too_long = dict(base, exiResponse="A" * 5600), dict(base, exiResponse="A" * 5601)
    assert reg.validate("Get15118EVCertificate", "response", ok) == []
    assert hits(reg.validate("Get15118EVCertificate", "response", too_long)) == [("$.exiResponse", "maxLength")]
    assert ref_valid("Get15118EVCertificate", "response", ok)
    assert not ref_valid("Get15118EVCertificate", "response", too_long)
    assert not ref_valid("Get15118EVCertificate", "response", dict(base, exiResponse="A" * 7500))


def test_format_path():
    assert format_path(()) == "$"
    assert format_path(("meterValue", 0, "timestamp")) == "$.meterValue[0].timestamp"
    assert format_path(("customData", "odd key", "it's")) == "$.customData['odd key']['it\\'s']"


# --------------------------------------------------------------------------------------------
# Generated invalid mutations, for each of the 128 schemas
# --------------------------------------------------------------------------------------------

UNKNOWN = "unknownField"


def _resolve(schema: dict, node: dict) -> tuple[dict, str | None]:
    ref = node.get("$ref")
    if ref is None:
        return node, None
    name = ref.rsplit("/", 1)[-1]
    return schema["definitions"][name], name


def _get(payload: Any, path: tuple) -> Any:
    for seg in path:
        payload = payload[seg]
    return payload


def _set(payload: Any, path: tuple, value: Any) -> None:
    _get(payload, path[:-1])[path[-1]] = value


def _delete(payload: Any, path: tuple) -> None:
    del _get(payload, path[:-1])[path[-1]]


def mutations(action: str, kind: str) -> list[tuple[str, Any, str, str]]:
    """(label, mutated payload, expected path, expected keyword): the first occurrence (pre-order)
    of each kind of mutation the schema allows, generated from the full example with customData."""
    schema = get_registry().schema(action, kind)
    example = build_example(action, kind, full=True, custom_data=True)
    found: dict[str, tuple[str, Any, str, str]] = {}

    def add(label: str, edit, path: tuple, keyword: str) -> None:
        if label in found:
            return
        payload = copy.deepcopy(example)
        edit(payload)
        found[label] = (label, payload, format_path(path), keyword)

    def walk(node: dict, value: Any, path: tuple, owner: str) -> None:
        node, defname = _resolve(schema, node)
        owner = defname or owner
        t = node.get("type")
        if t == "object":
            props = node.get("properties", {})
            in_custom_data = owner == "CustomDataType"
            for req in node.get("required", ()):
                label = "customData-vendorId" if in_custom_data else "required"
                add(label, lambda p, q=path + (req,): _delete(p, q), path + (req,), "required")
            if node.get("additionalProperties") is False:
                add("additionalProperties", lambda p, q=path + (UNKNOWN,): _set(p, q, 1),
                    path + (UNKNOWN,), "additionalProperties")
            elif in_custom_data:
                add("customData-extra-accepted", lambda p, q=path + ("anything",): _set(p, q, {"x": [1]}), (), "")
            if path:
                add("type-object", lambda p, q=path: _set(p, q, "not an object"), path, "type")
            for prop, sub in props.items():
                if prop in value:
                    if (owner, prop) in IDENTIFIER_STRING_FIELDS:
                        add("identifierString", lambda p, q=path + (prop,): _set(p, q, "a b"),
                            path + (prop,), "identifierString")
                    walk(sub, value[prop], path + (prop,), owner)
            return
        if t == "array":
            if node.get("minItems", 0) >= 1:
                add("minItems", lambda p, q=path: _set(p, q, []), path, "minItems")
            if "maxItems" in node and node["maxItems"] <= 16:
                n = node["maxItems"] + 1
                add("maxItems", lambda p, q=path, n=n: _set(p, q, _get(p, q)[:1] * n), path, "maxItems")
            add("type-array", lambda p, q=path: _set(p, q, {}), path, "type")
            walk(node["items"], value[0], path + (0,), owner)
            return
        if "enum" in node:
            add("enum", lambda p, q=path: _set(p, q, "NotAValidEnumValue"), path, "enum")
            add("enum-case", lambda p, q=path, v=value: _set(p, q, v.swapcase()), path, "enum")
            return
        if t == "string":
            if node.get("format") == "date-time":
                add("format", lambda p, q=path: _set(p, q, "yesterday"), path, "format")
                add("format-no-offset", lambda p, q=path: _set(p, q, "2025-03-01T12:00:00"), path, "format")
                add("datetime-fraction", lambda p, q=path: _set(p, q, "2025-03-01T12:00:00.1234Z"),
                    path, "datetime-fraction")
            if "maxLength" in node:
                n = node["maxLength"] + 1
                add("maxLength", lambda p, q=path, n=n: _set(p, q, "x" * n), path, "maxLength")
            add("type-string", lambda p, q=path: _set(p, q, 12345), path, "type")
        elif t in ("integer", "number"):
            if "minimum" in node:
                add("minimum", lambda p, q=path, m=node["minimum"]: _set(p, q, int(m) - 1), path, "minimum")
            if "maximum" in node:
                add("maximum", lambda p, q=path, m=node["maximum"]: _set(p, q, int(m) + 1), path, "maximum")
            add("type-" + t, lambda p, q=path: _set(p, q, "1"), path, "type")
            if t == "integer":
                add("type-fraction", lambda p, q=path: _set(p, q, 1.5), path, "type")
                add("type-bool", lambda p, q=path: _set(p, q, True), path, "type")
                add("int32", lambda p, q=path: _set(p, q, 2**31), path, "int32")
        elif t == "boolean":
            add("type-boolean", lambda p, q=path: _set(p, q, "true"), path, "type")
            add("null-optional", lambda p, q=path: _set(p, q, None), path, "type")

    walk(schema, example, (), schemas.schema_name(action, kind))
    return [*found.values(), ("root-type", [], "$", "type")]


@pytest.mark.parametrize(("action", "kind"), MESSAGE_TYPES, ids=IDS)
def test_generated_mutations(reg, action, kind):
    muts = mutations(action, kind)
    invalid = [m for m in muts if m[3] and m[3] not in EXTRA_CHECK_KEYWORDS]
    assert len(invalid) >= 3, [m[0] for m in muts]
    for label, payload, path, keyword in muts:
        ours = reg.validate(action, kind, payload)
        ref = ref_valid(action, kind, payload)
        if not keyword:  # a mutation that must stay valid
            assert ours == [] and ref, label
        elif keyword in EXTRA_CHECK_KEYWORDS:
            # beyond the schema: the reference library accepts it, we report exactly this
            assert ref, label
            assert hits(ours) == [(path, keyword)], label
            assert reg.validate(action, kind, payload, extra_checks=False) == [], label
        else:
            assert not ref, f"{label}: the reference validator accepted {payload!r}"
            assert hits(ours) == [(path, keyword)], (label, ours)
            v = ours[0]
            assert v.error_code == CALLERROR_MAPPING[keyword][0]
            assert v.allowed_codes == CALLERROR_MAPPING[keyword]


def test_mutation_coverage():
    """The generator exercised every keyword the schemas use, many times over."""
    counts = Counter(m[0] for a, k in MESSAGE_TYPES for m in mutations(a, k))
    for label, at_least in {
        "required": 100, "customData-vendorId": 128, "additionalProperties": 128, "enum": 90,
        "maxLength": 128, "type-string": 128, "type-integer": 50, "type-number": 10, "type-object": 128,
        "minItems": 30, "maxItems": 10, "minimum": 5, "maximum": 1, "format": 25, "identifierString": 30,
        "int32": 50, "null-optional": 10, "customData-extra-accepted": 128, "root-type": 128,
    }.items():
        assert counts[label] >= at_least, (label, counts[label])


# --------------------------------------------------------------------------------------------
# Hand-written edge cases
# --------------------------------------------------------------------------------------------

BOOT = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}


def boot(**station) -> dict:
    p = copy.deepcopy(BOOT)
    p["chargingStation"].update(station)
    return p


def test_customdata_extra_props_accepted(reg):
    p = boot(customData={"vendorId": "com.example", "anything": {"nested": [1, 2]}, "n": None})
    p["customData"] = {"vendorId": "com.example", "x": 1}
    assert reg.validate("BootNotification", "request", p) == []
    assert ref_valid("BootNotification", "request", p)


def test_customdata_without_vendor_id_rejected(reg):
    p = boot(customData={"x": 1})
    v = reg.validate("BootNotification", "request", p)
    assert hits(v) == [("$.chargingStation.customData.vendorId", "required")]
    assert v[0].error_code == "OccurrenceConstraintViolation"
    assert not ref_valid("BootNotification", "request", p)
    long_id = dict(BOOT, customData={"vendorId": "v" * 256})
    assert hits(reg.validate("BootNotification", "request", long_id)) == [("$.customData.vendorId", "maxLength")]


DATE_TIMES = [
    # value, valid for us, valid for jsonschema + rfc3339-validator, our keyword
    ("2025-03-01T12:00:00Z", True, True, None),
    ("2025-03-01T12:00:00+01:00", True, True, None),
    ("2025-03-01T12:00:00-00:00", True, True, None),
    ("2025-03-01t12:00:00z", True, True, None),
    ("2025-03-01T12:00:00.5Z", True, True, None),
    ("2025-03-01T12:00:00.123+05:30", True, True, None),
    ("2016-12-31T23:59:60Z", True, False, None),  # leap second: RFC 3339 allows it; jsonschema does not
    ("2025-03-01T12:00:00.1234Z", False, True, "datetime-fraction"),  # Part 2: at most 3 decimals
    ("2025-03-01T12:00:00.123456789Z", False, True, "datetime-fraction"),
    ("2025-03-01T12:00:00+0100", False, False, "format"),  # not RFC 3339
    ("2025-03-01T12:00:00", False, False, "format"),  # no offset
    ("yesterday", False, False, "format"),
    ("2025-13-01T12:00:00Z", False, False, "format"),
    ("2025-02-30T12:00:00Z", False, False, "format"),
    ("2025-03-01 12:00:00Z", False, False, "format"),
    ("2025-03-01T24:00:00Z", False, False, "format"),
    ("2025-03-01", False, False, "format"),
    ("2025-03-01T12:00Z", False, False, "format"),
    ("2025-03-01T12:00:00,5Z", False, False, "format"),
    ("2025-03-01T12:00:00Z\n", False, True, "format"),  # rfc3339-validator's "$" admits a newline
    ("\uff12025-03-01T12:00:00Z", False, False, "format"),  # a non-ASCII digit
]


@pytest.mark.parametrize(("value", "ours", "ref", "keyword"), DATE_TIMES, ids=[repr(d[0]) for d in DATE_TIMES])
def test_date_time_forms(reg, value, ours, ref, keyword):
    v = reg.validate("Heartbeat", "response", {"currentTime": value})
    assert (v == []) is ours
    assert ref_valid("Heartbeat", "response", {"currentTime": value}) is ref
    if keyword:
        assert hits(v) == [("$.currentTime", keyword)]


def test_date_time_second_line_of_defence():
    """If a validator ever accepted a date-time without offset, our own check names it."""
    classify = schemas._classify_date_time
    assert classify("2025-03-01T12:00:00")[0] == "rfc3339-offset"
    assert classify("2025-03-01T12:00:00.5")[0] == "rfc3339-offset"
    assert classify("2025-03-01 12:00")[0] == "rfc3339-offset"
    assert classify("yesterday")[0] == "format"
    assert classify("2025-03-01T12:00:00.1234Z")[0] == "datetime-fraction"
    assert classify("2025-03-01T12:00:00Z") is None
    assert classify(12) is None


def test_date_time_inside_arrays(reg):
    p = build_example("MeterValues", "request")
    p["meterValue"].append(copy.deepcopy(p["meterValue"][0]))
    p["meterValue"][1]["timestamp"] = "2025-03-01T12:00:00"
    assert hits(reg.validate("MeterValues", "request", p)) == [("$.meterValue[1].timestamp", "format")]


def test_integer_semantics(reg):
    def evse(value):
        p = {"timestamp": "2025-01-01T00:00:00Z", "connectorStatus": "Available", "evseId": value, "connectorId": 1}
        return reg.validate("StatusNotification", "request", p), ref_valid("StatusNotification", "request", p)

    assert evse(1.0) == ([], True)  # draft-06: 1.0 is an integer
    assert evse(-5) == ([], True)  # no range in the schema (dependencies.md §1.4.4)
    for bad in (1.5, True, "1", None):
        ours, ref = evse(bad)
        assert hits(ours) == [("$.evseId", "type")] and ref is False, bad
    assert evse(2**31 - 1) == ([], True)
    ours, ref = evse(2**31)  # Part 2: integer is 32 bit; the schema has no bound
    assert hits(ours) == [("$.evseId", "int32")] and ref is True
    assert hits(evse(-(2**31) - 1)[0]) == [("$.evseId", "int32")]
    assert hits(evse(2**64)[0]) == [("$.evseId", "int32")]
    assert hits(evse(1e30)[0]) == [("$.evseId", "int32")]


def test_number_semantics(reg):
    p = build_example("SetChargingProfile", "request")
    period = p["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"][0]
    period["limit"] = 7400  # an int is a valid number
    assert reg.validate("SetChargingProfile", "request", p) == []
    period["limit"] = "11000"
    assert hits(reg.validate("SetChargingProfile", "request", p)) == [
        ("$.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit", "type")]
    period["limit"] = float("nan")  # jsonschema-rs rejects NaN (orjson never produces it anyway)
    assert reg.validate("SetChargingProfile", "request", p) != []


def test_null_for_optional_field_rejected(reg):
    p = build_example("TransactionEvent", "request")
    p["offline"] = None
    v = reg.validate("TransactionEvent", "request", p)
    assert hits(v) == [("$.offline", "type")] and v[0].error_code == "TypeConstraintViolation"
    assert not ref_valid("TransactionEvent", "request", p)


def test_max_length_counts_code_points(reg):
    for model, ok in (("é" * 20, True), ("😀" * 20, True), ("😀" * 21, False), ("e\u0301" * 10, True),
                      ("e\u0301" * 10 + "x", False)):
        p = boot(model=model)
        assert (reg.validate("BootNotification", "request", p) == []) is ok, model
        assert ref_valid("BootNotification", "request", p) is ok, model
    assert hits(reg.validate("BootNotification", "request", boot(model="😀" * 21))) == [
        ("$.chargingStation.model", "maxLength")]


def test_missing_required_and_unknown_property_paths(reg):
    p = {"reason": "PowerUp", "chargingStation": {"model": "M"}, "bogus": 1, "zzz": 2}
    p["chargingStation"]["evse"] = 1
    v = reg.validate("BootNotification", "request", p)
    assert hits(v) == [
        ("$.bogus", "additionalProperties"),
        ("$.chargingStation.evse", "additionalProperties"),
        ("$.chargingStation.vendorName", "required"),
        ("$.zzz", "additionalProperties"),
    ]
    assert [x.error_code for x in v] == ["FormatViolation", "FormatViolation",
                                         "OccurrenceConstraintViolation", "FormatViolation"]


def test_deterministic_order(reg):
    p = build_example("TransactionEvent", "request", full=True)
    p["meterValue"] = [copy.deepcopy(p["meterValue"][0]) for _ in range(12)]
    for i in (11, 2, 10, 0):
        p["meterValue"][i]["timestamp"] = "bad"
    p["seqNo"] = "x"
    p["eventType"] = "Nope"
    v = reg.validate("TransactionEvent", "request", p)
    assert [x.path for x in v] == ["$.eventType", "$.meterValue[0].timestamp", "$.meterValue[2].timestamp",
                                  "$.meterValue[10].timestamp", "$.meterValue[11].timestamp", "$.seqNo"]
    assert reg.validate("TransactionEvent", "request", p) == v


def test_wrong_type_for_enum_reported_once(reg):
    v = reg.validate("Reset", "request", {"type": 1})
    assert hits(v) == [("$.type", "type")] and v[0].error_code == "TypeConstraintViolation"
    assert hits(reg.validate("Reset", "request", {"type": "Soft"})) == [("$.type", "enum")]


def test_non_object_payloads(reg):
    for payload in ([], None, "x", 1, [{}]):
        v = reg.validate("Heartbeat", "request", payload)
        assert hits(v) == [("$", "type")]
        assert v[0].error_code == "TypeConstraintViolation"


def test_extra_checks_can_be_switched_off(reg):
    p = {"idToken": {"idToken": "has space", "type": "ISO14443"}}
    assert hits(reg.validate("Authorize", "request", p)) == [("$.idToken.idToken", "identifierString")]
    assert reg.validate("Authorize", "request", p, extra_checks=False) == []
    assert reg.is_valid("Authorize", "request", p, extra_checks=False)
    assert not reg.is_valid("Authorize", "request", p)


# --------------------------------------------------------------------------------------------
# identifierString
# --------------------------------------------------------------------------------------------


def test_identifier_string_table_matches_schemas(reg):
    """Every (owner, field) of the table exists in the schemas as a bounded string, and is
    reachable (checked) in at least one message type."""
    seen: set[tuple[str, str]] = set()
    for action, kind in MESSAGE_TYPES:
        s = reg.schema(action, kind)
        owners = dict(s.get("definitions", {}))
        owners[schemas.schema_name(action, kind)] = s
        for owner, node in owners.items():
            for prop, sub in node.get("properties", {}).items():
                if (owner, prop) in IDENTIFIER_STRING_FIELDS:
                    assert sub["type"] == "string" and "maxLength" in sub and "enum" not in sub
                    seen.add((owner, prop))
    assert seen == set(IDENTIFIER_STRING_FIELDS)
    assert len(IDENTIFIER_STRING_FIELDS) == 23
    checked = Counter(c for a, k in MESSAGE_TYPES for _, c in reg.extra_check_paths(a, k))
    assert checked["identifierString"] >= 23


def test_identifier_string_lengths_match_part2(reg):
    """Spot-check the bounds Part 2 gives (identifierString[0..n]) against the schemas."""
    expect = {("IdTokenType", "idToken"): 36, ("ComponentType", "name"): 50, ("ModemType", "iccid"): 20,
              ("APNType", "preferredNetwork"): 6, ("CertificateHashDataType", "issuerNameHash"): 128,
              ("OCSPRequestDataType", "serialNumber"): 40, ("PublishFirmwareRequest", "checksum"): 32}
    lookup = {
        ("IdTokenType", "idToken"): ("Authorize", "request"),
        ("ComponentType", "name"): ("GetVariables", "request"),
        ("ModemType", "iccid"): ("BootNotification", "request"),
        ("APNType", "preferredNetwork"): ("SetNetworkProfile", "request"),
        ("CertificateHashDataType", "issuerNameHash"): ("DeleteCertificate", "request"),
        ("OCSPRequestDataType", "serialNumber"): ("GetCertificateStatus", "request"),
        ("PublishFirmwareRequest", "checksum"): ("PublishFirmware", "request"),
    }
    for (owner, prop), n in expect.items():
        s = reg.schema(*lookup[(owner, prop)])
        node = s if owner.endswith(("Request", "Response")) else s["definitions"][owner]
        assert node["properties"][prop]["maxLength"] == n


@pytest.mark.parametrize(("value", "ok"), [
    ("", True),
    ("04A1B2C3", True),
    ("b7a1c9d2-0f3e-4a5b-9c6d-7e8f9a0b1c2d", True),
    ("a*b-c_d=e:f+g|h@i.j", True),
    ("00:11:22:AA:BB:CC", True),
    ("has space", False),
    ("slash/", False),
    ("comma,", False),
    ("hash#", False),
    ("quote'", False),
    ("tilde~", False),
    ("émile", False),
    ("tab\t", False),
    ("newline\n", False),
])
def test_identifier_string_charset(reg, value, ok):
    p = {"idToken": {"idToken": value, "type": "ISO14443"}}
    v = reg.validate("Authorize", "request", p)
    assert (v == []) is ok
    assert schemas.is_identifier_string(value) is ok
    if not ok:
        assert hits(v) == [("$.idToken.idToken", "identifierString")]
        assert v[0].error_code == "PropertyConstraintViolation"
    assert ref_valid("Authorize", "request", p)  # the schema itself has no pattern


def test_identifier_string_fields_in_use(reg):
    gv = {"getVariableData": [{"component": {"name": "EVSE", "instance": "a b"},
                               "variable": {"name": "Available/x"}}]}
    assert hits(reg.validate("GetVariables", "request", gv)) == [
        ("$.getVariableData[0].component.instance", "identifierString"),
        ("$.getVariableData[0].variable.name", "identifierString"),
    ]
    tx = build_example("TransactionEvent", "request")
    tx["transactionInfo"]["transactionId"] = "tx 1" + "x" * 40  # both too long and a bad character
    assert hits(reg.validate("TransactionEvent", "request", tx)) == [
        ("$.transactionInfo.transactionId", "identifierString"),
        ("$.transactionInfo.transactionId", "maxLength"),
    ]
    # plain strings are not identifierStrings: issuerKeyHash, ChargingStationType.serialNumber, vendorName
    dc = build_example("DeleteCertificate", "request")
    dc["certificateHashData"]["issuerKeyHash"] = "not hex / spaces ok"
    assert reg.validate("DeleteCertificate", "request", dc) == []
    dc["certificateHashData"]["issuerNameHash"] = "not hex / spaces ok"
    assert hits(reg.validate("DeleteCertificate", "request", dc)) == [
        ("$.certificateHashData.issuerNameHash", "identifierString")]
    assert reg.validate("BootNotification", "request", boot(serialNumber="S/N 1", vendorName="A & B")) == []


# --------------------------------------------------------------------------------------------
# CALLERROR mapping
# --------------------------------------------------------------------------------------------


def test_callerror_mapping_table():
    for keyword, codes in CALLERROR_MAPPING.items():
        assert codes and len(set(codes)) == len(codes), keyword
        assert set(codes) <= ERROR_CODES, keyword
    expect = {
        "required": "OccurrenceConstraintViolation", "minItems": "OccurrenceConstraintViolation",
        "maxItems": "OccurrenceConstraintViolation", "type": "TypeConstraintViolation",
        "enum": "PropertyConstraintViolation", "minimum": "PropertyConstraintViolation",
        "maximum": "PropertyConstraintViolation", "maxLength": "PropertyConstraintViolation",
        "minLength": "PropertyConstraintViolation", "format": "PropertyConstraintViolation",
        "rfc3339-offset": "PropertyConstraintViolation", "datetime-fraction": "PropertyConstraintViolation",
        "identifierString": "PropertyConstraintViolation", "int32": "PropertyConstraintViolation",
        "additionalProperties": "FormatViolation",
    }
    for keyword, preferred in expect.items():
        assert CALLERROR_MAPPING[keyword][0] == preferred, keyword
    for keyword in EXTRA_CHECK_KEYWORDS:
        assert keyword in CALLERROR_MAPPING
    # the alternatives Part 4's loose wording (and the mobilityhouse library) make acceptable
    assert {"ProtocolError", "FormatViolation"} <= set(CALLERROR_MAPPING["required"])
    assert "FormatViolation" in CALLERROR_MAPPING["type"]
    assert "TypeConstraintViolation" in CALLERROR_MAPPING["maxLength"]
    assert "OccurrenceConstraintViolation" not in CALLERROR_MAPPING["maxLength"]
    assert {"ProtocolError", "OccurrenceConstraintViolation"} <= set(CALLERROR_MAPPING["additionalProperties"])
    for keyword in ("enum", "minimum", "format", "minItems"):  # mobilityhouse sends FormatViolation
        assert "FormatViolation" in CALLERROR_MAPPING[keyword]


def test_callerror_codes_known_to_frames():
    frames = pytest.importorskip("conformance.protocol.frames")
    codes = getattr(frames, "ERROR_CODES", None)
    if codes is None:
        pytest.skip("frames.ERROR_CODES not defined")
    assert set(codes) == ERROR_CODES
    assert {c for cs in CALLERROR_MAPPING.values() for c in cs} <= set(codes)


def test_each_keyword_maps_in_violations(reg):
    cases = {
        "required": ("BootNotification", "request", {"reason": "PowerUp"}),
        "type": ("Heartbeat", "response", {"currentTime": 1}),
        "enum": ("BootNotification", "request", dict(BOOT, reason="powerup")),
        "maxLength": ("BootNotification", "request", boot(model="x" * 21)),
        "minItems": ("MeterValues", "request", {"evseId": 1, "meterValue": []}),
        "format": ("Heartbeat", "response", {"currentTime": "yesterday"}),
        "additionalProperties": ("Heartbeat", "request", {"x": 1}),
        "identifierString": ("Authorize", "request", {"idToken": {"idToken": "a b", "type": "Central"}}),
        "int32": ("BootNotification", "response", {"currentTime": "2025-01-01T00:00:00Z", "interval": 2**40,
                                                   "status": "Accepted"}),
        "datetime-fraction": ("Heartbeat", "response", {"currentTime": "2025-01-01T00:00:00.0000Z"}),
    }
    ev = build_example("NotifyEVChargingNeeds", "request", full=True)
    ev["chargingNeeds"]["dcChargingParameters"]["stateOfCharge"] = 101
    cases["maximum"] = ("NotifyEVChargingNeeds", "request", ev)
    for keyword, (action, kind, payload) in cases.items():
        v = reg.validate(action, kind, payload)
        assert [x.keyword for x in v] == [keyword], (keyword, v)
        assert v[0].error_code == CALLERROR_MAPPING[keyword][0]
        assert v[0].allowed_codes == CALLERROR_MAPPING[keyword]
        assert v[0].as_dict()["keyword"] == keyword


def test_callerror_for_several_violations(reg):
    p = {"reason": "Nope", "chargingStation": {"model": 5}, "x": 1}
    v = reg.validate("BootNotification", "request", p)
    assert {x.keyword for x in v} == {"enum", "type", "required", "additionalProperties"}
    assert callerror_for(v) == "FormatViolation"
    assert callerror_for([x for x in v if x.keyword != "additionalProperties"]) == "OccurrenceConstraintViolation"
    assert callerror_for([x for x in v if x.keyword in ("enum", "type")]) == "TypeConstraintViolation"
    assert callerror_for([]) is None
    assert allowed_error_codes(v) == {"FormatViolation", "ProtocolError", "OccurrenceConstraintViolation",
                                      "TypeConstraintViolation", "PropertyConstraintViolation"}
    assert allowed_error_codes([]) == frozenset()


def test_violation_is_frozen(reg):
    v = reg.validate("Heartbeat", "request", {"x": 1})[0]
    with pytest.raises(AttributeError):
        v.path = "$"  # type: ignore[misc]
    assert hash(v) == hash(reg.validate("Heartbeat", "request", {"x": 1})[0])


def test_validation_is_fast(reg):
    """Sanity bound only (the real numbers are in dependencies.md §2.1): a 20-sample
    TransactionEvent validates in well under a millisecond."""
    import time

    p = build_example("TransactionEvent", "request", full=True)
    p["meterValue"][0]["sampledValue"] *= 10
    p["meterValue"] *= 2
    reg.validate("TransactionEvent", "request", p)
    t = time.perf_counter()
    for _ in range(200):
        assert reg.validate("TransactionEvent", "request", p) == []
    assert (time.perf_counter() - t) / 200 < 0.001
