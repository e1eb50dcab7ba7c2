"""Validation rules that span several keys or read a key of a special shape (``custom`` fields).

Every single key is read and checked by the generic readers of schema.py from its field; a rule here runs
after its table's keys were read (``rule(checker, table, values, path, root)``), reads the table's
``custom`` keys and checks what no single field can say. A rule that finds a problem reports it with the
dotted key and sets the value to ``_MISSING``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..catalog import load_catalog
from .model import (
    ACTION_BACKENDS,
    CERTIFICATION_PROFILES,
    ROLES,
    Actions,
    Config,
    Connection,
    Evse,
    FrozenDict,
    IdTokens,
    IdTokenSpec,
    Pics,
    StationIdentity,
    StationValues,
    Timing,
)
from .schema import _MISSING, Checker, Path_, choices_text, close, known, layout, show, what

# Part 5 ids: features "C-01", "C-06.1", "AS-2", "UI-1.3"; hardware "HFS-8"; questions "AQ-2".
_FEATURE_RE = re.compile(r"[A-Z]{1,3}-\d{1,3}(?:\.\d{1,2})?")
_HARDWARE_RE = re.compile(r"HFS-\d{1,2}")
_QUESTION_RE = re.compile(r"AQ-\d{1,2}(?:\.\d{1,2})?")  # AQ-13.1: Part 5 errata 5.21/5.22
_FAULT_RE = re.compile(r"[a-z0-9][a-z0-9_.\-]*")
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z\-]+")

Rule = Callable[[Checker, Mapping[str, Any], dict[str, Any], Path_, dict[str, Any]], None]
RULES: dict[type, Rule] = {}


def rule(cls: type) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[cls] = fn
        return fn
    return register


def _role(root: Mapping[str, Any]) -> str | None:
    role = root.get("role")
    return role if role in ROLES else None


Reader = Callable[[Checker, Mapping[str, Any], dict[str, Any], Path_, dict[str, Any]], Any]
READERS: dict[tuple[type, str], Reader] = {}


def reader(cls: type, name: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        READERS[(cls, name)] = fn
        return fn
    return register


class Validator(Checker):
    rules = RULES
    readers = READERS


def build(raw: Mapping[str, Any], problems: list[tuple[str, str]], origin: Any, source: str,
          model: type = Config) -> Any:
    """The configuration ``model`` from merged TOML-shaped data, or None with ``problems`` filled in."""
    checker = Validator(problems, origin)
    checker.unknown(raw, (), known(model))
    root: dict[str, Any] = {}
    config = checker.section(raw, model, (), root)
    if config is _MISSING or problems:
        return None
    return dataclasses.replace(config, source=source)


# ---------------------------------------------------------------------------------------
# the top level
# ---------------------------------------------------------------------------------------


@reader(Config, "pics_file")
def _pics_file(c: Checker, raw: Mapping[str, Any], values: dict[str, Any], P: Path_, root: dict[str, Any]) -> Any:
    pics_file = raw.get("pics_file")  # consumed while loading; its type was checked there
    return pics_file if isinstance(pics_file, str) else None


@rule(Config)
def _config(c: Checker, raw: Mapping[str, Any], values: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    pics, evses = values.get("pics"), values["evses"]
    if isinstance(pics, Pics) and isinstance(evses, tuple):
        count = pics.hardware.get("HFS-8")
        if isinstance(count, int) and not isinstance(count, bool) and count != len(evses):
            c.err(("pics", "hardware", "HFS-8"), f"the number of EVSEs must match the [[evse]] tables "
                                                 f"({len(evses)}), got {count}")
            values["pics"] = _MISSING


@reader(Config, "faults")
def _faults(c: Checker, raw: Mapping[str, Any], values: dict[str, Any], P: Path_, root: dict[str, Any]) -> Any:
    reference = root.get("reference")
    value = raw.get("faults", [])
    if not isinstance(value, list):
        c.err(("faults",), f"must be a list of fault names, got {what(value)}")
        return _MISSING
    out: list[str] = []
    bad = False
    for i, name in enumerate(value):
        if not isinstance(name, str) or not _FAULT_RE.fullmatch(name):
            c.err(("faults", i), f"must be a fault name (lower-case letters, digits, '_', '-', '.'), got {show(name)}")
            bad = True
        elif name in out:
            c.err(("faults", i), f"{name!r} is listed twice")
            bad = True
        else:
            out.append(name)
    if out and reference is False:
        c.err(("faults",), "faults can only be switched on in the built-in reference SUT (reference = true)")
        bad = True
    return _MISSING if bad else tuple(out)


@reader(Config, "evses")
def _evses(c: Checker, raw: Mapping[str, Any], values: dict[str, Any], P: Path_, root: dict[str, Any]) -> Any:
    value = raw.get("evse", _MISSING)
    if value is _MISSING:
        c.required(("evse",), "at least one [[evse]] table with id and connectors")
        return _MISSING
    if not isinstance(value, list) or not value:
        c.err(("evse",), "must be a non-empty list of [[evse]] tables (id, connectors), "
                         f"got {what(value) if value != [] else 'an empty list'}")
        return _MISSING
    keys = layout(Evse)
    out: list[Evse] = []
    bad = False
    for i, item in enumerate(value):
        p: Path_ = ("evse", i)
        if not isinstance(item, dict):
            c.err(p, f"must be a table with id and connectors, got {what(item)}")
            bad = True
            continue
        c.unknown(item, p, list(keys))
        eid = c.read(item, keys["id"], p, root)
        if eid is _MISSING:
            bad = True
        elif eid != i + 1:
            c.err((*p, "id"), f"EVSE ids are numbered from 1 without gaps, in order: expected {i + 1}, got {eid}")
            bad = True
        conns = item.get("connectors", [1])
        cp = (*p, "connectors")
        if isinstance(conns, int) and not isinstance(conns, bool):
            if conns < 1:
                c.err(cp, f"must be a connector count >= 1 or a list [1, 2, ...], got {conns}")
                bad = True
                continue
            conns = list(range(1, conns + 1))
        if not isinstance(conns, list) or not conns:
            c.err(cp, "must be a non-empty list of connector ids [1, 2, ...] or a count, "
                      f"got {what(conns) if conns != [] else 'an empty list'}")
            bad = True
            continue
        for j, conn in enumerate(conns):
            if isinstance(conn, bool) or not isinstance(conn, int):
                c.err((*cp, j), f"must be an integer connector id, got {show(conn)}")
                bad = True
            elif conn != j + 1:
                c.err((*cp, j), f"connector ids are numbered from 1 per EVSE without gaps, in order: "
                                f"expected {j + 1}, got {conn}")
                bad = True
        if not bad:
            out.append(Evse(eid, tuple(conns)))
    return _MISSING if bad else tuple(out)


# ---------------------------------------------------------------------------------------
# [connection]
# ---------------------------------------------------------------------------------------


@rule(Connection)
def _connection(c: Checker, t: Mapping[str, Any], v: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    role, reference = _role(root), root.get("reference")
    if role == "station" and reference is False and v["listen_port"] == 0:
        c.err((*P, "listen_port"), "a real Charging Station must be told where to connect: set a fixed "
                                   "port 1-65535 (0 = any free port works only with reference = true)")
        v["listen_port"] = _MISSING
    url, sp = v["csms_url"], v["security_profile"]
    if isinstance(url, str) and isinstance(sp, int):
        tls = url.lower().startswith("wss://")
        if sp >= 2 and not tls:
            c.err((*P, "csms_url"), f"security profile {sp} uses TLS: the URL must start with wss://")
            v["csms_url"] = url = _MISSING
        elif sp < 2 and tls:
            c.err((*P, "csms_url"), f"security profile {sp} uses no TLS: the URL must start with ws:// "
                                    "(wss:// needs security_profile 2 or 3)")
            v["csms_url"] = url = _MISSING
    if role == "csms" and url is None and reference is False:
        c.required((*P, "csms_url"), "the OCPP-J endpoint of the CSMS under test (ws://... or wss://...), "
                                     "without the station identity")
        v["csms_url"] = _MISSING
    if role == "station" and isinstance(url, str):
        c.err((*P, "csms_url"), "only used when role = 'csms' (here the harness is the CSMS and the "
                                "station connects to ws://<listen_host>:<listen_port><path>/<identity>)")
        v["csms_url"] = _MISSING
    needs_password = isinstance(sp, int) and sp in (1, 2)
    if needs_password and v["password"] is None:
        c.required((*P, "password"), f"security profile {sp} uses HTTP Basic authentication (16-40 "
                                     "characters); pass it with OCPP_CONFORMANCE_CONNECTION__PASSWORD")
        v["password"] = _MISSING
    v["extra_stations"] = _extra_stations(c, t, P, root, needs_password, v["identity"])


def _extra_stations(c: Checker, t: Mapping[str, Any], P: Path_, root: dict[str, Any], needs_password: bool,
                    identity: Any) -> Any:
    value = t.get("extra_stations", [])
    p = (*P, "extra_stations")
    if not isinstance(value, list):
        c.err(p, f"must be a list of stations ([[connection.extra_stations]] with identity, password), "
                 f"got {what(value)}")
        return _MISSING
    if value and _role(root) == "station":
        c.err(p, "only used when role = 'csms' (the harness plays several stations only against a CSMS)")
        return _MISSING
    keys = layout(StationIdentity)
    out: list[StationIdentity] = []
    seen = {identity.lower()} if isinstance(identity, str) else set()
    bad = False
    for i, item in enumerate(value):
        ip = (*p, i)
        if isinstance(item, str):
            item = {"identity": item}
        if not isinstance(item, dict):
            c.err(ip, f"must be a table with identity and password, got {what(item)}")
            bad = True
            continue
        c.unknown(item, ip, list(keys))
        ident = c.read(item, keys["identity"], ip, root)
        if ident is _MISSING:
            bad = True
        elif ident.lower() in seen:
            c.err((*ip, "identity"), f"{ident!r} is already used by another station (identities are case-insensitive)")
            bad = True
        else:
            seen.add(ident.lower())
        pw = c.read(item, keys["password"], ip, root)
        if pw is None and needs_password:
            c.required((*ip, "password"), "the security profile uses HTTP Basic authentication")
            bad = True
        elif pw is _MISSING:
            bad = True
        if not bad:
            out.append(StationIdentity(ident, pw))
    return _MISSING if bad else tuple(out)


# ---------------------------------------------------------------------------------------
# [id_tokens.*]
# ---------------------------------------------------------------------------------------


@rule(IdTokenSpec)
def _id_token(c: Checker, t: Mapping[str, Any], v: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    if v["id_token"] == "" and v["type"] != "NoAuthorization":
        c.err((*P, "id_token"), "must not be empty (only type NoAuthorization has an empty idToken)")
        v["id_token"] = _MISSING


@rule(IdTokens)
def _id_tokens(c: Checker, t: Mapping[str, Any], v: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    for name in ("master_pass", "group"):
        spec = v[name]
        if isinstance(spec, IdTokenSpec) and spec.group_id_token is None:
            why = ("the station's MasterPassGroupId" if name == "master_pass"
                   else "the group shared with other tokens (usually id_tokens.valid.group_id_token)")
            c.required((*P, name, "group_id_token"), why)
            v[name] = _MISSING
    seen: dict[str, str] = {}  # every role needs a different token
    for name, spec in list(v.items()):
        if not isinstance(spec, IdTokenSpec):
            continue
        key = spec.id_token.lower()
        if key in seen:
            c.err((*P, name, "id_token"), f"must differ from id_tokens.{seen[key]}.id_token: each token "
                                          "plays a different role (idTokens are case-insensitive)")
            v[name] = _MISSING
        else:
            seen[key] = name


# ---------------------------------------------------------------------------------------
# [timing]
# ---------------------------------------------------------------------------------------


@rule(Timing)
def _timing(c: Checker, t: Mapping[str, Any], v: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    if any(x is _MISSING for x in v.values()):
        return
    longest = max(("message_timeout", "connect_timeout", "action_timeout"), key=lambda k: v[k])
    if v["case_time_limit"] < v[longest]:
        c.err((*P, "case_time_limit"), f"must be at least the longest single wait ({longest} = "
                                       f"{v[longest]:g}), got {v['case_time_limit']:g}")
        v["case_time_limit"] = _MISSING


# ---------------------------------------------------------------------------------------
# [pics]
# ---------------------------------------------------------------------------------------


@rule(Pics)
def _pics(c: Checker, t: Mapping[str, Any], v: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    v["profiles"] = _profiles(c, t, P)
    features = t.get("features", _MISSING)
    fp = (*P, "features")
    out: set[str] = set()
    bad = False
    if features is _MISSING:
        c.required(fp, "the Part 5 feature ids the SUT supports, e.g. [\"C-01\", \"C-06.1\"] "
                       "(or pics_file = \"pics/....toml\")")
        bad = True
    elif not isinstance(features, list):
        c.err(fp, f"must be a list of Part 5 feature ids, got {what(features)}")
        bad = True
    else:
        for i, f in enumerate(features):
            if not isinstance(f, str) or not _FEATURE_RE.fullmatch(f):
                hint = ""
                if isinstance(f, str) and _FEATURE_RE.fullmatch(f.strip().upper()):
                    hint = f"; did you mean {f.strip().upper()!r}?"
                c.err((*fp, i), f"must be a Part 5 feature id such as 'C-01', 'C-06.1' or 'AS-2', got {show(f)}{hint}")
                bad = True
            elif f in out:
                c.err((*fp, i), f"{f!r} is listed twice")
                bad = True
            else:
                out.add(f)
    hardware = _facts(c, t, "hardware", P, _HARDWARE_RE, "a Part 5 Appendix B hardware id such as 'HFS-8'")
    answers = _facts(c, t, "answers", P, _QUESTION_RE, "a Part 5 Appendix A question id such as 'AQ-2'")
    bad = _errata_ids(c, out, answers, _role(root), P) or bad
    v["features"] = _MISSING if bad else frozenset(out)
    v["hardware"] = hardware if hardware is _MISSING else FrozenDict(hardware)
    v["answers"] = answers if answers is _MISSING else FrozenDict(answers)


def _errata_ids(c: Checker, features: set[str], answers: Any, role: str | None, P: Path_) -> bool:
    """Ids the Part 5 errata removed or renumbered are an error naming the id to use now."""
    catalog = load_catalog()
    bad = False
    for f in sorted(features):
        gone = catalog.removed_features.get(f)
        if gone:
            instead = gone["replaced_by"]
            hint = f"; declare {instead} under [pics.answers] instead" if instead and instead.startswith("AQ-") else (
                f"; use {instead}" if instead else "")
            c.err((*P, "features"), f"{f!r} was removed from Part 5 by erratum {gone['errata']}{hint}")
            bad = True
    if role is None or not isinstance(answers, dict):
        return bad
    renames = catalog.question_renames.get({"station": "CS", "csms": "CSMS"}[role], {})
    for name in answers:
        moved = renames.get(name)
        if moved:
            c.err((*P, "answers", name), f"the {'CSMS' if role == 'csms' else 'Charging Station'} question {name} is "
                                         f"{moved['to']} since Part 5 errata {', '.join(moved['errata'])}; "
                                         f"write {moved['to']} = ... instead")
            bad = True
    return bad


def _profiles(c: Checker, t: Mapping[str, Any], P: Path_) -> Any:
    value = t.get("profiles", ["Core"])
    p = (*P, "profiles")
    if not isinstance(value, list):
        c.err(p, f"must be a list of certification profile names, got {what(value)}")
        return _MISSING
    out: set[str] = set()
    bad = False
    for i, name in enumerate(value):
        if not isinstance(name, str) or name not in CERTIFICATION_PROFILES:
            c.err((*p, i), f"must be a Part 5 certification profile ({', '.join(CERTIFICATION_PROFILES)}), "
                           f"got {show(name)}" + close(name, CERTIFICATION_PROFILES))
            bad = True
        elif name in out:
            c.err((*p, i), f"{name!r} is listed twice")
            bad = True
        else:
            out.add(name)
    return _MISSING if bad else frozenset(out)


def _facts(c: Checker, t: Mapping[str, Any], key: str, P: Path_, form: re.Pattern[str], what_id: str) -> Any:
    p = (*P, key)
    value = t.get(key, {})
    if not isinstance(value, dict):
        c.err(p, f"must be a table of id = value, got {what(value)}")
        return _MISSING
    bad = False
    for name, v in value.items():
        if not form.fullmatch(name):
            guess = name.strip().upper().replace("_", "-")
            hint = f"; did you mean {guess!r}?" if form.fullmatch(guess) else ""
            c.err((*p, name), f"must be {what_id}{hint}")
            bad = True
        elif isinstance(v, dict) and form.fullmatch(f"{name}.1"):  # AQ-13.1 = true read by TOML as a table
            c.err((*p, name), f"quote ids with a dot in TOML: \"{name}.{next(iter(v), '1')}\" = ..., got a table")
            bad = True
        elif isinstance(v, float) or not isinstance(v, (bool, int, str)):
            c.err((*p, name), f"must be true/false, an integer or a string, got {what(v)}")
            bad = True
    return _MISSING if bad else dict(value)


# ---------------------------------------------------------------------------------------
# [actions]
# ---------------------------------------------------------------------------------------


@rule(Actions)
def _actions(c: Checker, t: Mapping[str, Any], v: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    reference = root.get("reference")
    backend = c.string(t, "backend", P, _MISSING)
    bp = (*P, "backend")
    if backend is _MISSING:
        if "backend" not in t and reference is not False:
            backend = "reference"
        elif "backend" not in t:
            c.required(bp, "how the harness performs physical/operator steps on a real SUT: "
                           "'prompt', 'shell' or 'webhook'")
    elif backend not in ACTION_BACKENDS:
        c.err(bp, f"must be one of {choices_text(ACTION_BACKENDS)}, got {show(backend)}"
                  + close(backend, ACTION_BACKENDS))
        backend = _MISSING
    elif reference is True and backend != "reference":
        c.err(bp, f"must be 'reference' when reference = true (the built-in SUT performs its own actions), "
                  f"got {backend!r}")
        backend = _MISSING
    elif reference is False and backend == "reference":
        c.err(bp, "'reference' only drives the built-in reference SUT (reference = true); "
                  "for a real SUT choose 'prompt', 'shell' or 'webhook'")
        backend = _MISSING
    v["backend"] = backend
    if v["command"] is None and backend == "shell":
        c.required((*P, "command"), "the shell command run for each action (backend = 'shell')")
        v["command"] = _MISSING
    if v["url"] is None and backend == "webhook":
        c.required((*P, "url"), "the http:// or https:// URL each action is POSTed to (backend = 'webhook')")
        v["url"] = _MISSING
    v["headers"] = _headers(c, t, P)


def _headers(c: Checker, t: Mapping[str, Any], P: Path_) -> Any:
    headers = t.get("headers", {})
    hp = (*P, "headers")
    bad = False
    if not isinstance(headers, dict):
        c.err(hp, f"must be a table of header name = value, got {what(headers)}")
        return _MISSING
    seen: set[str] = set()
    for hname, hval in headers.items():
        if not _HEADER_NAME_RE.fullmatch(hname):
            c.err((*hp, hname), "not a valid HTTP header name")
            bad = True
        elif hname.lower() in seen:
            c.err((*hp, hname), "header given twice (names are case-insensitive)")
            bad = True
        seen.add(hname.lower())
        if not isinstance(hval, str):
            c.err((*hp, hname), "must be a string")
            bad = True
        elif any(ch in hval for ch in "\r\n\0"):
            c.err((*hp, hname), "must not contain line breaks")
            bad = True
    return _MISSING if bad else FrozenDict(headers)


# ---------------------------------------------------------------------------------------
# [station_values]
# ---------------------------------------------------------------------------------------


@rule(StationValues)
def _station_values(c: Checker, t: Mapping[str, Any], v: dict[str, Any], P: Path_, root: dict[str, Any]) -> None:
    if isinstance(v["configuration_slot"], int) and v["configuration_slot"] == v["configuration_slot2"]:
        c.err((*P, "configuration_slot2"), "must differ from configuration_slot")
        v["configuration_slot2"] = _MISSING
