"""Loading a configuration: built-in defaults < the TOML file (and its ``pics_file``) < environment variables
``OCPP_CONFORMANCE_<SECTION>__<KEY>`` < CLI overrides ``key.path=value``, every value remembering where it came
from, then validated as a whole (validate.py). The key tree that says which variables and overrides exist and
how their text is parsed is derived from the dataclasses (schema.py)."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .model import ROLES, Config
from .reference import reference_config
from .schema import (
    ConfigError,
    choices_text,
    fmt_path,
    kind_at,
    known,
    layout,
    reason_with_origin,
    sections,
    show,
    suggest,
)
from .validate import build

ENV_PREFIX = "OCPP_CONFORMANCE_"

# ---------------------------------------------------------------------------------------
# Layers: parsed sources with provenance
# ---------------------------------------------------------------------------------------


class _Layers:
    """Deep-merges raw TOML-shaped dicts, remembering which source set each value."""

    def __init__(self, model: type = Config) -> None:
        self.model = model
        self.data: dict[str, Any] = {}
        self.origins: dict[tuple[str, ...], str] = {}

    def merge(self, layer: Mapping[str, Any], origin: str | Mapping[tuple[str, ...], str]) -> None:
        self._merge(self.data, _normalize(layer, self.model), (), origin)

    def _merge(self, into: dict[str, Any], layer: Mapping[str, Any], prefix: tuple[str, ...], origin: Any) -> None:
        for key, value in layer.items():
            path = (*prefix, key)
            if isinstance(value, Mapping) and isinstance(into.get(key), dict):
                self._merge(into[key], value, path, origin)
                continue
            into[key] = _copy(value)
            for p in [p for p in self.origins if p[: len(path)] == path]:
                del self.origins[p]
            if isinstance(origin, str):
                self.origins[path] = origin
            else:
                label = _lookup(origin, path)
                if label is not None:
                    self.origins[path] = label
                for p, lab in origin.items():  # a new subtree: keep its leaves' origins
                    if len(p) > len(path) and p[: len(path)] == path:
                        self.origins[p] = lab

    def origin(self, path: Sequence[str | int]) -> str | None:
        # only the leading string parts are tracked (lists are replaced as a whole)
        keys: list[str] = []
        for p in path:
            if isinstance(p, int):
                break
            keys.append(p)
        for n in range(len(keys), 0, -1):
            label = self.origins.get(tuple(keys[:n]))
            if label is not None:
                return label
        # a table made only by deeper settings (e.g. an unknown section set by a variable)
        below = {lab for p, lab in self.origins.items() if p[: len(keys)] == tuple(keys) and lab}
        return below.pop() if len(below) == 1 else None


def _normalize(layer: Mapping[str, Any], model: type) -> Mapping[str, Any]:
    """Expand shorthands so that layers merge key by key: ``id_tokens.valid = "ABC"`` is
    ``[id_tokens.valid] id_token = "ABC"`` (a table whose class names its ``__shorthand__`` key)."""
    keys = layout(model)
    out: dict[str, Any] | None = None
    for name, value in layer.items():
        k = keys.get(name)
        if k is None or k.kind != "table" or not isinstance(value, Mapping):
            continue
        children = k.children
        changed = {key: {children[key].shorthand: v} for key, v in value.items()
                   if isinstance(v, str) and key in children and children[key].shorthand}
        if changed:
            out = dict(layer) if out is None else out
            out[name] = {**value, **changed}
    return layer if out is None else out


def _lookup(origins: Mapping[tuple[str, ...], str], path: tuple[str, ...]) -> str | None:
    for n in range(len(path), 0, -1):
        if path[:n] in origins:
            return origins[path[:n]]
    return None


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _set_path(tree: dict[str, Any], path: Sequence[str], value: Any) -> str | None:
    """Set ``value`` at ``path`` in ``tree``, creating tables; returns an error or None."""
    node = tree
    for i, part in enumerate(path[:-1]):
        nxt = node.get(part)
        if nxt is None:
            nxt = node[part] = {}
        elif not isinstance(nxt, dict):
            return f"{fmt_path(path[: i + 1])} is not a table"
        node = nxt
    node[path[-1]] = value
    return None


_KEY_PART_RE = re.compile(r"[A-Za-z0-9_\-]+")

_STRUCTURED = {"table": "an inline table {key = value, ...}", "map": "an inline table {key = value, ...}",
               "map[str]": "an inline table {key = value, ...}", "list": "an array [...]"}


def _parse_value(raw: str, kind: str | None) -> tuple[Any, str | None]:
    """Parse an override value: a TOML value, falling back to the plain string. String-typed
    keys take the text verbatim unless it is a quoted TOML string; list-of-string keys also
    accept ``a,b,c``; an id token takes a token string or an inline table. Returns
    (value, problem); the problem never quotes the value (it may be a secret)."""
    text = raw.strip()
    if kind in ("str", "token"):
        if kind == "token" and text[:1] == "{":
            parsed, err = _toml_value(text)
            return (parsed, None) if err is None else (None, f"must be {_STRUCTURED['table']} or a token: {err}")
        if text[:1] in ("'", '"'):
            parsed, _ = _toml_value(text)
            if isinstance(parsed, str):
                return parsed, None
        return raw, None
    parsed, err = _toml_value(text)
    if err is None:
        if kind == "list[str]" and isinstance(parsed, str):
            return [parsed], None
        return parsed, None
    if kind == "list[str]":
        return [p.strip() for p in text.split(",") if p.strip()], None
    if kind in _STRUCTURED:
        return None, f"must be {_STRUCTURED[kind]} in TOML syntax: {err}"
    return raw, None


def _toml_value(text: str) -> tuple[Any, str | None]:
    try:
        return tomllib.loads(f"v = {text}")["v"], None
    except tomllib.TOMLDecodeError as exc:
        return None, str(exc)
    except (ValueError, KeyError) as exc:
        return None, str(exc)


def _cli_layer(overrides: Sequence[str], problems: list[tuple[str, str]], model: type) -> tuple[dict[str, Any], dict]:
    tree: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}
    for item in overrides:
        if not isinstance(item, str) or "=" not in item:
            shown = item.split("=")[0] if isinstance(item, str) else repr(item)
            problems.append((shown or "<override>", "an override must look like key.path=value"))
            continue
        key, raw = item.split("=", 1)
        key = key.strip()
        parts = key.split(".")
        if not all(_KEY_PART_RE.fullmatch(p) for p in parts):
            problems.append(
                (key or "<override>", "not a valid key path (dotted names such as timing.message_timeout; "
                 "lists are set as a whole, e.g. evse=[{id=1, connectors=[1]}])")
            )
            continue
        value, why = _parse_value(raw, kind_at(model, parts))
        if why:
            problems.append((key, f"{why} (set on the command line)"))
            continue
        err = _set_path(tree, parts, value)
        if err:
            problems.append((key, f"conflicting overrides: {err}"))
            continue
        origins[tuple(parts)] = "set on the command line"
    return tree, origins


def _env_layer(env: Mapping[str, str], problems: list[tuple[str, str]], model: type) -> tuple[dict[str, Any], dict]:
    tree: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}
    top = known(model)
    heads = sections(model)
    for var in sorted(env):
        if not var.startswith(ENV_PREFIX):
            continue
        rest = var[len(ENV_PREFIX):]
        parts = [p.lower() for p in rest.split("__")]
        if len(parts) == 1 and parts[0] not in top:
            # Not a config key: maybe a typo, maybe a variable of another tool using the prefix.
            head = next((s for s in heads if parts[0].startswith(s + "_")), None)
            if head is not None:
                tail = rest[len(head) + 1:]
                problems.append(
                    (var, f"separate the section from the key with a double underscore: "
                          f"{ENV_PREFIX}{head.upper()}__{tail}")
                )
            elif difflib.get_close_matches(parts[0], top, n=1, cutoff=0.8):
                problems.append((var, "unknown configuration variable" + suggest(parts[0], top)))
            continue
        if not all(_KEY_PART_RE.fullmatch(p) for p in parts):
            problems.append((var, "not a valid configuration variable name (OCPP_CONFORMANCE_<SECTION>__<KEY>)"))
            continue
        value, why = _parse_value(env[var], kind_at(model, parts))
        if why:
            problems.append((fmt_path(parts), f"{why} (set by {var})"))
            continue
        err = _set_path(tree, parts, value)
        if err:
            problems.append((var, f"conflicts with another variable: {err}"))
            continue
        origins[tuple(parts)] = f"set by {var}"
    return tree, origins


def _read_toml(path: Path, key: str, problems: list[tuple[str, str]]) -> dict[str, Any] | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        problems.append((key, f"file not found: {path}"))
        return None
    except IsADirectoryError:
        problems.append((key, f"is a directory, not a TOML file: {path}"))
        return None
    except UnicodeDecodeError as exc:
        problems.append((key, f"not UTF-8 text ({exc.reason} at byte {exc.start}): {path}"))
        return None
    except OSError as exc:
        problems.append((key, f"cannot read {path}: {exc.strerror or exc}"))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append((key, f"not valid TOML: {exc}"))
        return None


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------


def load_config(
    path: str | Path | None = None,
    *,
    overrides: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    role: str | None = None,
    model: type = Config,
) -> Any:
    """Load, merge and validate a configuration; raise :class:`ConfigError` listing every problem.

    ``path``: the SUT's TOML file; None starts from the reference setup (:func:`default_config`) (``role`` or a
    ``role`` override says which). ``overrides``: ``key.path=value`` strings (CLI).
    ``env``: the environment (default ``os.environ``); ``OCPP_CONFORMANCE_<SECTION>__<KEY>``.
    ``role``: the role the caller needs; a configuration for the other role is an error.
    ``model``: the root dataclass (a subclass of :class:`Config`, e.g. a test's with a key of its own).
    """
    problems: list[tuple[str, str]] = []
    if role is not None and role not in ROLES:
        raise ConfigError([("role", f"must be one of {choices_text(ROLES)}, got {role!r}")])
    env_tree, env_origins = _env_layer(os.environ if env is None else env, problems, model)
    cli_tree, cli_origins = _cli_layer(overrides, problems, model)

    layers = _Layers(model)
    base_dir = Path.cwd()
    if path is None:
        source = "<defaults>"
        wanted = role or cli_tree.get("role") or env_tree.get("role")
        if wanted not in ROLES:
            why = "required: say which kind of SUT to test, 'station' or 'csms'" if wanted is None else (
                f"must be one of {choices_text(ROLES)}, got {wanted!r}")
            raise ConfigError([*problems, ("role", why)])
        layers.merge(_raw(reference_config(wanted, model)), "built-in default")
        file_tree: dict[str, Any] = {}
    else:
        file_path = Path(path)
        source = str(path)
        base_dir = file_path.parent
        loaded = _read_toml(file_path, source, problems)
        if loaded is None:
            raise ConfigError(problems)
        file_tree = loaded

    # pics_file: resolved relative to the config file when set there, else to the cwd.
    merged_probe = _Layers(model)
    merged_probe.merge(file_tree, "file")
    merged_probe.merge(env_tree, env_origins)
    merged_probe.merge(cli_tree, cli_origins)
    pics_file = merged_probe.data.get("pics_file")
    if pics_file is not None:
        if not isinstance(pics_file, str) or not pics_file.strip():
            problems.append(("pics_file", reason_with_origin(
                f"must be a path to a TOML file, got {show(pics_file)}", merged_probe.origin(("pics_file",)))))
        else:
            where = merged_probe.origin(("pics_file",))
            pdir = base_dir if where == "file" else Path.cwd()
            ppath = Path(pics_file).expanduser()
            if not ppath.is_absolute():
                ppath = pdir / ppath
            pics_raw = _read_toml(ppath, "pics_file", problems)
            if pics_raw is not None:
                if set(pics_raw) == {"pics"} and isinstance(pics_raw["pics"], dict):
                    pics_raw = pics_raw["pics"]  # a file that kept its [pics] header
                label = f"in pics file {ppath}"
                layers.merge({"pics": pics_raw}, label)

    layers.merge(file_tree, "")  # the file itself: no suffix needed
    layers.merge(env_tree, env_origins)
    layers.merge(cli_tree, cli_origins)
    if role is not None and "role" not in layers.data:
        layers.data["role"] = role

    found = layers.data.get("role")
    if role is not None and found in ROLES and found != role:
        problems.append(("role", reason_with_origin(
            f"this configuration is for a {found!r} SUT, but a {role!r} run was requested", layers.origin(("role",)))))
    config = build(layers.data, problems, layers.origin, source, model)
    if problems or config is None:
        raise ConfigError(problems)
    return config


def _raw(config: Config) -> dict[str, Any]:
    """The TOML-shaped raw form of a config (no secrets redacted, no None values)."""
    d = config.to_dict(redact=False)
    d.pop("source", None)
    return _drop_none(d)


def _drop_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj
