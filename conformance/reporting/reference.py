"""The message reference: static HTML pages for the 64 OCPP 2.0.1 messages, plus an index.

``write_reference(out_dir)`` writes ``index.html`` and one ``<Action>.html`` per message (the
compliance report links to that exact name) and returns the index path. ``ocpp-conformance
reference [--out DIR]`` calls it.

Every page is generated from data, never written by hand:

* category, functional block, direction and purpose come from the catalog
  (:mod:`conformance.catalog.messages`; the purposes are this project's own words);
* the field tables are the OCA schemas flattened (``chargingStation.modem.iccid``,
  ``meterValue[].sampledValue[]``): names, types, enumeration type names and values, limits,
  formats, defaults and required-ness are facts read from the schema. The schemas' ``description``
  texts (CC BY-ND) are deliberately *not* reproduced. The notes on the checks the schemas cannot
  express (identifierString, RFC 3339 offset, fractional-second digits, 32-bit integers) come from
  :mod:`conformance.protocol.schemas` (``extra_check_paths``, ``IDENTIFIER_STRING_FIELDS``);
* the example payloads are :func:`~conformance.protocol.examples.build_example` (minimal, full);
* "common errors" are mutations of those examples run through the registry's validator: the
  violations (path, keyword, message) and the CALLERROR code (:func:`callerror_for`) shown are
  what the harness really produces, so they cannot drift from the code.

The output is deterministic (no timestamps, catalog and schema order throughout: the same bytes
on every run) and self-contained (inline CSS, no script, no external URL), so the pages can
be opened from ``file://`` or archived next to a report.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from conformance import SPEC_EDITION, __version__
from conformance.catalog import CATEGORIES, Message, load_catalog
from conformance.protocol.examples import build_example
from conformance.roles import Role
from conformance.protocol.schemas import (
    DATE_TIME_EXAMPLE,
    IDENTIFIER_STRING_FIELDS,
    KINDS,
    Violation,
    allowed_error_codes,
    callerror_for,
    get_registry,
    schema_name,
)

__all__ = [
    "CommonError",
    "FieldRow",
    "common_errors",
    "direction",
    "message_fields",
    "page_name",
    "render_index",
    "render_message_page",
    "write_reference",
]

#: how many common errors are shown per request / response (at most)
MAX_COMMON_ERRORS: Final = 6

# --------------------------------------------------------------------------------------------
# Catalog helpers
# --------------------------------------------------------------------------------------------


def page_name(action: str) -> str:
    """The file name of a message's page: ``BootNotification`` -> ``BootNotification.html``."""
    return f"{action}.html"


def direction(message: Message, kind: str = "request") -> str:
    """Who sends ``kind`` of the message: "Charging Station → CSMS", the reverse, or "both directions"."""
    if message.initiator == "Both":
        return "both directions"
    sender = Role.of(message.initiator)
    receiver = sender.peer
    if kind == "response":
        sender, receiver = receiver, sender
    return f"{sender.display} \u2192 {receiver.display}"


def _ordered_messages() -> list[Message]:
    """The 64 messages in index order: by category (catalog order), then catalog order."""
    messages = list(load_catalog().messages.values())
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(messages, key=lambda m: rank[m.category])  # stable: table order within a category


# --------------------------------------------------------------------------------------------
# Field tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One field of a message, flattened (``meterValue[].sampledValue[].value``)."""

    path: str
    depth: int
    type: str  #: JSON type: string, integer, number, boolean, object, array
    type_name: str | None  #: the schema definition (``BootReasonEnumType``, ``ChargingStationType``)
    item_type: str | None  #: arrays: the item's JSON type
    required: bool  #: required within its parent object
    parent: str  #: the parent's path, "" at the root
    limits: tuple[str, ...]  #: "maxLength 50", "minItems 1", "items maxLength 36" ...
    enum: tuple[str, ...]
    format: str | None
    default: str | None  #: the schema's default, as JSON text
    checks: tuple[str, ...]  #: extra checks: "date-time", "identifierString", "int32"
    identifier_ref: str | None  #: Part 2 section that types the field as identifierString
    custom_data: bool = False  #: the root ``customData`` row (stands for every object's)


_LIMIT_KEYWORDS: Final = ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems")


