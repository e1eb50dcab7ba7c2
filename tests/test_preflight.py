"""Pre-flight (conformance/preflight.py): before any case, the harness can listen or reach the SUT and the
action backend answers; a failure is one message and exit 2, nothing judged; the reference setups pass."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conformance.config import default_config, load_config
from conformance.preflight import PreflightFailed, check_actions, check_csms_url, check_listen, preflight
from support import REPO, free_port, write_peer_config


def test_the_reference_setups_pass() -> None:
    preflight(default_config("station"))
    preflight(default_config("csms"))


def test_a_busy_port_is_named() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(PreflightFailed, match=f"port {port} is in use, something else listens there"):
            check_listen("127.0.0.1", port)
    check_listen("127.0.0.1", port)  # free again


def test_a_foreign_listen_address_is_named() -> None:
    with pytest.raises(PreflightFailed, match="not an address of this machine"):
        check_listen("192.0.2.1", 0)


def test_a_csms_url_where_nothing_listens() -> None:
    with pytest.raises(PreflightFailed, match="connection refused, nothing listens on 127.0.0.1"):
        check_csms_url(f"ws://127.0.0.1:{free_port()}/ocpp", "CS001", 2)


def test_a_csms_url_that_does_not_resolve() -> None:
    with pytest.raises(PreflightFailed, match="does not resolve"):
        check_csms_url("ws://no-such-host.invalid:9000/ocpp", "CS001", 2)


def _one_shot_server(reply: bytes | None) -> int:
    """A TCP server answering one connection with ``reply`` (None: accept and say nothing)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(4096)
            if reply is not None:
                conn.sendall(reply)
            else:
                conn.recv(1)  # until the client gives up
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1]


def test_a_csms_asking_for_credentials_answers() -> None:
    port = _one_shot_server(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
    assert check_csms_url(f"ws://127.0.0.1:{port}/ocpp", "CS001", 2).startswith("HTTP/1.1 401")


def test_a_csms_url_that_is_not_http() -> None:
    port = _one_shot_server(b"SSH-2.0-OpenSSH_9.6\r\n")
    with pytest.raises(PreflightFailed, match="not with HTTP"):
        check_csms_url(f"ws://127.0.0.1:{port}/ocpp", "CS001", 2)


def test_a_silent_csms_times_out() -> None:
    port = _one_shot_server(None)
    with pytest.raises(PreflightFailed, match="did not answer the WebSocket handshake within 0.5 s"):
        check_csms_url(f"ws://127.0.0.1:{port}/ocpp", "CS001", 0.5)


def _config(tmp_path: Path, actions: str) -> object:
    path = write_peer_config(tmp_path / "sut.toml", "station", free_port(), message_timeout=1, connect_timeout=1,
                             case_time_limit=5)
    text = path.read_text()
    text = text[:text.index("[actions]")] if "[actions]" in text else text
    path.write_text(text + "\n[actions]\n" + actions)
    return load_config(path)


def test_a_shell_command_that_does_not_exist(tmp_path: Path) -> None:
    cfg = _config(tmp_path, 'backend = "shell"\ncommand = "./no-such-actions.sh --rig 2"\n')
    with pytest.raises(PreflightFailed, match="cannot run './no-such-actions.sh': it does not exist"):
        check_actions(cfg, 1)


def test_a_shell_command_on_the_path(tmp_path: Path) -> None:
    check_actions(_config(tmp_path, 'backend = "shell"\ncommand = "true"\n'), 1)


def test_a_webhook_nobody_answers(tmp_path: Path) -> None:
    cfg = _config(tmp_path, f'backend = "webhook"\nurl = "http://127.0.0.1:{free_port()}/hooks"\n')
    with pytest.raises(PreflightFailed, match=r"POST http://127.0.0.1:\d+/hooks/actions/noop failed: connection "
                                              "refused"):
        check_actions(cfg, 1)


def test_a_webhook_refusing_the_headers(tmp_path: Path) -> None:
    port = _one_shot_server(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    cfg = _config(tmp_path, f'backend = "webhook"\nurl = "http://127.0.0.1:{port}"\n')
    with pytest.raises(PreflightFailed, match=r"returned HTTP 401; check \[actions.headers\]"):
        check_actions(cfg, 2)


def test_a_webhook_without_noop_still_passes(tmp_path: Path) -> None:
    port = _one_shot_server(b"HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    check_actions(_config(tmp_path, f'backend = "webhook"\nurl = "http://127.0.0.1:{port}"\n'), 2)


def test_the_prompt_without_a_terminal(tmp_path: Path) -> None:
    """In a process without a controlling terminal, outside CI: one message, exit 2, through `run`."""
    path = tmp_path / "sut.toml"
    _config(tmp_path, 'backend = "prompt"\n')
    env = {k: v for k, v in __import__("os").environ.items() if k != "CI"}
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--config", str(path), "--run-dir",
                           str(tmp_path / "run")], capture_output=True, text=True, timeout=60, env=env,
                          start_new_session=True, cwd=REPO)  # a new session: no controlling terminal
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "pre-flight check failed: the prompt action backend needs a terminal" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "run" / "events.jsonl").exists()


def test_pytest_reports_a_failed_preflight_as_a_usage_error(tmp_path: Path) -> None:
    """Run straight through pytest: the same message, before any case."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        path = write_peer_config(tmp_path / "sut.toml", "station", port, message_timeout=1, connect_timeout=1,
                                 case_time_limit=5)
        proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(REPO / "testcases"),
                               "--ocpp-config", str(path), "--ocpp-run-dir", str(tmp_path / "run")],
                              capture_output=True, text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert f"pre-flight check failed: cannot listen on 127.0.0.1:{port}: port {port} is in use" in proc.stderr
