"""How both reference SUTs answer a message they cannot process (OCPP-J Part 4 §4.2.3, §4.3), and the faults
that bend it (``<sut>_answers_unknown_action_with_callresult``, ``<sut>_rejects_with_generic_error``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..protocol.frames import CallError

if TYPE_CHECKING:
    from ..faults import FaultSet


def react_to_invalid(faults: "FaultSet", prefix: str) -> Any:
    """How a reference SUT answers a message it cannot process (``Connection.react_to_invalid``), with the
    faults ``<prefix>_answers_unknown_action_with_callresult`` and ``<prefix>_rejects_with_generic_error``."""
    with_callresult = f"{prefix}_answers_unknown_action_with_callresult" in faults
    generic = f"{prefix}_rejects_with_generic_error" in faults

    def react(error: Any, call: Any) -> Any:
        if with_callresult and error.error_code == "NotImplemented" and call is not None:
            return {}
        if generic:
            return CallError(error.message_id, "GenericError", error.error_description, {})
        return error

    return react
