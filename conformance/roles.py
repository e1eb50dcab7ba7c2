"""The two OCPP roles, one type for the spellings the documents and this project use.

Part 6 suffixes its case ids with ``CS`` / ``CSMS``; Part 2's message tables say who initiates a message
with ``ChargingStation`` / ``CSMS``; the configuration, the CLI and the run log name the SUT's role
``station`` / ``csms``; people read "Charging Station" / "CSMS". A :class:`Role` is all of them: its value
is the Part 6 suffix (so ``Role.STATION == "CS"`` and it serialises as before), and the other spellings
are its properties. :meth:`Role.of` reads any of them.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """An OCPP role: the Charging Station or the CSMS (in a case: the role of the system under test)."""

    STATION = "CS"
    CSMS = "CSMS"

    @classmethod
    def of(cls, spelling: str) -> "Role":
        """The role any spelling names: "CS" / "station" / "ChargingStation" / "Charging Station", "CSMS" /
        "csms"; ValueError for anything else."""
        role = cls.parse(spelling)
        if role is None:
            raise ValueError(f"not an OCPP role: {spelling!r} (CS, station, ChargingStation, CSMS or csms)")
        return role

    @classmethod
    def parse(cls, spelling: object) -> "Role | None":
        """Like :meth:`of`, but None for an unknown spelling (for data read from a log or a file)."""
        return _SPELLINGS.get(spelling) if isinstance(spelling, str) else None

    @property
    def config(self) -> str:
        """The configuration, CLI and run-log word: "station" or "csms"."""
        return "station" if self is Role.STATION else "csms"

    @property
    def party(self) -> str:
        """The word of Part 2's message tables (who initiates a message): "ChargingStation" or "CSMS"."""
        return "ChargingStation" if self is Role.STATION else "CSMS"

    @property
    def display(self) -> str:
        """In words, for people: "Charging Station" or "CSMS"."""
        return "Charging Station" if self is Role.STATION else "CSMS"

    @property
    def peer(self) -> "Role":
        """The other role (the harness plays the peer of the SUT's role)."""
        return Role.CSMS if self is Role.STATION else Role.STATION


_SPELLINGS: dict[str, Role] = {
    **{s: Role.STATION for s in ("CS", "station", "ChargingStation", "Charging Station")},
    **{s: Role.CSMS for s in ("CSMS", "csms")},
}

ROLES: tuple[Role, ...] = tuple(Role)

__all__ = ["ROLES", "Role"]
