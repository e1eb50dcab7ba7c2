"""The pattern language for payloads, one for waiting on a CALL and for checking a field (sans-I/O).

``Connection.expect_call(action, **pattern)`` and the harness checks (``check.fields`` / ``check.equal``)
read patterns the same way:

* a dict matches partially: every key it names must match (a key the payload lacks is :data:`ABSENT`),
  other keys of the payload are not looked at;
* a list or tuple matches a list or tuple of the same length, element by element;
* :data:`ABSENT`: the field is not there;
* :class:`OneOf`: any of several patterns (Part 6 often allows alternatives), e.g. ``OneOf(ABSENT, "NoError")``;
* :class:`Satisfies` (or any callable): a predicate on a present value; a predicate that raises does not match;
* anything else by equality, where a bool is only ever equal to the same bool (``True`` is not ``1`` in OCPP).

:func:`differences` says where and how a payload differs from a pattern, so a failed check or an
expect_call that timed out can say what arrived instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()  # expected: the field is not in the payload


@dataclass(frozen=True)
class OneOf:
    """Expected: any of several values (Part 6 often allows alternatives); each may itself be a pattern."""

    values: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:
        object.__setattr__(self, "values", values)

    def __repr__(self) -> str:
        return " or ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class Satisfies:
    """Expected: a predicate holds; ``description`` says what in words."""

    predicate: Callable[[Any], bool]
    description: str

    def __repr__(self) -> str:
        return self.description

    def __call__(self, value: Any) -> bool:
        return bool(self.predicate(value))


@dataclass(frozen=True)
class Difference:
    """Where a payload differs from a pattern: ``path`` ("" for the whole value, else like
    ``getVariableResult[0].component.name``), what the pattern expected there and what was there."""

    path: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.path or 'payload'}: expected {describe(self.expected)}, got {self.actual!r}"


def describe(pattern: Any) -> str:
    """A pattern in words: ``'Accepted'``, ``'A' or 'B'``, a Satisfies' description, ``<predicate>``."""
    if isinstance(pattern, (Satisfies, OneOf)) or pattern is ABSENT:
        return repr(pattern)
    if callable(pattern):
        return "<predicate>"
    return repr(pattern)


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def differences(actual: Any, pattern: Any, path: str = "") -> list[Difference]:
    """Every place where ``actual`` does not match ``pattern`` (empty: it matches)."""
    if isinstance(pattern, OneOf):
        if any(not differences(actual, alternative, path) for alternative in pattern.values):
            return []
        return [Difference(path, pattern, actual)]
    if pattern is ABSENT:
        return [] if actual is ABSENT else [Difference(path, pattern, actual)]
    if callable(pattern):
        if actual is ABSENT:
            return [Difference(path, pattern, actual)]
        try:
            ok = bool(pattern(actual))
        except Exception:
            ok = False
        return [] if ok else [Difference(path, pattern, actual)]
    if isinstance(pattern, Mapping):
        if not isinstance(actual, Mapping):
            return [Difference(path, pattern, actual)]
        found: list[Difference] = []
        for key, want in pattern.items():
            found += differences(actual.get(key, ABSENT), want, _join(path, key))
        return found
    if isinstance(pattern, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(pattern):
            return [Difference(path, pattern, actual)]
        found = []
        for index, (got, want) in enumerate(zip(actual, pattern)):
            found += differences(got, want, _join(path, index))
        return found
    if isinstance(pattern, bool) or isinstance(actual, bool):
        return [] if actual is pattern else [Difference(path, pattern, actual)]
    return [] if actual == pattern else [Difference(path, pattern, actual)]


def matches(actual: Any, pattern: Any) -> bool:
    """Whether ``actual`` matches ``pattern`` (see the module docstring)."""
    return not differences(actual, pattern)


def lookup(payload: Any, path: str) -> Any:
    """``lookup(p, "getVariableResult[0].component.name")``; returns ABSENT when missing."""
    current = payload
    for part in path.replace("]", "").replace("[", ".").split("."):
        if part == "":
            continue
        if isinstance(current, list):
            try:
                current = current[int(part)]
            except (ValueError, IndexError):
                return ABSENT
        elif isinstance(current, Mapping):
            current = current.get(part, ABSENT)
        else:
            return ABSENT
        if current is ABSENT:
            return ABSENT
    return current


__all__ = ["ABSENT", "Difference", "OneOf", "Satisfies", "describe", "differences", "lookup", "matches"]
