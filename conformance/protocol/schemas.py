"""The 128 OCA OCPP 2.0.1 JSON schemas, compiled once, and the checks they cannot express.

Sans-I/O: pure functions over data (no asyncio, no sockets).

Source of the schemas
---------------------
The schema files are read at run time from the pinned ``ocpp`` wheel's data files
(``importlib.resources.files("ocpp") / "v201" / "schemas"``; that imports only the empty
top-level ``ocpp/__init__``, never ``ocpp.v201``). They are never copied into this repository.
The wheel's files are the OCA 2.0.1 FINAL set with two local edits, which are undone in memory
(the files on disk are not touched), see ``_overlay``:

* ``$id``: the wheel removed it; the OCA original is ``urn:OCPP:Cp:2:2020:3:<Name>``.
* ``Get15118EVCertificateResponse.exiResponse.maxLength``: the wheel has 7500 (mobilityhouse
  PR #364, never formalised by the OCA); the OCA value 5600 is normative here.

After the overlay every schema is identical (parsed JSON) to the official Part 3 file.
:data:`SCHEMA_SET_SHA256` pins the exact set of files (see :func:`schema_set_digest`).

Validation
----------
One ``jsonschema_rs.Draft6Validator`` (formats on) per message type, built once per process by
:func:`get_registry`. :meth:`SchemaRegistry.validate` returns *all* violations as
:class:`Violation` objects, in a deterministic order (by instance path, then keyword), each
carrying the OCPP-J CALLERROR code it maps to (see :data:`CALLERROR_MAPPING`).

Paths are JSON paths rooted at ``$``: ``$.chargingStation.vendorName``, ``$.meterValue[0]``.
For ``required`` and ``additionalProperties`` the path names the *offending member* (the missing
or the unexpected property), not its parent object, and an ``additionalProperties`` error naming
several unexpected properties is split into one violation per property.

Checks the schemas cannot express (Part 2 §2.1.4 "Primitive Datatypes", Part 2 §3.1 time format)
----------------------------------------------------------------------------------------------------
They are compiled once per message type into an internal copy of the schema (added ``pattern`` /
``minimum`` / ``maximum`` keywords, see ``_augment``), so they run inside jsonschema-rs at no extra
cost; their errors are translated back into the keywords below.

=====================  ==============================================================================
keyword                rule
=====================  ==============================================================================
``rfc3339-offset``     every ``format: date-time`` value is RFC 3339 *with* a time-zone offset
                       (``Z`` or ``±hh:mm``). jsonschema-rs 0.60.3 already rejects such values as
                       ``format``; this is a second line of defence against a lenient validator,
                       reported only where the validator did not report ``format`` itself.
``datetime-fraction``  Part 2 §2.1.4 / §3.1: fractional seconds "SHALL NOT exceed the maximum of 3"
                       decimal places. RFC 3339 (and therefore every validator) accepts more.
``identifierString``   the fields Part 2 types as ``identifierString`` (table
                       :data:`IDENTIFIER_STRING_FIELDS`) may only contain ``a-z A-Z 0-9`` and
                       ``* - _ = : + | @ .``
``int32``              Part 2 ``integer``: "32 bit (31 bit resolution, 1 sign bit)"; the schemas set
                       no bound (only the 8 ``minimum`` / 3 ``maximum`` keywords), so e.g. ``2**40``
                       passes every validator.
=====================  ==============================================================================

A caller that wants plain schema validation only passes ``extra_checks=False``.

Leap seconds: jsonschema-rs accepts ``23:59:60Z`` (RFC 3339 allows it), the reference
``jsonschema`` + ``rfc3339-validator`` rejects it; we follow jsonschema-rs. The ``rfc3339-offset``
check itself accepts second 60 (validity of the leap second is the validator's business).
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, Iterable, Mapping

import jsonschema_rs

__all__ = [
    "CALLERROR_MAPPING",
    "DATE_TIME_EXAMPLE",
    "EXI_RESPONSE_MAX_LENGTH",
    "EXTRA_CHECK_KEYWORDS",
    "IDENTIFIER_STRING_FIELDS",
    "KINDS",
    "SCHEMA_COUNT",
    "SCHEMA_ID_PREFIX",
    "SCHEMA_SET_SHA256",
    "SchemaRegistry",
    "SchemaSetMismatchWarning",
    "UnknownActionError",
    "Violation",
    "allowed_error_codes",
    "callerror_for",
    "format_path",
    "get_registry",
    "is_identifier_string",
    "schema_dir",
    "schema_name",
    "schema_set_digest",
]

# --------------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------------

#: SHA-256 over the 128 v201 schema files of ``ocpp==2.1.0``, computed by :func:`schema_set_digest`
#: (file name bytes then file content bytes, files sorted by name). See dependencies.md §1.5.
SCHEMA_SET_SHA256 = "1c15ec11cf628a2a2bd1eb2a57e9ca01db0f936b37b99eae98a09cd99f2a01ea"
SCHEMA_COUNT = 128
SCHEMA_ID_PREFIX = "urn:OCPP:Cp:2:2020:3:"
#: the OCA Part 3 value (the wheel ships 7500)
EXI_RESPONSE_MAX_LENGTH = 5600
KINDS = ("request", "response")
DATE_TIME_EXAMPLE = "2025-01-01T00:00:00Z"


class SchemaSetMismatchWarning(UserWarning):
    """The installed ``ocpp`` wheel's v201 schema files are not the pinned set."""


