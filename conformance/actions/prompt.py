"""The prompt backend: an operator at a terminal performs the action and confirms it.

The instruction (the action in plain words, its params with secrets withheld) is written to
the output stream; the operator presses Enter when it is done, or types ``f`` / ``fail``
followed by a reason when it cannot be done.

Where the input comes from, by default: the controlling terminal (``/dev/tty``), because a
test run under pytest has its standard streams captured (fd 0 is /dev/null, fd 1 a temp
file). Without a controlling terminal (CI, ``docker run`` without ``-t``) it falls back to
``sys.stdin`` / ``sys.stdout`` and, if stdin is not a terminal either, every action fails at
once with "no operator input available" instead of hanging until the timeout.

Reading never blocks the event loop: a stream with a file descriptor is read through
``loop.add_reader`` (nothing is left behind when the prompt times out); a stream without one
(``io.StringIO`` in tests) is read with ``readline`` in a worker thread.
"""

from __future__ import annotations

import asyncio
import io
import os
import select
import sys
from typing import IO, Any

from conformance.actions.port import ACTIONS, ActionFailed, describe
from conformance.roles import Role

NO_INPUT = "no operator input available"
_DONE_WORDS = {"", "y", "yes", "ok", "done"}
_FAIL_WORDS = {"f", "fail", "failed", "n", "no"}


def _fileno(stream: Any) -> int | None:
    if isinstance(stream, int):
        return stream
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    return fd if isinstance(fd, int) and fd >= 0 else None


