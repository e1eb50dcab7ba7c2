"""The import rule of ARCHITECTURE.md, enforced: imports go down the layers, no cycles (issue 11 item 4).

The rule is read from ARCHITECTURE.md itself ("The import rule": who may import whom, the outside modules only
some units may import, the exceptions with their reasons), so the document and the test cannot drift apart.
Every module of ``conformance/`` and ``testcases/`` is parsed with :mod:`ast` (nothing is imported, no side
effects); imports inside functions and under ``TYPE_CHECKING`` count like the others.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from support import REPO

ROOT = "conformance"  # the package root: every unit may import it (__version__, SPEC_EDITION)
SOURCES = ("conformance", "testcases")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. conformance.harness.sides
    target: str  # what it imports: a module of ours (the longest that exists) or an outside top-level module
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`

    @property
    def where(self) -> str:
        return f"{self.module}:{self.line}" + (" (TYPE_CHECKING)" if self.type_only else "")


# --------------------------------------------------------------------------------------------
# The rule, as ARCHITECTURE.md writes it
# --------------------------------------------------------------------------------------------


def _names(cell: str) -> tuple[str, ...]:
    return tuple(re.findall(r"`([^`]+)`", cell))


@cache
def rule_tables() -> dict[tuple[str, ...], list[list[str]]]:
    """The Markdown tables of ARCHITECTURE.md's "The import rule" section, by their header row."""
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    match = re.search(r"^## The import rule\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, "ARCHITECTURE.md has no section '## The import rule'"
    tables: dict[tuple[str, ...], list[list[str]]] = {}
    rows: list[list[str]] = []
    for line in [*match.group(1).splitlines(), ""]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            header, _, *body = rows
            tables[tuple(header)] = body
            rows = []
    return tables


def _table(*header: str) -> list[list[str]]:
    tables = rule_tables()
    assert header in tables, f"ARCHITECTURE.md's import rule has no table {' | '.join(header)} (has {list(tables)})"
    return tables[header]


def allowed_imports() -> dict[str, frozenset[str]]:
    """unit -> the units it may import."""
    return {_names(unit)[0]: frozenset(_names(may)) for unit, may in _table("unit", "may import")}


def outside_modules() -> dict[str, frozenset[str]]:
    """outside module (pytest, asyncio, ...) -> the units that may import it."""
    return {_names(module)[0]: frozenset(_names(units)) for module, units in _table("module", "only in")}


def exceptions() -> dict[tuple[str, str], str]:
    """(importing module, imported unit) -> the reason it is allowed all the same."""
    found = {}
    for module, unit, reason in _table("module", "imports", "reason"):
        assert reason, f"the exception {module} -> {unit} gives no reason"
        found[(_names(module)[0], _names(unit)[0])] = reason
    return found


# --------------------------------------------------------------------------------------------
# The imports, as the code has them
# --------------------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for source in SOURCES for p in sorted((REPO / source).rglob("*.py"))}


def unit_of(module: str) -> str:
    """The unit a module belongs to: conformance.harness.sides -> harness, testcases.station... -> testcases,
    conformance -> conformance (the root), asyncio.events -> asyncio."""
    parts = module.split(".")
    if parts[0] == "conformance":
        return parts[1] if len(parts) > 1 else ROOT
    return parts[0]


def _ours(name: str) -> str:
    """The longest module of ours that ``name`` (a module or a name in one) is in."""
    while name not in modules() and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return inside


def imports_of(module: str) -> Iterator[Import]:
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    type_only = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # `from package import module` imports that module; `from module import name` the module
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules() else source
                       for alias in node.names]
        else:
            continue
        for target in dict.fromkeys(targets):
            ours = target.split(".")[0] in SOURCES
            yield Import(module, _ours(target) if ours else target.split(".")[0], node.lineno, id(node) in type_only)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(i for module in modules() for i in imports_of(module))


# --------------------------------------------------------------------------------------------
# The walker itself
# --------------------------------------------------------------------------------------------


def test_the_walker_sees_every_kind_of_import() -> None:
    found = {(i.target, i.type_only) for i in imports_of("conformance.harness.reports")}
    assert ("conformance.protocol.patterns", False) in found  # from ..protocol.patterns import ABSENT
    assert ("conformance.harness.context", False) in found  # from . import context
    assert ("conformance.harness.sent_reports", False) in found  # from .sent_reports import SentReport
    assert ("asyncio", False) in {(i.target, i.type_only) for i in imports_of("conformance.harness.sent_reports")}
    assert any(t == "conformance.harness.sides" and type_only for t, type_only in found)  # under TYPE_CHECKING
    deferred = {i.target for i in imports_of("conformance.cli")}  # cli imports inside its functions
    assert "conformance.pytest_plugin" in deferred and "conformance.faults" in deferred
    assert unit_of("conformance.harness.reusable_states.station") == "harness"
    assert unit_of("testcases.station.b_provisioning._steps") == "testcases" and unit_of("conformance") == ROOT


