"""The action port: physical and operator steps (plug in, present a card, reboot, make the
CSMS send a request ...), performed by an operator at a prompt, a vendor's shell command,
a vendor's webhook or the in-process reference SUT. Test cases only see :class:`ActionPort`;
an :class:`ActionFailed` is INCONCLUSIVE, never FAIL. The contract: docs/actions.md.
"""

from __future__ import annotations

from typing import Any, Mapping

from conformance.actions.port import (
    ACTIONS,
    CSMS_INITIATED_REQUESTS,
    CSMS_SETTINGS,
    ID_TOKEN_TYPES,
    ActionBackend,
    ActionFailed,
    ActionPort,
    ActionSpec,
    Param,
    actions_for_role,
    describe,
    redact,
    validate,
)
from conformance.actions.prompt import PromptBackend
from conformance.actions.reference import ReferenceBackend
from conformance.actions.shell import ShellBackend
from conformance.actions.webhook import WebhookBackend

__all__ = [
    "ACTIONS",
    "BACKEND_KINDS",
    "CSMS_INITIATED_REQUESTS",
    "CSMS_SETTINGS",
    "ID_TOKEN_TYPES",
    "ActionBackend",
    "ActionFailed",
    "ActionPort",
    "ActionSpec",
    "Param",
    "PromptBackend",
    "ReferenceBackend",
    "ShellBackend",
    "WebhookBackend",
    "actions_for_role",
    "describe",
    "make_backend",
    "redact",
    "validate",
]

BACKEND_KINDS = ("prompt", "shell", "webhook", "reference")


def make_backend(
    kind: str,
    *,
    command: str | None = None,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    target: Any = None,
    input: Any = None,
    output: Any = None,
) -> ActionBackend:
    """The backend ``kind`` with its settings; ValueError naming what is missing or wrong."""
    if kind == "prompt":
        return PromptBackend(input=input, output=output)
    if kind == "shell":
        if not command or not command.strip():
            raise ValueError(
                "action backend 'shell' needs a command (the program run as `<command> <action> '<json params>'`)"
            )
        return ShellBackend(command)
    if kind == "webhook":
        if not url:
            raise ValueError(
                "action backend 'webhook' needs a url (the base URL; actions are POSTed to <url>/actions/<action>)"
            )
        return WebhookBackend(url, headers=headers)
    if kind == "reference":
        if target is None:
            raise ValueError("action backend 'reference' needs a target (the in-process reference SUT)")
        return ReferenceBackend(target)
    raise ValueError(f"unknown action backend {kind!r}; expected one of {', '.join(BACKEND_KINDS)}")