class UnknownActionError(KeyError):
    """The action is not one of the 64 OCPP 2.0.1 actions."""


def schema_dir():
    """The wheel's ``ocpp/v201/schemas`` directory (a Traversable; a Path for a normal install)."""
    return files("ocpp") / "v201" / "schemas"


def _schema_files() -> list:
    return sorted((p for p in schema_dir().iterdir() if p.name.endswith(".json")), key=lambda p: p.name)


def schema_set_digest() -> str:
    """SHA-256 over the installed schema files; equals :data:`SCHEMA_SET_SHA256` for ocpp 2.1.0."""
    h = hashlib.sha256()
    for p in _schema_files():
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def schema_name(action: str, kind: str) -> str:
    """``("BootNotification", "request")`` -> ``"BootNotificationRequest"``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be 'request' or 'response', not {kind!r}")
    return action + ("Request" if kind == "request" else "Response")


def _overlay(name: str, schema: dict) -> dict:
    """Undo the wheel's two local edits, in memory (the OCA Part 3 original comes out)."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        out[key] = value
        if key == "$schema":
            out["$id"] = SCHEMA_ID_PREFIX + name
    if "$id" not in out:
        out = {"$id": SCHEMA_ID_PREFIX + name, **out}
    if name == "Get15118EVCertificateResponse":
        out["properties"]["exiResponse"]["maxLength"] = EXI_RESPONSE_MAX_LENGTH
    return out


# --------------------------------------------------------------------------------------------
# CALLERROR mapping
# --------------------------------------------------------------------------------------------

_FMT = "FormatViolation"
_OCC = "OccurrenceConstraintViolation"
_PROP = "PropertyConstraintViolation"
_PROTO = "ProtocolError"
_TYPE = "TypeConstraintViolation"