def _extra_checks(action: str, kind: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path, check in get_registry().extra_check_paths(action, kind):
        out.setdefault(path, []).append(check)
    return out


def message_fields(action: str, kind: str) -> list[FieldRow]:
    """Every field of the message type, depth first in schema order; ``customData`` last.

    ``customData`` (the schemas' extension point, present on every object) is listed once, as the
    root row; nested ``customData`` members are not repeated.
    """
    schema = get_registry().schema(action, kind)
    defs: dict[str, dict] = schema.get("definitions", {})
    checks = _extra_checks(action, kind)
    rows: list[FieldRow] = []
    custom: list[FieldRow] = []

    def resolve(node: dict) -> tuple[dict, str | None]:
        ref = node.get("$ref")
        if ref is None:
            return node, None
        name = ref.rsplit("/", 1)[-1]
        return defs[name], name

    def walk(obj: dict, owner: str, prefix: str, depth: int, stack: tuple[str, ...]) -> None:
        required = set(obj.get("required", ()))
        for prop, sub in obj.get("properties", {}).items():
            node, name = resolve(sub)
            path = prefix + prop
            typ = node.get("type", "string")
            limits = [f"{kw} {node[kw]}" for kw in _LIMIT_KEYWORDS if kw in node]
            enum = tuple(node.get("enum", ()))
            fmt = node.get("format")
            item_type: str | None = None
            type_name = name
            item_node: dict | None = None
            if typ == "array":
                item_node, item_name = resolve(node["items"])
                item_type = item_node.get("type", "string")
                type_name = item_name
                limits += [f"items {kw} {item_node[kw]}" for kw in _LIMIT_KEYWORDS if kw in item_node]
                enum = tuple(item_node.get("enum", ()))
                fmt = item_node.get("format")
            json_path = "$." + path.replace("[]", "[*]")
            found = checks.get(json_path, []) + checks.get(json_path + "[*]", [])
            default = json.dumps(node["default"]) if "default" in node else None
            row = FieldRow(
                path=path,
                depth=depth,
                type=typ,
                type_name=type_name,
                item_type=item_type,
                required=prop in required,
                parent=prefix.rstrip(".").removesuffix("[]"),
                limits=tuple(limits),
                enum=enum,
                format=fmt,
                default=default,
                checks=tuple(dict.fromkeys(found)),
                identifier_ref=IDENTIFIER_STRING_FIELDS.get((owner, prop)),
                custom_data=prop == "customData",
            )
            if prop == "customData":
                if depth == 0:
                    custom.append(row)
                continue
            rows.append(row)
            if name is not None and name in stack:
                continue  # no OCA schema recurses; guard anyway
            inner = stack + ((name,) if name else ())
            if typ == "object":
                walk(node, name or owner, path + ".", depth + 1, inner)
            elif item_node is not None and item_type == "object":
                walk(item_node, type_name or owner, path + "[].", depth + 1, inner)

    walk(schema, schema_name(action, kind), "", 0, ())
    return rows + custom


# --------------------------------------------------------------------------------------------
# Common errors: mutations of the examples, judged by the real validator
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommonError:
    """One typical mistake, the payload that makes it and what the validator says about it."""

    title: str
    change: str  #: HTML: what was changed in the valid example
    payload: Any
    violations: tuple[Violation, ...]
    code: str  #: the CALLERROR code the harness sends (:func:`callerror_for`)
    allowed: tuple[str, ...]  #: every code a peer may answer with


_MISSING: Final = object()
_UNKNOWN_PROPERTY: Final = "vendorNote"


def _segments(path: str) -> list[str | int]:
    """``meterValue[].sampledValue[].value`` -> ``["meterValue", 0, "sampledValue", 0, "value"]``."""
    out: list[str | int] = []
    for part in path.split("."):
        name = part.removesuffix("[]")
        out.append(name)
        if part.endswith("[]"):
            out.append(0)
    return out


def _get(payload: Any, segments: list[str | int]) -> Any:
    node = payload
    for seg in segments:
        try:
            node = node[seg]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return node


def _with_path(minimal: dict, full: dict, segments: list[str | int]) -> dict | None:
    """A copy of the minimal example in which ``segments`` exists (missing parts taken from the
    full example); None when even the full example lacks the path."""
    if _get(full, segments) is _MISSING and _get(minimal, segments) is _MISSING:
        return None
    base = copy.deepcopy(minimal)
    node_b: Any = base
    node_f: Any = full
    for seg in segments:
        present = _get(node_b, [seg]) is not _MISSING
        if not present:
            value = _get(node_f, [seg])
            if value is _MISSING:
                return None
            if isinstance(seg, int):
                node_b.append(copy.deepcopy(value))
            else:
                node_b[seg] = copy.deepcopy(value)
        node_b = node_b[seg]
        node_f = _get(node_f, [seg])
    return base


def _set(payload: dict, segments: list[str | int], value: Any) -> None:
    parent = _get(payload, segments[:-1])
    parent[segments[-1]] = value


def _delete(payload: dict, segments: list[str | int]) -> None:
    parent = _get(payload, segments[:-1])
    del parent[segments[-1]]


def _code(text: str) -> str:
    return f"<code>{html.escape(text)}</code>"


def _json_inline(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return _code(text)


def _case_variant(value: str, allowed: tuple[str, ...]) -> str:
    """A near miss of an enumeration value that is not itself allowed (case is significant)."""
    for candidate in (value.lower(), value.upper(), value + "s", value + "X"):
        if candidate != value and candidate not in allowed:
            return candidate
    return "NotAnAllowedValue"


_Mutation = tuple[str, str, str, Any]  # (title, expected keyword, change html, payload)


class _Mutator:
    """Builds the candidate mutations of one message type, in a fixed order."""

    def __init__(self, action: str, kind: str) -> None:
        self.action, self.kind = action, kind
        self.minimal = build_example(action, kind)
        self.full = build_example(action, kind, full=True)
        self.rows = [r for r in message_fields(action, kind) if not r.custom_data]
        present = [r for r in self.rows if _get(self.minimal, _segments(r.path)) is not _MISSING]
        absent = [r for r in self.rows if _get(self.minimal, _segments(r.path)) is _MISSING]
        self.ordered = present + absent  # prefer fields the minimal example already has

    def base_for(self, row: FieldRow) -> tuple[dict, list[str | int]] | None:
        segs = _segments(row.path)
        base = _with_path(self.minimal, self.full, segs)
        return None if base is None else (base, segs)

    def first(self, accept: Callable[[FieldRow], bool]) -> FieldRow | None:
        return next((r for r in self.ordered if accept(r)), None)

    def target(self, accept: Callable[[FieldRow], bool]) -> tuple[FieldRow, dict, list[str | int]] | None:
        """The first field ``accept`` picks, with a copy of the example that has it, and its path."""
        row = self.first(accept)
        found = None if row is None else self.base_for(row)
        return None if row is None or found is None else (row, *found)

    # -- the mutations -------------------------------------------------------------------

    def missing_required(self) -> _Mutation | None:
        row = self.first(lambda r: r.required)
        if row is None:
            payload = copy.deepcopy(self.minimal)
            payload["customData"] = {}
            return ("Required field missing", "required",
                    f"Added {_code('customData')} without its required {_code('vendorId')}.", payload)
        found = self.base_for(row)
        if found is None:
            return None
        base, segs = found
        _delete(base, segs)
        where = f" (required in {_code(row.parent)})" if row.parent else ""
        return ("Required field missing", "required", f"Left out {_code(row.path)}{where}.", base)

    def wrong_type(self) -> _Mutation | None:
        primitive = ("string", "integer", "number", "boolean")
        row = (self.first(lambda r: r.type in primitive and not r.enum)
               or self.first(lambda r: r.type in primitive)
               or self.first(lambda r: True))
        if row is None:
            payload = copy.deepcopy(self.minimal)
            payload["customData"] = "org.example"
            return ("Wrong type", "type",
                    f"Sent {_code('customData')} as a string instead of an object.", payload)
        found = self.base_for(row)
        if found is None:
            return None
        base, segs = found
        value = _get(base, segs)
        if row.type == "string" and row.format == "date-time":
            wrong: Any = 1735689600
            what = "a Unix timestamp instead of an RFC 3339 string"
        elif row.type == "string":
            wrong = int(value) if isinstance(value, str) and value.isdigit() else 123
            what = "a number instead of a string"
        elif row.type in ("integer", "number"):
            wrong = str(value)
            what = "a string instead of a number"
        elif row.type == "boolean":
            wrong = "true"
            what = "the string \"true\" instead of a boolean"
        elif row.type == "array":
            wrong = value[0] if value else {}
            what = "a single element instead of an array"
        else:
            wrong = [value]
            what = "an array instead of an object"
        _set(base, segs, wrong)
        return ("Wrong type", "type", f"Sent {_code(row.path)} as {what}: {_json_inline(wrong)}.", base)

    def enum_value(self) -> _Mutation | None:
        target = self.target(lambda r: bool(r.enum))
        if target is None:
            return None
        row, base, segs = target
        if row.type == "array":
            segs = segs + [0]
        value = _get(base, segs)
        if not isinstance(value, str):
            return None
        wrong = _case_variant(value, row.enum)
        _set(base, segs, wrong)
        change = (f"Set {_code(row.path)} to {_json_inline(wrong)} (allowed: {_code(value)} and "
                  f"{_plural(len(row.enum) - 1, 'other value')} of "
                  f"{_code(row.type_name or 'the enumeration')}; values are case-sensitive).")
        return ("Value not in the enumeration", "enum", change, base)

    def too_long(self) -> _Mutation | None:
        def fits(r: FieldRow) -> bool:
            limit = _limit(r, "maxLength")
            return r.type == "string" and not r.enum and limit is not None and limit <= 255
        target = self.target(fits)
        if target is None:
            return None
        row, base, segs = target
        limit = _limit(row, "maxLength")
        assert limit is not None
        value = _get(base, segs)
        seed = value if isinstance(value, str) and value else "x"
        wrong = (seed * (limit // len(seed) + 2))[: limit + 1]
        _set(base, segs, wrong)
        return ("String too long", "maxLength",
                f"Sent {limit + 1} characters in {_code(row.path)} (maxLength {limit}).", base)

    def unknown_property(self) -> _Mutation | None:
        payload = copy.deepcopy(self.minimal)
        payload[_UNKNOWN_PROPERTY] = "not in the schema"
        change = (f"Added {_code(_UNKNOWN_PROPERTY)} at the top level (vendor data belongs in "
                  f"{_code('customData')}).")
        return ("Unknown property", "additionalProperties", change, payload)

    def identifier_string(self) -> _Mutation | None:
        target = self.target(lambda r: "identifierString" in r.checks and r.type == "string")
        if target is None:
            return None
        row, base, segs = target
        value = _get(base, segs)
        seed = value if isinstance(value, str) and len(value) >= 2 else "AB"
        half = len(seed) // 2
        wrong = seed[:half] + " " + seed[half:]
        limit = _limit(row, "maxLength")
        if limit is not None and len(wrong) > limit:
            wrong = wrong[len(wrong) - limit:]
        _set(base, segs, wrong)
        return ("Character not allowed in an identifierString", "identifierString",
                f"Put a space into {_code(row.path)}: {_json_inline(wrong)}.", base)

    def date_time_fraction(self) -> _Mutation | None:
        target = self.target(lambda r: r.format == "date-time" and r.type == "string")
        if target is None:
            return None
        row, base, segs = target
        wrong = DATE_TIME_EXAMPLE.removesuffix("Z") + ".123456Z"
        _set(base, segs, wrong)
        return ("More than 3 fractional-second digits", "datetime-fraction",
                f"Sent {_code(row.path)} with microseconds: {_json_inline(wrong)}.", base)

    def date_time_offset(self) -> _Mutation | None:
        target = self.target(lambda r: r.format == "date-time" and r.type == "string")
        if target is None:
            return None
        row, base, segs = target
        wrong = DATE_TIME_EXAMPLE.removesuffix("Z")
        _set(base, segs, wrong)
        return ("Date-time without a time-zone offset", "format",
                f"Sent {_code(row.path)} as local time: {_json_inline(wrong)}.", base)

    def below_minimum(self) -> _Mutation | None:
        target = self.target(lambda r: r.type in ("integer", "number") and _limit(r, "minimum") is not None)
        if target is None:
            return None
        row, base, segs = target
        minimum = _limit(row, "minimum")
        assert minimum is not None
        wrong = minimum - 1
        _set(base, segs, wrong)
        return ("Number below its minimum", "minimum",
                f"Set {_code(row.path)} to {_json_inline(wrong)} (minimum {minimum}).", base)

    def empty_array(self) -> _Mutation | None:
        target = self.target(lambda r: r.type == "array" and (_limit(r, "minItems") or 0) >= 1)
        if target is None:
            return None
        row, base, segs = target
        _set(base, segs, [])
        return ("Empty array", "minItems",
                f"Sent {_code(row.path)} as {_code('[]')} (minItems {_limit(row, 'minItems')}).", base)

    def int32(self) -> _Mutation | None:
        row = self.first(lambda r: r.type == "integer" and "int32" in r.checks
                         and _limit(r, "maximum") is None)
        if row is None:
            return None
        found = self.base_for(row)
        if found is None:
            return None
        base, segs = found
        wrong = 2**31
        _set(base, segs, wrong)
        return ("Integer beyond 32 bits", "int32",
                f"Set {_code(row.path)} to {_json_inline(wrong)} (Part 2 integers are 32-bit).", base)

    def candidates(self) -> list[Callable[[], _Mutation | None]]:
        return [self.missing_required, self.wrong_type, self.enum_value, self.too_long,
                self.unknown_property, self.identifier_string, self.date_time_fraction,
                self.below_minimum, self.empty_array, self.date_time_offset, self.int32]


def _limit(row: FieldRow, keyword: str) -> int | None:
    for text in row.limits:
        name, _, value = text.partition(" ")
        if name == keyword:
            return int(float(value)) if float(value).is_integer() else None
    return None


def common_errors(action: str, kind: str, limit: int = MAX_COMMON_ERRORS) -> list[CommonError]:
    """Typical mistakes in the message type's payload and what the validator reports for each.

    A mutation is kept only if the validator reports the keyword its title names (so a title can
    never lie); the violations shown are the validator's complete answer.
    """
    registry = get_registry()
    mutator = _Mutator(action, kind)
    out: list[CommonError] = []
    for make in mutator.candidates():
        if len(out) >= limit:
            break
        mutation = make()
        if mutation is None:
            continue
        title, keyword, change, payload = mutation
        violations = registry.validate(action, kind, payload)
        if not any(v.keyword == keyword for v in violations):
            continue
        code = callerror_for(violations)
        assert code is not None
        allowed = tuple(sorted(allowed_error_codes(violations)))
        out.append(CommonError(title, change, payload, tuple(violations), code, allowed))
    return out


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_CSS: Final = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--bg:#eef1f4;--card:#fff;
--accent:#0b5cad;--accent-soft:#e7f0fb;--req:#9a3412;--req-bg:#fff1e6;--enum:#3b3f8f;--enum-bg:#eef0ff;
--ok:#116329;--bad:#a40e26;--bad-bg:#ffebe9;--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,
"Liberation Mono",monospace}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
code,pre{font-family:var(--mono);font-size:.86em}
header.top{background:#12263f;color:#fff}
header.top .bar{max-width:1240px;margin:0 auto;padding:10px 28px;display:flex;align-items:center;gap:18px}
header.top .brand{font-weight:600;letter-spacing:.01em;color:#fff}
header.top .brand span{opacity:.65;font-weight:400}
header.top nav{margin-left:auto;display:flex;gap:6px;font-size:14px}
header.top nav a,header.top nav span{color:#cfe0f5;padding:4px 10px;border:1px solid #35507a;border-radius:6px}
header.top nav span{opacity:.4}
header.top nav a:hover{background:#1d3a5e;text-decoration:none}
main{max-width:1240px;margin:0 auto;padding:22px 28px 40px}
.crumbs{font-size:13px;color:var(--muted);margin-bottom:4px}
h1{font-size:30px;line-height:1.2;margin:0 0 6px;font-weight:650;letter-spacing:-.01em}
h2{font-size:21px;margin:0;font-weight:620}
h3{font-size:16px;margin:26px 0 10px;font-weight:620}
.purpose{font-size:17px;color:#31373d;margin:0 0 14px;max-width:860px}
.meta{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 18px;padding:0;list-style:none}
.meta li{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:3px 12px;font-size:13px}
.meta li b{color:var(--muted);font-weight:500;margin-right:4px}
.toc{display:flex;flex-wrap:wrap;gap:10px;font-size:13.5px;margin:0 0 18px}
.toc span{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px 12px}
.toc a{margin-right:12px}.toc a:last-child{margin-right:0}
.toc a.sec{font-weight:600;color:var(--fg);padding-right:12px;border-right:1px solid var(--line)}
.fields col.f{width:25%}.fields col.ty{width:15%}.fields col.pr{width:8.5%}.fields col.li{width:13.5%}.fields col.ev{width:19%}
.fields col.ch{width:19%}
.tn{overflow-wrap:break-word}
.errors col.m{width:34%}.errors col.v{width:42%}
code.cs{white-space:nowrap}
.chk .sub{display:block;margin-left:13px}.chk .ref{color:var(--muted);font-size:11.5px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin:0 0 22px;
box-shadow:0 1px 2px rgba(31,35,40,.04)}
.card>header{display:flex;align-items:baseline;gap:12px;flex-wrap:wrap;border-bottom:1px solid var(--line);
padding-bottom:12px;margin-bottom:4px}
.card>header .dir{color:var(--muted);font-size:14px}
.card>header .schema{margin-left:auto;color:var(--muted);font-size:12px}
.note{color:var(--muted);font-size:13px;margin:6px 0 10px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th{text-align:left;font-weight:600;color:#3d444d;background:var(--soft);border-bottom:1px solid var(--line);
padding:7px 10px;white-space:nowrap}
td{border-bottom:1px solid #e8ecf0;padding:7px 10px;vertical-align:top}
tr:last-child td{border-bottom:0}
.wrap{border:1px solid var(--line);border-radius:8px;overflow-x:auto}
table.fields,table.errors{table-layout:fixed}
.fields td.f{font-family:var(--mono);font-size:12.8px;overflow-wrap:anywhere}
.fields td.f .p{color:#8b949e}
.fields td.f b{font-weight:600}
.fields tr.custom td{background:#fbfcfd;color:var(--muted)}
.fields td.cd{font-size:12.8px}
.t{font-family:var(--mono);font-size:12.5px}
.tn{display:block;color:var(--muted);font-size:12px;font-family:var(--mono)}
.pill{display:inline-block;font-size:11.5px;font-weight:600;border-radius:999px;padding:1px 8px;white-space:nowrap}
.pill.req{background:var(--req-bg);color:var(--req)}
.pill.opt{background:var(--soft);color:var(--muted);font-weight:500}
.lim{display:block;font-family:var(--mono);font-size:12px;overflow-wrap:anywhere}
.enum{display:inline-block;font-family:var(--mono);font-size:11.8px;background:var(--enum-bg);color:var(--enum);
border-radius:4px;padding:0 5px;margin:1px 2px 1px 0}
.chk{display:block;font-size:12.5px;color:#4a5159;margin-bottom:2px}
.chk::before{content:"\\25B8";color:var(--accent);margin-right:5px}
.examples{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.examples figure{margin:0;min-width:0}
.examples figcaption{font-size:13px;color:var(--muted);margin-bottom:6px}
pre.json{margin:0;background:#f8fafc;border:1px solid var(--line);border-radius:8px;padding:12px 14px;
overflow:auto;max-height:460px;line-height:1.45;font-size:12.5px}
pre.json .k{color:#0a3069}pre.json .s{color:#116329}pre.json .n{color:#953800}pre.json .l{color:#8250df}
.errors td.m b{display:block;margin-bottom:2px}
.errors td.m .chg{font-size:12.8px;color:#3d444d}
.errors details{margin-top:6px;font-size:12.5px}
.errors summary{cursor:pointer;color:var(--accent)}
.errors details pre.json{margin-top:6px;max-height:280px;font-size:11.8px}
.errors td.v code.path{font-size:12.5px}
.kw{display:inline-block;font-family:var(--mono);font-size:11.5px;background:var(--bad-bg);color:var(--bad);
border-radius:4px;padding:0 6px;margin-left:6px}
.msg{display:block;color:#3d444d;font-size:12.8px;margin-top:2px;word-break:break-word}
.code{font-family:var(--mono);font-size:12.5px;font-weight:600;white-space:nowrap}
.alt{display:block;color:var(--muted);font-size:11.5px;margin-top:2px}
.index-jump{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 22px}
.index-jump a{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:3px 12px;font-size:13px}
.index-jump a span{color:var(--muted);margin-left:4px}
.cat h2 .count{font-size:13px;font-weight:500;color:var(--muted);margin-left:8px}
.msgs td.n{white-space:nowrap;font-weight:600}
.msgs td.d{white-space:nowrap;font-size:13px}
.msgs td.b{white-space:nowrap;font-size:13px;color:#3d444d}
.msgs td.b .letter{display:inline-block;min-width:20px;text-align:center;font-weight:600;background:var(--accent-soft);
color:var(--accent);border-radius:4px;margin-right:6px;font-size:12px}
.msgs col.n{width:25%}.msgs col.d{width:20%}.msgs col.b{width:21%}
footer.foot{max-width:1240px;margin:0 auto;padding:0 28px 36px;color:var(--muted);font-size:12.5px}
@media (max-width:900px){.examples{grid-template-columns:1fr}main{padding:16px}table.fields,table.errors{table-layout:auto}}
@media print{body{background:#fff}header.top{background:#fff;color:#000}.card{box-shadow:none}
pre.json{max-height:none}}
"""

_JSON_TOKEN: Final = re.compile(
    r'(?P<str>"(?:\\.|[^"\\])*")(?P<colon>\s*:)?|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<lit>\btrue\b|\bfalse\b|\bnull\b)'
)


def _json_html(value: Any) -> str:
    """Pretty-printed JSON with light syntax highlighting (text content = the JSON itself)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    out: list[str] = []
    pos = 0
    for m in _JSON_TOKEN.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        if m.group("str") is not None:
            cls = "k" if m.group("colon") else "s"
            out.append(f'<span class="{cls}">{html.escape(m.group("str"), quote=False)}</span>')
            if m.group("colon"):
                out.append(html.escape(m.group("colon"), quote=False))
        elif m.group("num") is not None:
            out.append(f'<span class="n">{m.group("num")}</span>')
        else:
            out.append(f'<span class="l">{m.group("lit")}</span>')
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _page(title: str, nav: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<header class="top"><div class="bar">'
        '<a class="brand" href="index.html">OCPP 2.0.1 <span>message reference</span></a>'
        f"<nav>{nav}</nav></div></header>\n"
        f"<main>\n{body}</main>\n"
        '<footer class="foot">'
        f"Generated by ocpp-conformance {_e(__version__)} for {_e(SPEC_EDITION)}. "
        "Field names, types, limits and enumeration values are taken from the OCA OCPP 2.0.1 JSON "
        f"schemas (set SHA-256 {_e(get_registry().digest[:16])}\u2026); the schemas' descriptions are "
        "not reproduced. Purposes, notes and the common errors are this project's own, the errors "
        "being produced by the suite's validator."
        "</footer>\n</body>\n</html>\n"
    )


def _field_cell(row: FieldRow) -> str:
    indent = row.depth * 16
    if row.parent:
        head, _, leaf = row.path.rpartition(".")
        head_html = _e(head + ".").replace(".", ".<wbr>")
        shown = f'<span class="p">{head_html}</span><b>{_e(leaf)}</b>'
    else:
        shown = f"<b>{_e(row.path)}</b>"
    return f'<td class="f" style="padding-left:{10 + indent}px">{shown}</td>'


def _camel_breaks(name: str) -> str:
    """Escaped ``name`` with optional line breaks at camel-case boundaries."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "<wbr>", _e(name))


def _type_cell(row: FieldRow) -> str:
    if row.type == "array":
        main = f"array of {row.item_type}"
    else:
        main = row.type
    extra = ""
    if row.type_name:
        extra = f'<span class="tn">{_camel_breaks(row.type_name)}</span>'
    if row.type == "integer" or row.item_type == "integer":
        extra += '<span class="tn">32-bit</span>'
    return f'<td><span class="t">{_e(main)}</span>{extra}</td>'


def _notes(row: FieldRow) -> list[str]:
    notes: list[str] = []
    if "date-time" in row.checks:
        notes.append("RFC 3339 with a time-zone offset (<code>Z</code> or <code>\u00b1hh:mm</code>)")
        notes.append("at most 3 fractional-second digits")
    if "identifierString" in row.checks:
        ref = f'<span class="sub ref">{_e(row.identifier_ref)}</span>' if row.identifier_ref else ""
        notes.append(f'identifierString{ref}<span class="sub">characters <code class="cs">'
                     "a-z A-Z 0-9 *-_=:+|@.</code> only</span>")
    if row.type == "array" and "int32" in row.checks:
        notes.append("items are 32-bit integers")
    return notes


def _fields_table(action: str, kind: str, rows: list[FieldRow]) -> str:
    body: list[str] = []
    for row in rows:
        limits = "".join(f'<span class="lim">{_e(x)}</span>' for x in row.limits)
        if row.format:
            limits += f'<span class="lim">format {_e(row.format)}</span>'
        if row.default is not None:
            limits += f'<span class="lim">default {_e(row.default)}</span>'
        enum = "".join(f'<code class="enum">{_e(v)}</code>' for v in row.enum)
        notes = "".join(f'<span class="chk">{n}</span>' for n in _notes(row))
        pill = ('<span class="pill req">required</span>' if row.required
                else '<span class="pill opt">optional</span>')
        title = f' title="required when {_e(row.parent)} is present"' if row.required and row.parent else ""
        cls = ' class="custom"' if row.custom_data else ""
        body.append(
            f'<tr{cls} data-path="{_e(row.path)}" data-required="{"yes" if row.required else "no"}" '
            f'data-type="{_e(row.type)}">'
            f"{_field_cell(row)}{_type_cell(row)}<td{title}>{pill}</td>"
            + (f'<td colspan="3" class="cd">The extension point, accepted on every object of this message '
               f"(nested ones are not listed): {_code('vendorId')} (string, maxLength 255) is required, "
               "any further vendor-specific property is allowed.</td></tr>"
               if row.custom_data else f"<td>{limits}</td><td>{enum}</td><td>{notes}</td></tr>")
        )
    return (
        f'<div class="wrap"><table class="fields" data-kind="{kind}">'
        '<colgroup><col class="f"><col class="ty"><col class="pr"><col class="li"><col class="ev"><col class="ch"></colgroup>'
        "<thead><tr><th>Field</th><th>Type</th><th>Presence</th><th>Limits / format</th>"
        "<th>Allowed values</th><th>Extra checks</th></tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table></div>"
    )


def _errors_table(kind: str, errors: list[CommonError]) -> str:
    rows: list[str] = []
    for i, err in enumerate(errors, 1):
        n = len(err.violations)
        payload = _json_html(err.payload)
        alt = [c for c in err.allowed if c != err.code]
        alt_html = f'<span class="alt">a peer may also answer {", ".join(_e(c) for c in alt)}</span>' if alt else ""
        for j, v in enumerate(err.violations):
            cells = ""
            if j == 0:
                cells += (
                    f'<td class="m" rowspan="{n}"><b>{i}. {_e(err.title)}</b><span class="chg">{err.change}</span>'
                    f'<details><summary>payload sent</summary><pre class="json" data-role="payload">{payload}'
                    "</pre></details></td>"
                )
            cells += (
                f'<td class="v" data-role="violation" data-path="{_e(v.path)}" data-keyword="{_e(v.keyword)}">'
                f'<code class="path">{_e(v.path)}</code><span class="kw">{_e(v.keyword)}</span>'
                f'<span class="msg" data-role="message">{_e(v.message)}</span></td>'
            )
            if j == 0:
                cells += (f'<td rowspan="{n}" data-role="callerror"><span class="code">{_e(err.code)}</span>'
                          f"{alt_html}</td>")
            rows.append(f'<tr data-error="{i}">{cells}</tr>' if j == 0 else f"<tr>{cells}</tr>")
    return (
        f'<div class="wrap"><table class="errors" data-kind="{kind}">'
        '<colgroup><col class="m"><col class="v"><col></colgroup>'
        "<thead><tr><th>Mistake (in a valid example)</th><th>What the validator reports</th>"
        "<th>CALLERROR sent</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>"
    )


def _section(message: Message, kind: str) -> str:
    action = message.name
    label = "Request" if kind == "request" else "Response"
    registry = get_registry()
    rows = message_fields(action, kind)
    required = sum(1 for r in rows if r.required and not r.parent)
    minimal = build_example(action, kind)
    full = build_example(action, kind, full=True)
    errors = common_errors(action, kind)
    top = [r for r in rows if not r.parent and not r.custom_data]
    total = len(rows) - 1  # without customData
    if not top:
        summary = f"No fields besides {_code('customData')}: the payload is normally {_code('{}')}."
    else:
        summary = f"{_plural(len(top), 'top-level field')}, {required} required"
        if total > len(top):
            summary += f"; {_plural(total, 'field')} with the nested ones"
        summary += (". Nested paths use <code>.</code>, <code>[]</code> marks an array element; "
                    "\u201crequired\u201d means required within the parent object.")
    return (
        f'<section class="card" id="{kind}">\n'
        f"<header><h2>{_e(action)}{label}</h2>"
        f'<span class="dir">{_e(direction(message, kind))}</span>'
        f'<span class="schema">{_e(registry.schema_id(action, kind))}</span></header>\n'
        f'<h3 id="{kind}-fields">Fields</h3>\n'
        f'<p class="note">{summary}</p>\n'
        f"{_fields_table(action, kind, rows)}\n"
        f'<h3 id="{kind}-examples">Example payloads</h3>\n'
        '<div class="examples">'
        '<figure><figcaption>Minimal: required fields only</figcaption>'
        f'<pre class="json" data-example="{kind}-minimal">{_json_html(minimal)}</pre></figure>'
        '<figure><figcaption>Full: every optional field too (except customData)</figcaption>'
        f'<pre class="json" data-example="{kind}-full">{_json_html(full)}</pre></figure>'
        "</div>\n"
        f'<h3 id="{kind}-errors">Common errors a validator reports</h3>\n'
        '<p class="note">Each row is a valid example with one typical mistake, checked by the suite\'s '
        "validator: the violations and the CALLERROR code the harness sends are its actual output.</p>\n"
        f"{_errors_table(kind, errors)}\n"
        "</section>\n"
    )


def _nav(prev: Message | None, nxt: Message | None) -> str:
    parts = ['<a href="index.html">Index</a>']
    parts.append(f'<a rel="prev" href="{page_name(prev.name)}">\u2190 {_e(prev.name)}</a>' if prev
                 else "<span>\u2190 first</span>")
    parts.append(f'<a rel="next" href="{page_name(nxt.name)}">{_e(nxt.name)} \u2192</a>' if nxt
                 else "<span>last \u2192</span>")
    return "".join(parts)


def render_message_page(message: Message, prev: Message | None = None, nxt: Message | None = None) -> str:
    """The HTML page of one message."""
    cat_anchor = _slug(message.category)
    body = (
        f'<div class="crumbs"><a href="index.html">Message reference</a> / '
        f'<a href="index.html#{cat_anchor}">{_e(message.category)}</a></div>\n'
        f"<h1>{_e(message.name)}</h1>\n"
        f'<p class="purpose">{_e(message.purpose)}</p>\n'
        '<ul class="meta">'
        f"<li><b>Category</b>{_e(message.category)}</li>"
        f"<li><b>Functional block</b>{_e(message.block)} {_e(message.block_name)}</li>"
        f"<li><b>Direction</b>{_e(direction(message))}</li>"
        "</ul>\n"
        '<nav class="toc">'
        + "".join(
            f'<span><a class="sec" href="#{k}">{k.capitalize()}</a>'
            f'<a href="#{k}-fields">fields</a><a href="#{k}-examples">examples</a>'
            f'<a href="#{k}-errors">common errors</a></span>'
            for k in KINDS
        )
        + "</nav>\n"
        + "".join(_section(message, kind) for kind in KINDS)
    )
    return _page(f"{message.name} \u2014 OCPP 2.0.1 message reference", _nav(prev, nxt), body)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def render_index(messages: list[Message] | None = None) -> str:
    """The index page: the messages grouped by category."""
    messages = _ordered_messages() if messages is None else messages
    by_cat: dict[str, list[Message]] = {c: [] for c in CATEGORIES}
    for m in messages:
        by_cat[m.category].append(m)
    jump = "".join(f'<a href="#{_slug(c)}">{_e(c)}<span>{len(ms)}</span></a>' for c, ms in by_cat.items())
    sections: list[str] = []
    for category, ms in by_cat.items():
        rows = "\n".join(
            f'<tr data-message="{_e(m.name)}"><td class="n"><a href="{page_name(m.name)}">{_e(m.name)}</a></td>'
            f'<td class="d">{_e(direction(m))}</td>'
            f'<td class="b"><span class="letter">{_e(m.block)}</span>{_e(m.block_name)}</td>'
            f"<td>{_e(m.purpose)}</td></tr>"
            for m in ms
        )
        sections.append(
            f'<section class="card cat" id="{_slug(category)}" data-category="{_e(category)}">'
            f'<header><h2>{_e(category)}<span class="count">{len(ms)} message{"s" if len(ms) != 1 else ""}'
            "</span></h2></header>\n"
            '<table class="msgs"><colgroup><col class="n"><col class="d"><col class="b"><col></colgroup>'
            "<thead><tr><th>Message</th><th>Direction</th><th>Functional block</th><th>Purpose</th></tr></thead>"
            f"\n<tbody>\n{rows}\n</tbody></table></section>\n"
        )
    body = (
        "<h1>OCPP 2.0.1 message reference</h1>\n"
        f'<p class="purpose">All {len(messages)} messages in {len(CATEGORIES)} categories: fields, limits and '
        "allowed values of every request and response, schema-valid examples, and the errors a "
        "validator reports for typical mistakes.</p>\n"
        f'<div class="index-jump">{jump}</div>\n' + "".join(sections)
    )
    first = messages[0] if messages else None
    nav = f'<a href="{page_name(first.name)}">{_e(first.name)} \u2192</a>' if first else ""
    return _page("OCPP 2.0.1 message reference", nav, body)


def write_reference(out_dir: Path) -> Path:
    """Write ``index.html`` and the 64 ``<Action>.html`` pages into ``out_dir``; returns the index."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    messages = _ordered_messages()
    for i, message in enumerate(messages):
        prev = messages[i - 1] if i > 0 else None
        nxt = messages[i + 1] if i + 1 < len(messages) else None
        _write(out_dir / page_name(message.name), render_message_page(message, prev, nxt))
    index = out_dir / "index.html"
    _write(index, render_index(messages))
    return index


def _write(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return  # keep the file (and its mtime) when nothing changed
    path.write_bytes(data)
