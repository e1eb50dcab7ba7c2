"""The reference backend: the in-process reference SUT performs each action itself.

The target (the reference Charging Station or CSMS) implements
``async def perform_action(self, action: str, params: dict) -> dict`` and raises
:class:`ActionFailed` (or anything else) when it cannot; anything else is wrapped.
"""

from __future__ import annotations

import asyncio
from typing import Any

from conformance.actions.port import ActionFailed


class ReferenceBackend:
    """Hand each action to ``target.perform_action(action, params)``."""

    name = "reference"

    def __init__(self, target: Any) -> None:
        if not callable(getattr(target, "perform_action", None)):
            raise ValueError(
                f"the reference action backend needs a target with an async perform_action(action, params); "
                f"got {type(target).__name__}"
            )
        self.target = target

    async def perform(self, action: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
        try:
            async with asyncio.timeout(timeout):
                result = await self.target.perform_action(action, dict(params))
        except ActionFailed:
            raise
        except TimeoutError:
            raise ActionFailed(
                action, params, f"the reference SUT did not complete within {timeout:g} s", timed_out=True
            ) from None
        except Exception as exc:
            raise ActionFailed(action, params, f"the reference SUT raised {type(exc).__name__}: {exc}") from exc
        if result is None:
            return {}
        if not isinstance(result, dict):
            raise ActionFailed(
                action, params, f"the reference SUT returned {type(result).__name__}, expected a dict"
            )
        return result