#: keyword -> (preferred CALLERROR code, *every* code Part 4 §4.3 can be read to allow).
#:
#: Part 4 §4.3 (Table 8) defines the codes in one line each and says nothing more about schema
#: violations, so the mapping is a reading, and the alternatives are what a reasonable peer may
#: send instead. A peer's CALLERROR is judged against ``allowed_codes``; ``error_code`` is what
#: the suite itself sends. The widely used mobilityhouse ``ocpp`` library (the base of many SUTs)
#: sends: type -> TypeConstraintViolation, additionalProperties -> FormatViolation, required ->
#: ProtocolError, maxLength -> TypeConstraintViolation, anything else -> FormatViolation; every
#: one of those is in the allowed set below.
#:
#: ======================  ==============================  ========================================
#: keyword                 preferred                       allowed (reasoning)
#: ======================  ==============================  ========================================
#: required                OccurrenceConstraintViolation   + ProtocolError, FormatViolation. A
#:                                                         missing 1..1 field breaks its cardinality
#:                                                         ("occurrence constraints"); the payload
#:                                                         is also "not conform the PDU structure"
#:                                                         (ProtocolError; OCPP 1.6 said "payload is
#:                                                         incomplete") and a schema-invalid payload
#:                                                         is often answered FormatViolation.
#: minItems, maxItems,     OccurrenceConstraintViolation   + FormatViolation, ProtocolError. Array
#: additionalItems                                         cardinality (0..*, 1..3) is occurrence;
#:                                                         Part 2 itself uses OccurrenceConstraint-
#:                                                         Violation for "more elements than
#:                                                         ItemsPerMessage..." (B06.FR.16, B08.FR.17).
#: type                    TypeConstraintViolation         + FormatViolation, ProtocolError. Part 4's
#:                                                         own example ("somestring": 12). An object
#:                                                         or array of the wrong JSON type (or a
#:                                                         non-object payload) is also a PDU-
#:                                                         structure / syntax problem.
#: enum, const             PropertyConstraintViolation     + TypeConstraintViolation, FormatViolation.
#:                                                         A value outside the set is an "invalid
#:                                                         value"; the set is a named data type
#:                                                         (``...EnumType``) in Part 2, hence Type.
#: minimum, maximum,       PropertyConstraintViolation     + TypeConstraintViolation, FormatViolation.
#: exclusiveMin/Max,                                       An invalid value; Part 2 declares the SoC
#: multipleOf                                              range inside the data type ("integer,
#:                                                         0 <= val <= 100").
#: maxLength, minLength    PropertyConstraintViolation     + TypeConstraintViolation, FormatViolation.
#:                                                         The length limit is part of the Part 2
#:                                                         data type (``string[0..50]``), so Type
#:                                                         is a fair reading (mobilityhouse sends
#:                                                         it). NOT OccurrenceConstraintViolation:
#:                                                         occurrence is about how many times a
#:                                                         field appears, not how long a string is.
#: format                  PropertyConstraintViolation     + TypeConstraintViolation, FormatViolation.
#:                                                         ``dateTime`` is a Part 2 primitive type;
#:                                                         "format" reads as FormatViolation too.
#: rfc3339-offset,         PropertyConstraintViolation     + TypeConstraintViolation, FormatViolation
#: datetime-fraction,                                      (same reasoning: the primitive data types
#: identifierString,                                       of Part 2 §2.1.4 are violated by the
#: int32                                                   value).
#: additionalProperties    FormatViolation                 + ProtocolError, OccurrenceConstraint-
#:                                                         Violation. A member the PDU does not
#:                                                         define: the payload does not conform to
#:                                                         the PDU (Protocol/Format); a 0..0 field
#:                                                         that occurs (Occurrence).
#: (anything else)         FormatViolation                 + ProtocolError
#: ======================  ==============================  ========================================
CALLERROR_MAPPING: Mapping[str, tuple[str, ...]] = {
    "required": (_OCC, _PROTO, _FMT),
    "minItems": (_OCC, _FMT, _PROTO),
    "maxItems": (_OCC, _FMT, _PROTO),
    "additionalItems": (_OCC, _FMT, _PROTO),
    "type": (_TYPE, _FMT, _PROTO),
    "enum": (_PROP, _TYPE, _FMT),
    "const": (_PROP, _TYPE, _FMT),
    "minimum": (_PROP, _TYPE, _FMT),
    "maximum": (_PROP, _TYPE, _FMT),
    "exclusiveMinimum": (_PROP, _TYPE, _FMT),
    "exclusiveMaximum": (_PROP, _TYPE, _FMT),
    "multipleOf": (_PROP, _TYPE, _FMT),
    "maxLength": (_PROP, _TYPE, _FMT),
    "minLength": (_PROP, _TYPE, _FMT),
    "pattern": (_PROP, _TYPE, _FMT),
    "format": (_PROP, _TYPE, _FMT),
    "rfc3339-offset": (_PROP, _TYPE, _FMT),
    "datetime-fraction": (_PROP, _TYPE, _FMT),
    "identifierString": (_PROP, _TYPE, _FMT),
    "int32": (_PROP, _TYPE, _FMT),
    "additionalProperties": (_FMT, _PROTO, _OCC),
}
_DEFAULT_CODES: tuple[str, ...] = (_FMT, _PROTO)

#: when several violations are found, the code the suite sends: the most structural one first
_CODE_PRIORITY = (_FMT, _PROTO, _OCC, _TYPE, _PROP)


