"""The TOML layout derived from the configuration dataclasses, and the generic readers that validate it.

A configuration key is one dataclass field (conformance/config/model.py) declared with :func:`setting`: its
type annotation gives the TOML type, its default the default, its metadata the documentation and the
validation constraints. From those fields this module derives everything that used to be written out by
hand: the key tree (unknown keys, override parsing, environment variable names), reading and validating a
value with a dotted key path and a reason, the ``to_dict`` snapshot with secrets redacted, construction
from TOML-shaped data (the reference setups) and the key tables of docs/configuration.md.

Nothing here knows a particular key: rules that span several keys (a TLS URL for security profile 2, the
EVSE count in the PICS, ...) live in conformance/config/validate.py.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import MISSING, Field, dataclass
from typing import Any, Union

REDACTED = "***"

#: A value that could not be read (its problem is already reported) or a key that is absent.
_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()

Path_ = tuple[str | int, ...]

# Metadata a field may carry (see setting()).
_META = ("doc", "type_doc", "default_doc", "required", "min", "max", "positive", "what", "choices", "max_len",
         "max_len_ref", "secret", "secret_if", "allow_empty", "check", "toml", "internal", "dump", "omit_none",
         "order", "free_text", "reference_default", "custom", "unit", "did_you_mean")


def setting(default: Any = MISSING, *, default_factory: Any = MISSING, compare: bool = True, **meta: Any) -> Any:
    """A configuration key: a dataclass field with its documentation and validation constraints.

    ``default`` / ``default_factory``: the default (none: the key is required; ``required="why"`` is the
    reason given when it is missing). ``doc``: the meaning column of docs/configuration.md; ``type_doc`` /
    ``default_doc`` replace the type / default text derived from the annotation and the default.
    Constraints: ``min`` / ``max`` (numbers; a float without ``min = 0`` must be positive), ``what`` (the
    phrase in "must be <what>, got ..."), ``choices`` (allowed strings), ``max_len`` and ``max_len_ref``
    (the limit and where it comes from), ``allow_empty`` (strings), ``check`` (a function of the value
    returning a reason or None), ``unit`` (shown in the docs: "s", "bytes"). ``secret``: never echoed, "***"
    in snapshots; ``secret_if="other_field"``: secret when that boolean field is true. ``free_text``: a
    string in which an embedded secret is replaced too. ``reference_default``: the default when
    ``reference = true``. ``toml``: the TOML name when it differs from the field name. ``internal``: not a
    TOML key. ``dump=False``: left out of ``to_dict``. ``omit_none``: left out of ``to_dict`` when None.
    ``order``: the sort key of a set in ``to_dict``. ``custom``: read by a rule of validate.py, not by the
    generic reader.
    """
    unknown = set(meta) - set(_META)
    if unknown:
        raise TypeError(f"unknown setting metadata: {', '.join(sorted(unknown))}")
    return dataclasses.field(default=default, default_factory=default_factory, compare=compare, metadata=meta)


# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


class ConfigError(Exception):
    """A configuration that must not run. ``problems`` is a list of (dotted key, reason)."""

    def __init__(self, problems: Sequence[tuple[str, str]] | str, reason: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [(problems, reason or "invalid")]
        self.problems: list[tuple[str, str]] = [(str(k), str(r)) for k, r in problems]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{key}: {reason}" if key else reason for key, reason in self.problems)


# ---------------------------------------------------------------------------------------
# The key tree
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One TOML key: its name, the field it fills and its kind.

    Kinds: "str", "int", "float", "bool", "list[str]", "list[int]", "list" (an array of tables of ``cls``),
    "map" (a table of id = true/false, integer or string), "map[str]" (a table of strings), "table" (a table
    of ``cls``; ``shorthand`` names the key a bare string sets).
    """

    name: str
    field: Field
    kind: str
    cls: type | None = None
    optional: bool = False

    @property
    def meta(self) -> Mapping[str, Any]:
        return self.field.metadata

    @property
    def shorthand(self) -> str | None:
        return getattr(self.cls, "__shorthand__", None) if self.kind == "table" else None

    @property
    def children(self) -> dict[str, Key]:
        return layout(self.cls) if self.kind == "table" and self.cls is not None else {}

    @property
    def required(self) -> bool:
        return self.field.default is MISSING and self.field.default_factory is MISSING

    def default(self, reference: Any = False) -> Any:
        """The default value (``_MISSING`` when the key is required); ``reference``: the run's ``reference``."""
        if reference is True and "reference_default" in self.meta:
            return self.meta["reference_default"]
        if self.field.default is not MISSING:
            return self.field.default
        if self.field.default_factory is not MISSING:
            return self.field.default_factory()
        return _MISSING


