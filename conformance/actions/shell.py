"""The shell backend: a vendor's program performs each action.

Calling convention (docs/actions.md): ``argv = shlex.split(command) + [action, json.dumps(params)]``,
stdin is /dev/null, the environment also carries ``OCPP_ACTION`` and ``OCPP_ACTION_TIMEOUT``.
Exit status 0: done; the standard output, if it is a JSON object, is the result. Any other
exit status: the action failed, the last lines of the standard error say why. A program still
running at the timeout is killed together with its whole process group.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import sys
from typing import Any, Mapping

from conformance.actions.port import ActionFailed

STDERR_TAIL_LINES = 10
STDOUT_TAIL_CHARS = 2000


def _tail(data: bytes, lines: int = STDERR_TAIL_LINES) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return "\n".join(text.splitlines()[-lines:])


class ShellBackend:
    """Run ``<command> <action> '<json params>'`` for each action."""

    name = "shell"

    def __init__(self, command: str, *, env: Mapping[str, str] | None = None, cwd: str | None = None) -> None:
        argv = shlex.split(command or "")
        if not argv:
            raise ValueError("the shell action backend needs a command, e.g. './sut-actions.sh'")
        self.command = command
        self.argv = argv
        self.env = dict(env) if env is not None else None
        self.cwd = cwd

    async def perform(self, action: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
        argv = [*self.argv, action, json.dumps(params)]
        env = dict(os.environ if self.env is None else self.env)
        env["OCPP_ACTION"] = action
        env["OCPP_ACTION_TIMEOUT"] = f"{timeout:g}"
        shown = shlex.join([*self.argv, action])
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=env,
                cwd=self.cwd,
                start_new_session=sys.platform != "win32",  # its own process group, killed as one
            )
        except OSError as exc:
            raise ActionFailed(action, params, f"cannot run {shown}: {exc}") from exc
        try:
            async with asyncio.timeout(timeout):
                stdout, stderr = await proc.communicate()
        except TimeoutError:
            await self._kill(proc)
            raise ActionFailed(
                action, params, f"{shown} still running after {timeout:g} s: killed", timed_out=True
            ) from None
        except BaseException:  # cancelled by the test case: leave nothing running
            await self._kill(proc)
            raise
        if proc.returncode != 0:
            code = proc.returncode
            how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
            err = _tail(stderr)
            raise ActionFailed(
                action,
                params,
                f"{shown} {how}" + (f": {err}" if err else " (no stderr)"),
                details={"exit_code": code, "stderr": err},
            )
        text = stdout.decode("utf-8", errors="replace").strip()
        if not text:
            return {}
        try:
            result = json.loads(text)
        except ValueError:
            return {"stdout": text[-STDOUT_TAIL_CHARS:]}
        return result if isinstance(result, dict) else {"stdout": text[-STDOUT_TAIL_CHARS:]}

    @staticmethod
    async def _kill(proc: asyncio.subprocess.Process) -> None:
        """Kill the process and its process group, reap it, release its pipes."""
        try:
            if sys.platform != "win32":
                # pgid == pid (start_new_session); also when the leader already exited but
                # a background child it left still holds the output pipes
                os.killpg(proc.pid, signal.SIGKILL)
            elif proc.returncode is None:
                proc.kill()
        except (ProcessLookupError, PermissionError):
            pass
        try:
            # bounded: a grandchild that left the process group may still hold the pipes
            async with asyncio.timeout(2.0):
                await proc.wait()
        except TimeoutError:
            pass
        transport = getattr(proc, "_transport", None)
        if transport is not None:
            transport.close()