@dataclass(frozen=True)
class Violation:
    """One reason a payload does not conform."""

    path: str  #: JSON path of the offending instance, ``$`` is the payload root
    keyword: str  #: JSON-schema keyword, or the name of an extra check (see module docstring)
    message: str  #: human readable
    error_code: str  #: the CALLERROR code this violation maps to (preferred)
    allowed_codes: tuple[str, ...]  #: every code Part 4 allows for it, preferred first

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "keyword": self.keyword, "message": self.message,
                "error_code": self.error_code, "allowed_codes": list(self.allowed_codes)}


def _violation(path: str, keyword: str, message: str) -> Violation:
    codes = CALLERROR_MAPPING.get(keyword, _DEFAULT_CODES)
    return Violation(path, keyword, message, codes[0], codes)


def callerror_for(violations: Iterable[Violation]) -> str | None:
    """The one CALLERROR code to send for a payload with these violations (None if there are none).

    Part 4 gives no precedence; we pick the most structural code present
    (FormatViolation > ProtocolError > Occurrence > Type > Property).
    """
    codes = {v.error_code for v in violations}
    for code in _CODE_PRIORITY:
        if code in codes:
            return code
    return next(iter(sorted(codes)), None)


def allowed_error_codes(violations: Iterable[Violation]) -> frozenset[str]:
    """Every CALLERROR code a peer may answer with: any code allowed for any one violation."""
    out: set[str] = set()
    for v in violations:
        out.update(v.allowed_codes)
    return frozenset(out)


# --------------------------------------------------------------------------------------------
# identifierString fields
# --------------------------------------------------------------------------------------------

#: (schema definition or message name, property) -> Part 2 reference, for every field Part 2
#: (Edition 3, "Messages, Datatypes & Enumerations") types as ``identifierString[0..n]``.
#: All 23 occurrences of ``identifierString[`` in Part 2's field tables are listed. Note that
#: ``IdTokenType.idToken`` IS an identifierString in 2.0.1 (§2.28: ``identifierString[0..36]``;
#: "CiString" is OCPP 1.6 vocabulary). ``issuerKeyHash`` is a plain ``string[0..128]`` and
#: ``ChargingStationType.serialNumber`` a plain ``string[0..25]``.
IDENTIFIER_STRING_FIELDS: Mapping[tuple[str, str], str] = {
    ("CostUpdatedRequest", "transactionId"): "Part 2 §1.11.1 CostUpdatedRequest",
    ("GetTransactionStatusRequest", "transactionId"): "Part 2 §1.27.1 GetTransactionStatusRequest",
    ("PublishFirmwareRequest", "checksum"): "Part 2 §1.41.1 PublishFirmwareRequest",
    ("RequestStartTransactionResponse", "transactionId"): "Part 2 §1.44.2 RequestStartTransactionResponse",
    ("RequestStopTransactionRequest", "transactionId"): "Part 2 §1.45.1 RequestStopTransactionRequest",
    ("UnpublishFirmwareRequest", "checksum"): "Part 2 §1.63.1 UnpublishFirmwareRequest",
    ("AdditionalInfoType", "additionalIdToken"): "Part 2 §2.2 AdditionalInfoType",
    ("APNType", "preferredNetwork"): "Part 2 §2.3 APNType",
    ("CertificateHashDataType", "issuerNameHash"): "Part 2 §2.6 CertificateHashDataType",
    ("CertificateHashDataType", "serialNumber"): "Part 2 §2.6 CertificateHashDataType",
    ("ChargingProfileType", "transactionId"): "Part 2 §2.10 ChargingProfileType",
    ("ComponentType", "name"): "Part 2 §2.16 ComponentType",
    ("ComponentType", "instance"): "Part 2 §2.16 ComponentType",
    ("EventDataType", "transactionId"): "Part 2 §2.22 EventDataType",
    ("IdTokenType", "idToken"): "Part 2 §2.28 IdTokenType",
    ("MessageInfoType", "transactionId"): "Part 2 §2.31 MessageInfoType",
    ("ModemType", "iccid"): "Part 2 §2.33 ModemType",
    ("ModemType", "imsi"): "Part 2 §2.33 ModemType",
    ("OCSPRequestDataType", "issuerNameHash"): "Part 2 §2.36 OCSPRequestDataType",
    ("OCSPRequestDataType", "serialNumber"): "Part 2 §2.36 OCSPRequestDataType",
    ("TransactionType", "transactionId"): "Part 2 §2.48 TransactionType",
    ("VariableType", "name"): "Part 2 §2.53 VariableType",
    ("VariableType", "instance"): "Part 2 §2.53 VariableType",
}