def _isatty(stream: Any) -> bool:
    try:
        if isinstance(stream, int):
            return os.isatty(stream)
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _open_terminal() -> tuple[int, IO[str]] | None:
    """The controlling terminal as (input fd, output text stream), or None if there is none."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        out = io.TextIOWrapper(io.FileIO(os.dup(fd), "w"), encoding="utf-8", errors="replace", line_buffering=True)
    except OSError:
        os.close(fd)
        return None
    return fd, out


def parse_answer(line: str) -> tuple[str, str]:
    """('done', '') | ('fail', reason) | ('unclear', line) for one line the operator typed."""
    text = line.strip()
    if text.lower() in _DONE_WORDS:
        return "done", ""
    head, _, rest = text.partition(" ")
    head = head.rstrip(":").lower()
    if head in _FAIL_WORDS:
        return "fail", rest.strip().lstrip(":").strip()
    if head.startswith(("fail:", "f:")):
        return "fail", text.split(":", 1)[1].strip()
    return "unclear", text


class PromptBackend:
    """Ask an operator to perform each action at a terminal.

    ``input``: a text stream, a binary stream or a file descriptor; ``output``: a text stream.
    Both default to the controlling terminal (see the module docstring). ``require_tty``:
    fail at once when the input is not a terminal; default: True for the default input,
    False for an injected one (tests, scripted answers through a pipe).
    """

    name = "prompt"

    def __init__(self, input: Any = None, output: IO[str] | None = None, *, require_tty: bool | None = None) -> None:
        self._input = input
        self._output = output
        self._require_tty = (input is None) if require_tty is None else require_tty
        self._resolved = False
        self._owned_fd: int | None = None
        self._owned_out: IO[str] | None = None
        self._buffer = b""  # bytes read from an fd but not yet consumed as a line
        self._eof = False
        self._lock = asyncio.Lock()  # one prompt at a time

    # ---- streams ---------------------------------------------------------------------------

    def _resolve(self) -> None:
        if self._resolved:
            return
        self._resolved = True
        if self._input is None:
            terminal = _open_terminal()
            if terminal is not None:
                self._owned_fd, self._owned_out = terminal
                self._input = self._owned_fd
                if self._output is None:
                    self._output = self._owned_out
            else:
                self._input = sys.stdin
        if self._output is None:
            self._output = sys.stdout

    def close(self) -> None:
        """Release the controlling terminal if this backend opened it."""
        if self._owned_out is not None:
            try:
                self._owned_out.close()
            except OSError:
                pass
            self._owned_out = None
        if self._owned_fd is not None:
            try:
                os.close(self._owned_fd)
            except OSError:
                pass
            self._owned_fd = None

    def _write(self, text: str) -> None:
        out = self._output
        if out is None:
            return
        try:
            out.write(text)
            out.flush()
        except (OSError, ValueError):
            pass

    def _unavailable(self) -> str | None:
        """Why no operator can answer right now, or None when input looks usable."""
        if self._eof:
            return f"{NO_INPUT} (input closed)"
        stream = self._input
        if stream is None or getattr(stream, "closed", False) is True:
            return f"{NO_INPUT} (input closed)"
        fd = _fileno(stream)
        if fd is None and not hasattr(stream, "readline"):
            return f"{NO_INPUT} (input cannot be read)"
        tty = fd is not None and _isatty(fd)
        if self._require_tty and not tty:
            return f"{NO_INPUT} (input is not a terminal)"
        if tty and hasattr(os, "tcgetpgrp"):
            try:
                if os.tcgetpgrp(fd) != os.getpgrp():  # reading would stop us with SIGTTIN
                    return f"{NO_INPUT} (not the terminal's foreground process)"
            except OSError:
                pass
        return None

    # ---- reading lines ---------------------------------------------------------------------

    def _take_line(self) -> str | None:
        if b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            return line.decode("utf-8", errors="replace")
        return None

    def _discard_typeahead(self, fd: int) -> None:
        """Drop what was typed before the prompt (a late Enter for an earlier prompt)."""
        self._buffer = b""
        try:
            while select.select([fd], [], [], 0)[0]:
                if not os.read(fd, 4096):
                    self._eof = True
                    return
        except (OSError, ValueError):
            pass

    async def _read_fd_chunk(self, fd: int) -> bytes:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def on_readable() -> None:
            if not ready.done():
                ready.set_result(None)

        try:
            loop.add_reader(fd, on_readable)
        except (NotImplementedError, PermissionError, OSError, ValueError):
            # no readiness notification for this fd (a regular file; Windows): read in a thread
            return await asyncio.to_thread(os.read, fd, 4096)
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return os.read(fd, 4096)

    async def _readline(self) -> str | None:
        """The next line the operator typed, without its newline; None at EOF."""
        stream = self._input
        fd = _fileno(stream)
        if fd is None:
            # no file descriptor (io.StringIO, a custom object): readline in a worker thread
            line = await asyncio.to_thread(stream.readline)
            if not line:
                self._eof = True
                return None
            if isinstance(line, bytes):
                line = line.decode("utf-8", errors="replace")
            return line.rstrip("\r\n")
        while True:
            line = self._take_line()
            if line is not None:
                return line.rstrip("\r")
            chunk = await self._read_fd_chunk(fd)
            if not chunk:
                self._eof = True
                if self._buffer:  # a last line without a newline still counts
                    line, self._buffer = self._buffer.decode("utf-8", errors="replace"), b""
                    return line.rstrip("\r")
                return None
            self._buffer += chunk

    # ---- the backend -----------------------------------------------------------------------

    async def perform(self, action: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
        async with self._lock:
            self._resolve()
            why = self._unavailable()
            if why is not None:
                raise ActionFailed(action, params, why)
            fd = _fileno(self._input)
            if fd is not None and _isatty(fd):
                self._discard_typeahead(fd)
            role = Role.parse(ACTIONS[action].role) if action in ACTIONS else None
            sut = role.display if role else "SUT"
            bar = "=" * 72
            self._write(
                f"\n{bar}\nOPERATOR ACTION on the {sut}: {action}\n{describe(action, params)}\n"
                f"Press Enter when done, or type 'fail <reason>' if it cannot be done "
                f"(timeout {timeout:g} s).\n{bar}\n> "
            )
            try:
                async with asyncio.timeout(timeout):
                    while True:
                        line = await self._readline()
                        if line is None:
                            self._write("\n[no more operator input]\n")
                            raise ActionFailed(action, params, f"{NO_INPUT} (input closed)")
                        verdict, text = parse_answer(line)
                        if verdict == "done":
                            self._write("[done]\n")
                            return {}
                        if verdict == "fail":
                            reason = text or "the operator could not perform the action"
                            self._write("[reported as failed]\n")
                            raise ActionFailed(action, params, f"operator: {reason}")
                        self._write("Press Enter when done, or type 'fail <reason>': ")
            except TimeoutError:
                self._write(f"\n[timed out after {timeout:g} s: the test case continues without this action]\n")
                raise ActionFailed(action, params, f"no operator answer within {timeout:g} s", timed_out=True) from None
            except asyncio.CancelledError:
                self._write("\n[cancelled: no need to perform this action any more]\n")
                raise
