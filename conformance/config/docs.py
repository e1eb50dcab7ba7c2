"""The key tables of docs/configuration.md, generated from the dataclasses (``python tools/config_doc.py``).

Each table sits between ``<!-- BEGIN config-keys NAME ... -->`` and ``<!-- END config-keys NAME -->`` in the
document; the prose around them is written by hand. tests/test_config.py checks that the document is what
:func:`render` makes of it, so a key added to conformance/config/model.py without regenerating fails there.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from .model import Config
from .reference import reference_config
from .schema import Key, layout

_BLOCK_RE = re.compile(
    r"<!-- BEGIN config-keys (?P<name>\S+) [^>]*-->\n(?P<body>.*?)<!-- END config-keys (?P=name) -->", re.S)
_ANCHOR = "\n## From code"


def literal(value: Any) -> str:
    """A value as TOML spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (frozenset, set)):
        value = sorted(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {literal(v)}" for k, v in value.items()) + "}"
    if dataclasses.is_dataclass(value):
        return "{...}"
    return str(value)


def type_text(k: Key) -> str:
    m = k.meta
    if m.get("type_doc"):
        return m["type_doc"]
    unit = f" ({m['unit']})" if m.get("unit") else ""
    if k.kind == "str":
        return "string" + (f", at most {m['max_len']} characters" if m.get("max_len") else "")
    if k.kind == "int":
        lo, hi = m.get("min"), m.get("max")
        if lo is not None and hi is not None:
            return f"int {lo}-{hi}{unit}"
        if lo == 1:
            return f"int > 0{unit}"
        return (f"int >= {lo}" if lo is not None else "int") + unit
    if k.kind == "float":
        return ("number >= 0" if m.get("min") == 0 else "number > 0") + unit
    return {"bool": "bool", "list[str]": "list of strings", "list[int]": "list of ints", "list": "list of tables",
            "map": "table", "map[str]": "table of strings", "table": "table"}.get(k.kind, k.kind)


def default_text(k: Key) -> str:
    m = k.meta
    if m.get("default_doc"):
        return m["default_doc"]
    if k.required:
        return "required"
    value = k.default()
    if value is None:
        return "none"
    text = f"`{literal(value)}`"
    if "reference_default" in m:
        text += f" (`{literal(m['reference_default'])}` with `reference = true`)"
    return text


def _cell(text: str) -> str:
    return text.replace("\\|", "|").replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _reference_values(root: type, path: tuple[str, ...]) -> dict[str, Any] | None:
    """The reference setups' values of a table when both roles share them, else None."""
    found = []
    for role in ("station", "csms"):
        obj: Any = reference_config(role, root)
        for part in path:
            obj = getattr(obj, layout(type(obj))[part].field.name)
        found.append(obj)
    return None if found[0] != found[1] or not dataclasses.is_dataclass(found[0]) else {
        name: getattr(found[0], k.field.name) for name, k in layout(type(found[0])).items()}


def _key_table(root: type, cls: type, path: tuple[str, ...], reference_column: bool = True) -> str:
    """The key table of ``cls`` at ``path``, with a "reference" column when both reference setups share values
    there that differ from the defaults."""
    keys = [(name, k) for name, k in layout(cls).items()
            if not (k.kind == "table" or (k.kind == "list" and path == ()))]  # tables have tables of their own
    reference = _reference_values(root, path) if path and reference_column else None
    if reference is not None and all(reference[n] == k.default(True) for n, k in keys):
        reference = None  # the reference setups use the defaults: no column needed
    header = ["key", "type", "default"] + (["reference"] if reference is not None else []) + ["meaning"]
    rows = []
    for name, k in keys:
        row = [f"`{name}`", type_text(k), default_text(k)]
        if reference is not None:
            row.append(f"`{literal(reference[name])}`")
        rows.append(row + [k.meta.get("doc", "")])
    return _table(header, rows)


def blocks(root: type = Config) -> dict[str, str]:
    """Every generated table, by block name: "top-level", each table of the layout ("connection", "evse",
    "timing", ...); a table of roles (id_tokens) gives a table of its roles and one "<name>.<role>" of the keys
    every role has."""
    out = {"top-level": _key_table(root, root, ())}
    for name, k in layout(root).items():
        if k.kind not in ("table", "list") or k.cls is None:
            continue
        children = layout(k.cls)
        roles = children and all(c.kind == "table" and c.cls is not None and c.cls is next(iter(children.values())).cls
                                 for c in children.values())
        if roles:
            out[name] = _table(["role", "required", "what"], [
                [f"`{role}`", "yes" if c.required else "no", c.meta.get("doc", "")] for role, c in children.items()])
            first = next(iter(children))
            out[f"{name}.<role>"] = _key_table(root, children[first].cls, (name, first), False)
        else:
            out[name] = _key_table(root, k.cls, (name,))
    return out


def _marked(name: str, body: str) -> str:
    return (f"<!-- BEGIN config-keys {name} (generated by tools/config_doc.py from conformance/config/model.py: "
            f"edit the fields there) -->\n{body}<!-- END config-keys {name} -->")


def render(text: str, root: type = Config) -> str:
    """The document with every generated table brought up to date; a table whose block is missing is added
    before "## From code" under a heading of its own."""
    tables = blocks(root)
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        seen.add(name)
        return _marked(name, tables[name]) if name in tables else match[0]

    text = _BLOCK_RE.sub(replace, text)
    new = [name for name in tables if name not in seen]
    if new:
        extra = "".join(f"### `[{name}]`\n\n{_marked(name, tables[name])}\n\n" for name in new)
        at = text.find(_ANCHOR)
        text = text + "\n" + extra if at < 0 else text[: at + 1] + extra + text[at + 1:]
    return text


def stale(text: str, root: type = Config) -> list[str]:
    """The names of the blocks that are missing or out of date in ``text``."""
    tables = blocks(root)
    found = {m["name"]: m["body"] for m in _BLOCK_RE.finditer(text)}
    return [name for name, body in tables.items() if found.get(name) != body]