_IDENTIFIER_STRING_RE = re.compile(r"[A-Za-z0-9*\-_=:+|@.]*\Z")
_IDENTIFIER_STRING_BAD = re.compile(r"[^A-Za-z0-9*\-_=:+|@.]")

def is_identifier_string(value: Any) -> bool:
    """True for a str made only of the Part 2 §2.1.4 identifierString characters (may be empty).

    Useful beyond payloads, e.g. for the Charging Station identity (Part 4 §3.1.1, which also
    forbids ':' there)."""
    return isinstance(value, str) and _IDENTIFIER_STRING_RE.match(value) is not None


# RFC 3339 §5.6 date-time, ASCII digits only (``\d`` would admit other Unicode digits), no
# trailing newline (``\Z``, not ``$``). Calendar validity (Feb 30, hour 24) is the validator's job.
_RFC3339_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})\Z"
)
_RFC3339_LOCAL_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?\Z")
_MAX_FRACTION_DIGITS = 3
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------

_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def format_path(segments: Iterable[str | int]) -> str:
    """``("meterValue", 0, "timestamp")`` -> ``"$.meterValue[0].timestamp"``.

    Keys that are not simple identifiers use bracket notation: ``$['odd key']``.
    """
    out = ["$"]
    for seg in segments:
        if isinstance(seg, int):
            out.append(f"[{seg}]")
        elif _SIMPLE_KEY.match(seg):
            out.append("." + seg)
        else:
            out.append("['" + seg.replace("\\", "\\\\").replace("'", "\\'") + "']")
    return "".join(out)


def _sort_key(segments: tuple) -> tuple:
    return tuple((0, s, "") if isinstance(s, int) else (1, 0, s) for s in segments)


# --------------------------------------------------------------------------------------------
# Extra checks, compiled into an internal copy of each schema
# --------------------------------------------------------------------------------------------
#
# The extra checks run inside jsonschema-rs (no Python walk over the payload): the registry
# compiles an *internal* copy of every overlaid schema with three added keywords, and translates
# the errors they raise back into the extra-check keywords.
#
# * every ``format: date-time`` node gets ``pattern: _DATE_TIME_PATTERN`` (offset present, at most
#   3 fractional digits); a pattern error there is classified in Python (error path only) as
#   ``rfc3339-offset`` / ``datetime-fraction`` / ``format`` and dropped where the validator
#   reported ``format`` for the same value;
# * every identifierString field gets ``pattern: _IDENTIFIER_STRING_PATTERN``;
# * every ``type: integer`` node gets ``minimum: -2**31`` / ``maximum: 2**31-1`` where it has no
#   bound of its own (the OCA schemas never use these limits, so an error with that limit is
#   ``int32``).
#
# The OCA schemas contain no ``pattern`` keyword at all, so every pattern error is ours.
# :meth:`SchemaRegistry.schema` returns the plain overlaid schema, never the internal copy.

_DATE_TIME_PATTERN = r"^[^.]*(?:\.[0-9]{1,3})?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$"
_IDENTIFIER_STRING_PATTERN = r"^[A-Za-z0-9*\-_=:+|@.]*$"


