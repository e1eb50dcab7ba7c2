"""Shared helpers of the project's own tests: free ports, and configurations for SUTs that are
not the reference ones (a misbehaving peer the test itself plays)."""

from __future__ import annotations

import socket
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_peer_config(path: Path, role: str, port: int, *, message_timeout: float, connect_timeout: float,
                      case_time_limit: float, action_timeout: float = 2) -> Path:
    """A configuration for a SUT played by the test on 127.0.0.1:``port`` (no security profile,
    one EVSE, a PICS without optional features, actions that always fail)."""
    if role == "station":
        connection = f'listen_host = "127.0.0.1"\nlisten_port = {port}\npath = "/ocpp"\n'
    else:
        connection = f'csms_url = "ws://127.0.0.1:{port}/ocpp"\n'
    path.write_text(f"""role = "{role}"
name = "test peer ({role})"
reference = false
[connection]
{connection}identity = "CS001"
security_profile = 0
[[evse]]
id = 1
connectors = [1]
[id_tokens.valid]
id_token = "VALID001"
[id_tokens.invalid]
id_token = "INVALID001"
[timing]
message_timeout = {message_timeout}
connect_timeout = {connect_timeout}
action_timeout = {action_timeout}
case_time_limit = {case_time_limit}
[pics]
profiles = ["Core"]
features = []
[actions]
backend = "shell"
command = "false"
""")
    return path