# --------------------------------------------------------------------------------------------
# The rule
# --------------------------------------------------------------------------------------------


def test_the_table_names_every_unit_and_only_units_that_exist() -> None:
    units = {unit_of(m) for m in modules()} - {ROOT}
    table = allowed_imports()
    assert sorted(units - set(table)) == [], "units ARCHITECTURE.md's import rule does not place"
    assert sorted(set(table) - units) == [], "units in ARCHITECTURE.md's import rule that do not exist"
    unknown = {(u, m) for u, may in table.items() for m in may if m not in table}
    assert not unknown, f"the import rule names units that do not exist: {sorted(unknown)}"


def test_the_table_goes_down_the_layers() -> None:
    """The table itself has no cycle, so code that follows it has none between units."""
    table = allowed_imports()
    done: set[str] = set()

    def visit(unit: str, path: tuple[str, ...]) -> None:
        assert unit not in path, f"the import rule has a cycle: {' -> '.join((*path, unit))}"
        if unit not in done:
            for lower in table[unit]:
                visit(lower, (*path, unit))
            done.add(unit)

    for unit in table:
        visit(unit, ())


def test_the_rule_keeps_the_layers_apart() -> None:
    """What issue 11 asks of the table itself, so that loosening it is a visible change of this test too."""
    table = allowed_imports()
    assert not table["protocol"] and not table["device_model"] and not table["faults"]
    assert not {"harness", "reference", "reporting"} & table["transport"]
    assert not {"reference", "reporting"} & table["harness"] and not {"harness", "reporting"} & table["reference"]
    assert not {"transport", "harness", "reference"} & table["reporting"]
    assert "reference" not in table["testcases"]


def _violations(imports: tuple[Import, ...] | None = None) -> dict[tuple[str, str], list[Import]]:
    """(importing module, imported unit) -> the imports against the table (all the code's when ``imports`` is None)."""
    table, found = allowed_imports(), {}
    for i in all_imports() if imports is None else imports:
        source, target = unit_of(i.module), unit_of(i.target)
        if i.target.split(".")[0] in SOURCES and target not in (source, ROOT) and target not in table[source]:
            found.setdefault((i.module, target), []).append(i)
    return found


def test_imports_go_down_the_layers() -> None:
    allowed = exceptions()
    wrong = [f"{unit_of(m)} may not import {t}: {', '.join(f'{i.where} imports {i.target}' for i in imports)}"
             for (m, t), imports in _violations().items() if (m, t) not in allowed]
    assert not wrong, "imports against ARCHITECTURE.md's import rule:\n" + "\n".join(wrong)


def test_an_import_up_the_layers_is_found() -> None:
    up = Import("conformance.protocol.frames", "conformance.transport.connection", 1, False)
    cousin = Import("conformance.harness.sides", "conformance.reference.station.core", 2, True)
    same = Import("conformance.harness.sides", "conformance.harness.checks", 3, False)
    down = Import("conformance.harness.sides", "conformance.device_model.model", 4, False)
    assert set(_violations((up, cousin, same, down))) == {("conformance.protocol.frames", "transport"),
                                                           ("conformance.harness.sides", "reference")}


def test_every_exception_is_still_needed() -> None:
    stale = sorted(set(exceptions()) - set(_violations()))
    assert not stale, f"exceptions in ARCHITECTURE.md's import rule that the code no longer needs: {stale}"


@pytest.mark.parametrize("outside", sorted(outside_modules()))
def test_outside_modules_only_where_the_rule_allows(outside: str) -> None:
    allowed = outside_modules()[outside]
    wrong = [i.where for i in all_imports() if i.target == outside and unit_of(i.module) not in allowed]
    assert not wrong, f"{outside} is imported only in {sorted(allowed)}; also in: {wrong}"


def test_the_rule_keeps_pytest_to_the_plugin_and_asyncio_out_of_the_sans_io_core() -> None:
    rule = outside_modules()
    assert rule["pytest"] == {"pytest_plugin", "testcases"} and "websockets" in rule
    assert not {"protocol", "device_model", "catalog", "faults"} & rule["asyncio"]


def test_no_import_cycle_between_modules() -> None:
    """Not even through TYPE_CHECKING imports or imports inside functions (within a unit too)."""
    graph: dict[str, set[str]] = {m: set() for m in modules()}
    for i in all_imports():
        if i.target in graph and i.target != i.module:
            graph[i.module].add(i.target)
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(sorted(c)) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert _cycles({"a": {"b"}, "b": set()}) == []