def _augment(root_name: str, schema: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The internal copy of ``schema`` with the extra-check keywords, plus the (instance path
    pattern, check) list for introspection (``[*]`` = any array item)."""
    internal = json.loads(json.dumps(schema))
    defs = internal.get("definitions", {})

    def add(node: dict, owner: str) -> None:
        if node.get("format") == "date-time":
            node["pattern"] = _DATE_TIME_PATTERN
        if node.get("type") == "integer":
            node.setdefault("minimum", _INT32_MIN)
            node.setdefault("maximum", _INT32_MAX)
        for prop, sub in node.get("properties", {}).items():
            if (owner, prop) in IDENTIFIER_STRING_FIELDS:
                if sub.get("type") != "string" or "$ref" in sub:
                    raise ValueError(f"identifierString field {owner}.{prop} is not an inline string")
                sub["pattern"] = _IDENTIFIER_STRING_PATTERN
            add(sub, owner)
        if isinstance(node.get("items"), dict):
            add(node["items"], owner)

    for name, node in defs.items():
        add(node, name)
    add(internal, root_name)

    paths: list[tuple[str, str]] = []

    def walk(node: dict, path: str, stack: tuple[str, ...]) -> None:
        ref = node.get("$ref")
        if ref is not None:
            name = ref.rsplit("/", 1)[-1]
            if name in stack:
                return
            node, stack = defs[name], stack + (name,)
        if node.get("format") == "date-time":
            paths.append((path, "date-time"))
        elif node.get("pattern") == _IDENTIFIER_STRING_PATTERN:
            paths.append((path, "identifierString"))
        if node.get("type") == "integer":
            paths.append((path, "int32"))
        for prop, sub in node.get("properties", {}).items():
            walk(sub, f"{path}.{prop}", stack)
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[*]", stack)

    walk(internal, "$", (root_name,))
    return internal, paths


def _classify_date_time(value: Any) -> tuple[str, str] | None:
    """(keyword, message) for a date-time string that failed our pattern; None if it is fine."""
    if not isinstance(value, str):
        return None
    m = _RFC3339_RE.match(value)
    if m is None:
        if _RFC3339_LOCAL_RE.match(value):
            return "rfc3339-offset", f"{value!r} has no time-zone offset (RFC 3339 requires 'Z' or ±hh:mm)"
        return "format", f"{value!r} is not an RFC 3339 date-time"
    fraction = m.group(1)
    if fraction is not None and len(fraction) > _MAX_FRACTION_DIGITS:
        return ("datetime-fraction", f"{value!r} has {len(fraction)} fractional-second digits "
                f"(Part 2 allows at most {_MAX_FRACTION_DIGITS})")
    return None


def _identifier_string_message(value: Any) -> str:
    bad = "".join(sorted(set(_IDENTIFIER_STRING_BAD.findall(value)))) if isinstance(value, str) else ""
    return (f"{value!r} contains characters not allowed in an identifierString: {bad!r} "
            "(allowed: a-z A-Z 0-9 * - _ = : + | @ .)")


#: the keywords of the extra checks (``validate(..., extra_checks=False)`` drops them)
EXTRA_CHECK_KEYWORDS = frozenset({"rfc3339-offset", "datetime-fraction", "identifierString", "int32"})


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------


class _Compiled:
    __slots__ = ("name", "schema", "internal", "validator", "extra_paths")

    def __init__(self, name: str, schema: dict) -> None:
        self.name = name
        self.schema = schema
        self.internal, self.extra_paths = _augment(name, schema)
        self.validator = jsonschema_rs.Draft6Validator(self.internal, validate_formats=True)

    def node_at(self, schema_path: Iterable[str | int]) -> Any:
        node: Any = self.internal
        for seg in schema_path:
            node = node[seg]
        return node


class SchemaRegistry:
    """The 64 actions x {request, response}, overlaid and compiled. Use :func:`get_registry`."""

    def __init__(self, *, verify_digest: bool = True) -> None:
        compiled: dict[str, _Compiled] = {}
        h = hashlib.sha256()
        for p in _schema_files():
            raw = p.read_bytes()
            h.update(p.name.encode())
            h.update(raw)
            name = p.name[: -len(".json")]
            compiled[name] = _Compiled(name, _overlay(name, json.loads(raw)))
        self.digest: str = h.hexdigest()
        if verify_digest and self.digest != SCHEMA_SET_SHA256:
            warnings.warn(
                f"the installed ocpp wheel's v201 schemas have SHA-256 {self.digest}, "
                f"expected {SCHEMA_SET_SHA256} (ocpp==2.1.0); verdicts may differ from the pinned set",
                SchemaSetMismatchWarning, stacklevel=2)
        self._compiled = compiled
        actions = {n[: -len("Request")] for n in compiled if n.endswith("Request")}
        actions |= {n[: -len("Response")] for n in compiled if n.endswith("Response")}
        self.actions: frozenset[str] = frozenset(actions)
        self._self_check()

    # -- lookup -----------------------------------------------------------------------------

    def is_known(self, action: str) -> bool:
        return action in self.actions

    def _get(self, action: str, kind: str) -> _Compiled:
        name = schema_name(action, kind)
        try:
            return self._compiled[name]
        except KeyError:
            raise UnknownActionError(f"unknown OCPP 2.0.1 action {action!r}") from None

    def schema(self, action: str, kind: str) -> dict:
        """The overlaid OCA schema (a deep copy: the caller may modify it)."""
        return json.loads(json.dumps(self._get(action, kind).schema))

    def schema_id(self, action: str, kind: str) -> str:
        return self._get(action, kind).schema["$id"]

    def message_types(self) -> list[tuple[str, str]]:
        """All 128 (action, kind) pairs, sorted by action, request before response."""
        return [(a, k) for a in sorted(self.actions) for k in KINDS
                if schema_name(a, k) in self._compiled]

    def extra_check_paths(self, action: str, kind: str) -> list[tuple[str, str]]:
        """(instance path pattern, check) for every extra check of a message type.

        check is ``date-time`` (``rfc3339-offset`` + ``datetime-fraction``), ``identifierString``
        or ``int32``; ``[*]`` in a path stands for any array index.
        """
        return list(self._get(action, kind).extra_paths)

    # -- validation -------------------------------------------------------------------------

    def validate(self, action: str, kind: str, payload: Any, *, extra_checks: bool = True) -> list[Violation]:
        """All violations of ``payload`` against the message type's schema; ``[]`` when valid.

        ``extra_checks=False`` drops the checks the schemas cannot express (module docstring).
        A value of the wrong type is reported as ``type`` only (not also as ``enum``).
        Deterministic order: by instance path (array indices numerically), then keyword, message.
        """
        c = self._get(action, kind)
        if c.validator.is_valid(payload):
            return []
        found: list[tuple[tuple, str, str]] = []
        date_time_patterns: list[tuple[tuple, Any]] = []
        format_paths: set[tuple] = set()
        type_paths: set[tuple] = set()
        for e in c.validator.iter_errors(payload):
            path = tuple(e.instance_path)
            kind_ = e.kind
            keyword = kind_.name
            if keyword == "required":
                found.append((path + (kind_.property,), keyword, e.message))
            elif keyword == "additionalProperties":
                for prop in kind_.unexpected:
                    found.append((path + (prop,), keyword, f"Additional property {prop!r} is not allowed here"))
            elif keyword == "pattern":
                node = c.node_at(list(e.schema_path)[:-1])
                if node.get("format") == "date-time":
                    date_time_patterns.append((path, e.instance))
                elif extra_checks:
                    found.append((path, "identifierString", _identifier_string_message(e.instance)))
            elif keyword in ("minimum", "maximum") and kind_.limit in (_INT32_MIN, _INT32_MAX):
                if extra_checks:
                    found.append((path, "int32", f"{e.instance!r} is outside the 32-bit integer range of Part 2"))
            else:
                if keyword == "format":
                    format_paths.add(path)
                elif keyword == "type":
                    type_paths.add(path)
                found.append((path, keyword, e.message))
        if type_paths:
            # a value of the wrong JSON type also fails its enum: report the root cause only
            found = [f for f in found if not (f[1] in ("enum", "const") and f[0] in type_paths)]
        for path, value in date_time_patterns:
            if path in format_paths:
                continue  # the validator already rejected the value as a date-time
            verdict = _classify_date_time(value)
            if verdict is not None and extra_checks:
                found.append((path, verdict[0], verdict[1]))
        if len(found) > 1:
            found.sort(key=lambda f: (_sort_key(f[0]), f[1], f[2]))
        return [_violation(format_path(p), k, m) for p, k, m in found]

    def is_valid(self, action: str, kind: str, payload: Any, *, extra_checks: bool = True) -> bool:
        return not self.validate(action, kind, payload, extra_checks=extra_checks)

    # -- start-up self check ----------------------------------------------------------------

    def _self_check(self) -> None:
        """Fail loudly if date-time checking is silently off (dependencies.md §2.2 gotcha)."""
        for bad in ("yesterday", "2025-03-01T12:00:00"):
            v = self.validate("Heartbeat", "response", {"currentTime": bad})
            if not any(x.path == "$.currentTime" for x in v):
                raise RuntimeError(f"schema self-check failed: date-time {bad!r} was accepted")
        if self.validate("Heartbeat", "response", {"currentTime": DATE_TIME_EXAMPLE}):
            raise RuntimeError("schema self-check failed: a valid date-time was rejected")


@lru_cache(maxsize=1)
def get_registry() -> SchemaRegistry:
    """The process-wide registry (schemas loaded, overlaid and compiled once)."""
    return SchemaRegistry()
