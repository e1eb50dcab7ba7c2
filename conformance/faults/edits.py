"""The edit language of payload faults: a fault that only reshapes a payload is declared as data (which message,
which edit) and applied in one place, where the reference SUT sends or reads a message, so the conformant logic
reads without fault branches.

A path names fields from the payload's top: ``"getVariableResult.*.attributeType"`` (``*``: every item of a
list). An edit applies to the dicts the path leads to (the container of its last field), optionally only to
those ``when`` accepts. Edits work on a deep copy: the payload handed in is never changed.

Data only, sans-I/O: nothing of the project is imported.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Iterator

Predicate = Callable[[dict[str, Any]], bool]


def _containers(node: Any, parts: list[str]) -> Iterator[dict[str, Any]]:
    """The dicts that hold the last field of the path ``parts`` (``*``: every list item)."""
    if not parts:
        if isinstance(node, dict):
            yield node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, list):
            for item in node:
                yield from _containers(item, rest)
        return
    if isinstance(node, dict) and head in node:
        yield from _containers(node[head], rest)


def _split(path: str) -> tuple[list[str], str]:
    parts = path.split(".")
    return parts[:-1], parts[-1]


@dataclass(frozen=True)
class Drop:
    """Remove the field (where present)."""

    path: str
    when: Predicate | None = None

    def __call__(self, payload: dict[str, Any]) -> None:
        parents, name = _split(self.path)
        for container in _containers(payload, parents):
            if self.when is None or self.when(container):
                container.pop(name, None)


@dataclass(frozen=True)
class Set:
    """Set the field to ``value`` (added where missing)."""

    path: str
    value: Any
    when: Predicate | None = None

    def __call__(self, payload: dict[str, Any]) -> None:
        parents, name = _split(self.path)
        for container in _containers(payload, parents):
            if self.when is None or self.when(container):
                container[name] = copy.deepcopy(self.value)


@dataclass(frozen=True)
class Rename:
    """Rename the field (where present) to ``to``."""

    path: str
    to: str
    when: Predicate | None = None

    def __call__(self, payload: dict[str, Any]) -> None:
        parents, name = _split(self.path)
        for container in _containers(payload, parents):
            if name in container and (self.when is None or self.when(container)):
                container[self.to] = container.pop(name)


@dataclass(frozen=True)
class Remove:
    """Remove the items of the list field that ``when`` accepts."""

    path: str
    when: Predicate

    def __call__(self, payload: dict[str, Any]) -> None:
        parents, name = _split(self.path)
        for container in _containers(payload, parents):
            if isinstance(container.get(name), list):
                container[name] = [item for item in container[name] if not self.when(item)]


@dataclass(frozen=True)
class Truncate:
    """Keep only the first ``keep`` items of the list field."""

    path: str
    keep: int

    def __call__(self, payload: dict[str, Any]) -> None:
        parents, name = _split(self.path)
        for container in _containers(payload, parents):
            if isinstance(container.get(name), list):
                container[name] = container[name][:self.keep]


@dataclass(frozen=True)
class Apply:
    """Replace the field by ``function(old value)`` (where present)."""

    path: str
    function: Callable[[Any], Any]
    when: Predicate | None = None

    def __call__(self, payload: dict[str, Any]) -> None:
        parents, name = _split(self.path)
        for container in _containers(payload, parents):
            if name in container and (self.when is None or self.when(container)):
                container[name] = self.function(container[name])


Operation = Drop | Set | Rename | Remove | Truncate | Apply


@dataclass(frozen=True)
class PayloadEdit:
    """What a payload fault does: the ``operations`` applied, in order, to every ``message`` (e.g.
    ``"GetVariablesResponse"``, ``"BootNotificationRequest"``) the reference SUT sends or, for a request it
    receives, reads."""

    message: str
    operations: tuple[Operation, ...]

    def __init__(self, message: str, *operations: Operation) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "operations", operations)


def apply_edits(edits: list[PayloadEdit] | tuple[PayloadEdit, ...], message: str,
                payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` after the edits for ``message``: the same object when none applies, else an edited copy."""
    wanted = [e for e in edits if e.message == message]
    if not wanted:
        return payload
    edited = copy.deepcopy(payload)
    for edit in wanted:
        for operation in edit.operations:
            operation(edited)
    return edited


__all__ = ["Apply", "apply_edits", "Drop", "Operation", "PayloadEdit", "Predicate", "Remove", "Rename", "Set",
           "Truncate"]