def _kind(tp: Any) -> tuple[str, type | None, bool]:
    """(kind, dataclass, optional) of a field's type annotation."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        optional = len(rest) < len(args)
        if len(rest) == 1:
            kind, cls, _ = _kind(rest[0])
            return kind, cls, optional
        return "value", None, optional  # bool | int | str
    if tp is bool:
        return "bool", None, False
    if tp in (int, float, str):
        return tp.__name__, None, False
    if origin in (tuple, list, frozenset, set):
        item = args[0] if args else Any
        if dataclasses.is_dataclass(item):
            return "list", item, False
        return f"list[{item.__name__ if isinstance(item, type) else 'str'}]", None, False
    if origin in (Mapping, dict) or tp in (Mapping, dict):
        return ("map[str]" if len(args) == 2 and args[1] is str else "map"), None, False
    if dataclasses.is_dataclass(tp):
        return "table", tp, False
    raise TypeError(f"no TOML kind for {tp!r}")


def _toml_fields(cls: type) -> list[Field]:
    """The dataclass fields in TOML order: those named in ``cls.__toml_order__`` first, then the rest; the
    internal ones (not TOML keys, e.g. ``source``) last."""
    fields = list(dataclasses.fields(cls))
    order = getattr(cls, "__toml_order__", ())
    return sorted(fields, key=lambda f: (bool(f.metadata.get("internal")),
                                         order.index(f.name) if f.name in order else len(order)))


@functools.cache
def _keys(cls: type) -> tuple[Key, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in _toml_fields(cls):
        kind, sub, optional = _kind(hints[f.name])
        out.append(Key(f.metadata.get("toml", f.name), f, kind, sub, optional))
    return tuple(out)


@functools.cache
def layout(cls: type) -> dict[str, Key]:
    """The TOML keys of a configuration dataclass, in TOML order (internal fields left out)."""
    return {k.name: k for k in _keys(cls) if not k.meta.get("internal")}


def known(cls: type) -> list[str]:
    return list(layout(cls))


def kind_at(root: type, path: Sequence[str]) -> str | None:
    """The kind at a key path (for override parsing): "str", "int", ..., "table", "map-value", "token"
    (a table with a shorthand: a bare string or an inline table), or None for an unknown key."""
    keys = layout(root)
    node: Key | None = None
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if node is not None and node.kind == "map":
            return "map-value" if last else None
        if node is not None and node.kind == "map[str]":
            return "str" if last else None
        if node is not None:
            keys = node.children
        if part not in keys:
            return None
        node = keys[part]
    if node is None:
        return None
    if node.kind == "table":
        return "token" if node.shorthand else "table"
    return node.kind


def sections(root: type) -> list[str]:
    """The top-level keys that are tables or arrays of tables (an environment variable names one first)."""
    return [name for name, k in layout(root).items() if k.kind in ("table", "list")]


# ---------------------------------------------------------------------------------------
# Snapshots: to_dict, secrets, construction from TOML-shaped data
# ---------------------------------------------------------------------------------------


def _red(value: Any, redact: bool) -> Any:
    return REDACTED if (redact and value) else value


def scrub(text: str, secrets: Sequence[str]) -> str:
    for s in secrets:
        text = text.replace(s, REDACTED)
    return text


def dump(obj: Any, redact: bool, long_secrets: Sequence[str] = ()) -> dict[str, Any]:
    """The TOML-shaped, JSON-able form of a configuration dataclass; secrets "***" when ``redact``."""
    out: dict[str, Any] = {}
    for k in _keys(type(obj)):
        m = k.meta
        if m.get("dump", True) is False:
            continue
        value = getattr(obj, k.field.name)
        if value is None and m.get("omit_none"):
            continue
        secret = bool(m.get("secret")) or bool(m.get("secret_if") and getattr(obj, m["secret_if"]))
        out[k.name] = _dump_value(k, value, redact, secret, long_secrets)
    return out


def _dump_value(k: Key, value: Any, redact: bool, secret: bool, long_secrets: Sequence[str]) -> Any:
    if value is None:
        return None
    if dataclasses.is_dataclass(value):
        return dump(value, redact, long_secrets)
    if isinstance(value, Mapping):
        return {name: _red(v, redact and secret) for name, v in value.items()}
    if isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(value, key=k.meta["order"]) if "order" in k.meta else (
            sorted(value) if isinstance(value, (frozenset, set)) else list(value))
        return [dump(v, redact, long_secrets) if dataclasses.is_dataclass(v) else v for v in items]
    if isinstance(value, str):
        if secret:
            return _red(value, redact)
        if redact and k.meta.get("free_text"):
            return scrub(value, long_secrets)
    return value


def secret_values(obj: Any) -> tuple[str, ...]:
    """Every secret value in a configuration: the always-secret ones (passwords, header values) in key
    order, then those that are secret by a flag (id tokens with ``secret = true``); no duplicates."""
    return tuple(dict.fromkeys([*_secrets(obj, False), *_secrets(obj, True)]))


def _secrets(obj: Any, flagged: bool) -> Iterator[str]:
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        m = f.metadata
        secret = m.get("secret_if") and getattr(obj, m["secret_if"]) if flagged else m.get("secret")
        if secret and isinstance(value, str) and value:
            yield value
        elif secret and isinstance(value, Mapping):
            yield from (v for v in value.values() if isinstance(v, str) and v)
        elif dataclasses.is_dataclass(value):
            yield from _secrets(value, flagged)
        elif isinstance(value, tuple):
            for item in value:
                if dataclasses.is_dataclass(item):
                    yield from _secrets(item, flagged)


def build(cls: type, data: Mapping[str, Any], reference: bool = False) -> Any:
    """A configuration dataclass from TOML-shaped data, without validation (the reference setups);
    absent keys take their default (``reference_default`` when ``reference``)."""
    kwargs: dict[str, Any] = {}
    for name, k in layout(cls).items():
        if name not in data:
            if reference and "reference_default" in k.meta:
                kwargs[k.field.name] = k.meta["reference_default"]
            continue
        kwargs[k.field.name] = _build_value(k, data[name], reference)
    return cls(**kwargs)


def _build_value(k: Key, value: Any, reference: bool) -> Any:
    if value is None:
        return None
    if k.kind == "table":
        if isinstance(value, str) and k.shorthand:
            value = {k.shorthand: value}
        return build(k.cls, value, reference)  # type: ignore[arg-type]
    if k.kind == "list":
        return tuple(build(k.cls, v, reference) for v in value)  # type: ignore[arg-type]
    if k.kind == "float":
        return float(value)
    return value


# ---------------------------------------------------------------------------------------
# Message helpers
# ---------------------------------------------------------------------------------------


def fmt_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def choices_text(values: Sequence[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def suggest(word: str, candidates: Sequence[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else f" (known keys: {', '.join(sorted(candidates))})"


def close(word: Any, choices: Sequence[str]) -> str:
    if not isinstance(word, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return f"; did you mean {lowered[word.lower()]!r}?"
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def show(value: Any) -> str:
    """A value for an error message (type-aware, short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def what(value: Any) -> str:
    """The type of a value, for messages where the value itself may hold a secret."""
    if isinstance(value, bool):
        return "true" if value else "false"
    for kind, name in ((dict, "a table"), (list, "a list"), (str, "a string"), (int, "an integer"),
                       (float, "a number")):
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


def reason_with_origin(reason: str, origin: str | None) -> str:
    return f"{reason} ({origin})" if origin else reason


# ---------------------------------------------------------------------------------------
# Generic readers: every problem is collected with its dotted key and a reason
# ---------------------------------------------------------------------------------------


class Checker:
    """Reads TOML-shaped data against the dataclasses, collecting (dotted key, reason) problems.

    ``origin(path)`` says where a value came from ("set by OCPP_CONFORMANCE_...", "set on the command
    line"), appended to the reason. A reader returns the value, or ``_MISSING`` after reporting a problem.
    ``rules`` maps a dataclass to a function ``rule(checker, table, values, path, root)`` that reads its
    ``custom`` fields and checks what spans several keys, setting a value to ``_MISSING`` when it fails;
    ``readers`` maps (dataclass, field name) to a function ``reader(checker, table, values, path, root)``
    that reads one ``custom`` field in its place (the fields before it are in ``values``).
    """

    rules: Mapping[type, Callable[..., None]] = {}
    readers: Mapping[tuple[type, str], Callable[..., Any]] = {}

    def __init__(self, problems: list[tuple[str, str]], origin: Callable[[Path_], str | None] = lambda p: None):
        self.problems = problems
        self.origin = origin

    def err(self, path: Path_, reason: str) -> None:
        self.problems.append((fmt_path(path), reason_with_origin(reason, self.origin(path))))

    def required(self, path: Path_, why: str = "") -> None:
        self.err(path, "required" + (f": {why}" if why else ""))

    # -- primitive readers ---------------------------------------------------------------

    def unknown(self, table: Mapping[str, Any], path: Path_, known: Sequence[str]) -> None:
        for key in table:
            if key not in known:
                self.err((*path, key), "unknown key" + suggest(key, known))

    def string(self, table: Mapping[str, Any], key: str, path: Path_, default: Any = _MISSING, *,
               secret: bool = False, allow_empty: bool = False) -> Any:
        value = table.get(key, default)
        p = (*path, key)
        if value is _MISSING or value is None:  # None only ever comes from the default
            return value
        if not isinstance(value, str):
            self.err(p, f"must be a string, got {'a value of another type' if secret else show(value)}")
            return _MISSING
        if not value and not allow_empty:
            self.err(p, "must not be empty")
            return _MISSING
        return value

    def boolean(self, table: Mapping[str, Any], key: str, path: Path_, default: Any) -> Any:
        value = table.get(key, default)
        if value is _MISSING or value is None or isinstance(value, bool):
            return value
        self.err((*path, key), f"must be true or false, got {show(value)}")
        return _MISSING

    def integer(self, table: Mapping[str, Any], key: str, path: Path_, default: Any, lo: int | None = None,
                hi: int | None = None, what: str = "an integer") -> Any:
        value = table.get(key, default)
        p = (*path, key)
        if value is _MISSING or (value is None and key not in table):
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(p, f"must be {what}, got {show(value)}")
            return _MISSING
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.err(p, f"must be {what}, got {value}")
            return _MISSING
        return value

    def number(self, table: Mapping[str, Any], key: str, path: Path_, default: Any, *,
               allow_zero: bool = False) -> Any:
        value = table.get(key, default)
        p = (*path, key)
        if value is _MISSING or (value is None and key not in table):
            return value
        what = "a number >= 0" if allow_zero else "a positive number"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.err(p, f"must be {what} (seconds), got {show(value)}")
            return _MISSING
        if not math.isfinite(value):
            self.err(p, f"must be a finite number, got {value}")
            return _MISSING
        if value < 0 or (value == 0 and not allow_zero):
            self.err(p, f"must be {what}, got {value:g}")
            return _MISSING
        return float(value)

    # -- a key by its field ----------------------------------------------------------------

    def read(self, table: Mapping[str, Any], k: Key, path: Path_, root: Mapping[str, Any]) -> Any:
        """One scalar key, by its kind and its field's constraints; a missing required key is reported."""
        m = k.meta
        p = (*path, k.name)
        default = k.default(root.get("reference", False))
        if k.kind == "str":
            secret = bool(m.get("secret")) or bool(m.get("secret_if") and table.get(m["secret_if"], False)
                                                   is not False)
            value = self.string(table, k.name, path, default, secret=secret, allow_empty=bool(m.get("allow_empty")))
        elif k.kind == "bool":
            value = self.boolean(table, k.name, path, default)
        elif k.kind == "int":
            value = self.integer(table, k.name, path, default, m.get("min"), m.get("max"), m.get("what", "an integer"))
        elif k.kind == "float":
            value = self.number(table, k.name, path, default, allow_zero=m.get("min") == 0)
        else:
            raise TypeError(f"{fmt_path(p)}: a {k.kind} key needs a custom reader")
        if value is _MISSING:
            if k.name not in table and default is _MISSING:
                why = m.get("required", "")
                self.required(p, why if isinstance(why, str) else "")
            return _MISSING
        if value is None:
            return value
        return self.constrain(value, k, p)

    def constrain(self, value: Any, k: Key, p: Path_) -> Any:
        """The constraints of a field beyond its type: choices, max_len, check."""
        m = k.meta
        choices = m.get("choices")
        if choices is not None and value not in choices:
            if not (value == "" and m.get("allow_empty")):
                self.err(p, f"must be {m.get('what') or 'one of ' + choices_text(choices)}, got {show(value)}"
                            + (close(value, choices) if m.get("did_you_mean", True) else ""))
                return _MISSING
        limit = m.get("max_len")
        if limit is not None and isinstance(value, str) and len(value) > limit:
            ref = f" ({m['max_len_ref']})" if m.get("max_len_ref") else ""
            self.err(p, f"must be at most {limit} characters{ref}, got {len(value)}")
            return _MISSING
        check = m.get("check")
        if check is not None:
            why = check(value)
            if why:
                self.err(p, why)
                return _MISSING
        return value

    # -- a table by its dataclass ----------------------------------------------------------

    def section(self, table: Mapping[str, Any], cls: type, path: Path_, root: dict[str, Any]) -> Any:
        """A table of ``cls`` (unknown keys already checked): every non-custom key by its field, then the
        class's rule; ``root`` is the top level read so far (``role``, ``reference``). ``root`` is filled in
        as keys are read when ``table`` is the top level itself."""
        values: dict[str, Any] = root if not path else {}
        for name, k in layout(cls).items():
            if k.meta.get("custom"):
                reader = next((self.readers[(c, k.field.name)] for c in cls.__mro__
                               if (c, k.field.name) in self.readers), None)
                if reader is not None:
                    values[k.field.name] = reader(self, table, values, path, root)
                continue
            if k.kind == "table":
                values[k.field.name] = self.subtable(table, k, path, root)
            elif k.kind in ("str", "bool", "int", "float"):
                values[k.field.name] = self.read(table, k, path, root)
            else:
                raise TypeError(f"{fmt_path((*path, name))}: a {k.kind} key needs custom = True and a rule")
        rule = next((self.rules[c] for c in cls.__mro__ if c in self.rules), None)  # a subclass keeps its rules
        if rule is not None:
            rule(self, table, values, path, root)
        if any(v is _MISSING for v in values.values()):
            return _MISSING
        return cls(**{f.name: values[f.name] for f in dataclasses.fields(cls) if f.name in values})

    def subtable(self, parent: Mapping[str, Any], k: Key, path: Path_, root: dict[str, Any]) -> Any:
        p = (*path, k.name)
        value = parent.get(k.name)
        if value is None:
            if "required" in k.meta:
                why = k.meta["required"]
                self.required(p, why if isinstance(why, str) else "")
                return _MISSING
            if k.optional:
                return None
            value = {}
        if isinstance(value, str) and k.shorthand:
            value = {k.shorthand: value}
        if not isinstance(value, dict):
            if k.shorthand:
                self.err(p, f"must be a table ({', '.join(known(k.cls))}) or a token string, got {what(value)}")
                return _MISSING
            self.err(p, f"must be a table, got {what(value)}")
            self.section({}, k.cls, p, root)  # type: ignore[arg-type]  # its required keys are reported too
            return _MISSING
        self.unknown(value, p, known(k.cls))
        return self.section(value, k.cls, p, root)  # type: ignore[arg-type]
