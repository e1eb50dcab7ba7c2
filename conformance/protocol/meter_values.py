"""Meter values (Part 2 J, MeterValueType / SampledValueType / SignedMeterValueType), sans-I/O: reading a
sampledValue with the defaults Part 2 gives its optional fields, the clock-aligned grid (AlignedDataCtrlr
intervals counted from midnight), and building sampled values and signed meter values. Used by the harness (the
block J checks, the harness station's meter values) and by the reference station's simulated meter alike.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

# SampledValueType defaults (Part 2 §2.41, §3.50, §2.49): an absent measurand is the energy register, an absent
# context Sample.Periodic, an absent location Outlet; an energy measurand without unit is in Wh.
DEFAULT_MEASURAND = "Energy.Active.Import.Register"
DEFAULT_CONTEXT = "Sample.Periodic"
DEFAULT_LOCATION = "Outlet"

SAMPLE_CLOCK = "Sample.Clock"
SAMPLE_PERIODIC = "Sample.Periodic"
TRANSACTION_BEGIN = "Transaction.Begin"
TRANSACTION_END = "Transaction.End"

# What the reference meters measure, with their unit (Part 2 appendix "Standardized Units of Measurements").
UNITS = {"Energy.Active.Import.Register": "Wh", "Power.Active.Import": "W", "Current.Import": "A",
         "Voltage": "V", "Current.Offered": "A", "Power.Offered": "W", "SoC": "Percent", "Frequency": "Hz"}

PUBLIC_KEY_OPTIONS = ("Never", "OncePerTransaction", "EveryMeterValue")  # PublicKeyWithSignedMeterValue


def measurands(value: str | Sequence[str] | None) -> list[str]:
    """The members of a measurand list variable (a MemberList, CSV as read by GetVariables)."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return [m.strip() for m in items if m and m.strip()]


def measurand_of(sampled: dict[str, Any]) -> str:
    return sampled.get("measurand", DEFAULT_MEASURAND)


def context_of(sampled: dict[str, Any]) -> str:
    return sampled.get("context", DEFAULT_CONTEXT)


def location_of(sampled: dict[str, Any]) -> str:
    return sampled.get("location", DEFAULT_LOCATION)


def sampled_values(meter_values: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every sampledValue of a list of MeterValueType."""
    return [s for mv in meter_values for s in mv.get("sampledValue", []) if isinstance(s, dict)]


def missing_measurands(sampled: Iterable[dict[str, Any]], configured: Iterable[str]) -> list[str]:
    """The configured measurands no sampledValue carries (an absent measurand is the energy register)."""
    present = {measurand_of(s) for s in sampled}
    return [m for m in configured if m not in present]


def ev_location_misuse(sampled: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """sampledValues with location EV whose measurand is not SoC (errata 2025-09 §6.2.58)."""
    return [s for s in sampled if location_of(s) == "EV" and measurand_of(s) != "SoC"]


# --------------------------------------------------------------------------- time
def parse_time(text: str) -> float | None:
    """An OCPP dateTime as seconds since the epoch; None when it is not a dateTime with a time zone."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if isinstance(text, str) else "")
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp()


def format_time(epoch: float) -> str:
    """Seconds since the epoch as an OCPP dateTime (UTC, milliseconds, "Z")."""
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


DAY = 86400.0
# Every civil time zone is a whole number of quarter hours away from UTC (-12:00 .. +14:00): the midnight the
# aligned intervals start from (Part 2 §2.7.12) is the station's local one, which the harness does not know.
_ZONE_OFFSETS = tuple(q * 900.0 for q in range(-12 * 4, 14 * 4 + 1))


def _phase(epoch: float, interval: float, zone: float) -> float:
    local = epoch + zone
    since_midnight = local - math.floor(local / DAY) * DAY
    return since_midnight % interval


def aligned_deviation(epoch: float, interval: float) -> float:
    """How far ``epoch`` is from the nearest moment of the clock-aligned grid of ``interval`` seconds (evenly
    spaced from 00:00:00 each day, Part 2 §2.7.12 / §2.7.16), in the time zone that puts it nearest: the harness
    does not know the station's local midnight, every time zone is a multiple of 15 minutes from UTC."""
    best = interval
    for zone in _ZONE_OFFSETS:
        phase = _phase(epoch, interval, zone)
        best = min(best, phase, interval - phase)
        if best == 0:
            break
    return best


def next_aligned(epoch: float, interval: float) -> float:
    """The first moment of the clock-aligned grid (UTC midnight + k * interval) after ``epoch``."""
    midnight = math.floor(epoch / DAY) * DAY
    moment = midnight + (math.floor((epoch - midnight) / interval) + 1) * interval
    return min(moment, midnight + DAY)


def last_aligned(epoch: float, interval: float) -> float:
    """The last moment of the clock-aligned grid at or before ``epoch``."""
    midnight = math.floor(epoch / DAY) * DAY
    return midnight + math.floor((epoch - midnight) / interval) * interval


def distinct_moments(timestamps: Iterable[float], tolerance: float) -> list[list[float]]:
    """Timestamps grouped by moment (sorted; one group: all within ``tolerance`` of its first), e.g. the messages
    of one aligned interval, one per EVSE (Part 6 TC_J_01_CS: their timestamps must all be the same)."""
    groups: list[list[float]] = []
    for t in sorted(timestamps):
        if groups and t - groups[-1][0] <= tolerance:
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


# --------------------------------------------------------------------------- building
def sampled_value(value: float, measurand: str, context: str, *, location: str | None = None,
                  phase: str | None = None, signed: dict[str, Any] | None = None) -> dict[str, Any]:
    """One SampledValueType with the measurand, context and unit always given (no reliance on defaults)."""
    sampled: dict[str, Any] = {"value": round(value, 3), "context": context, "measurand": measurand}
    if location is not None:
        sampled["location"] = location
    if phase is not None:
        sampled["phase"] = phase
    if measurand in UNITS:
        sampled["unitOfMeasure"] = {"unit": UNITS[measurand]}
    if signed is not None:
        sampled["signedMeterValue"] = signed
    return sampled


@dataclass
class EnergyMeter:
    """A simulated meter of one EVSE (or of the whole station, EVSE 0): an energy register that only grows
    (J02.FR.16) while power flows, read with the time of the reading."""

    register: float = 0.0  # Wh
    power: float = 0.0  # W, while charging
    since: float = 0.0  # epoch of the last update
    voltage: float = 230.0

    def advance(self, epoch: float) -> None:
        if epoch > self.since:
            self.register += self.power * (epoch - self.since) / 3600.0
            self.since = epoch

    def set_power(self, power: float, epoch: float) -> None:
        self.advance(epoch)
        self.power = power

    def read(self, measurand: str, epoch: float) -> float | None:
        """The value of ``measurand`` at ``epoch``; None for a measurand this meter does not have."""
        self.advance(epoch)
        return {"Energy.Active.Import.Register": self.register, "Power.Active.Import": self.power,
                "Current.Import": self.power / self.voltage / 3 if self.power else 0.0,
                "Voltage": self.voltage}.get(measurand)


@dataclass
class MeterSigner:
    """A plausible signing meter: signedMeterData is the base64 of the reading (OCMF-like JSON) and an ECDSA
    P-256 signature over it, publicKey the base64 DER SubjectPublicKeyInfo (SignedMeterValueType, Part 2 §2.46)."""

    signing_method: str = "ECDSA-secp256r1-SHA256"
    encoding_method: str = "OCMF"
    _key: Any = field(default=None, repr=False)

    def _private_key(self) -> Any:
        if self._key is None:
            from cryptography.hazmat.primitives.asymmetric import ec
            self._key = ec.generate_private_key(ec.SECP256R1())
        return self._key

    @property
    def public_key(self) -> str:
        from cryptography.hazmat.primitives import serialization
        der = self._private_key().public_key().public_bytes(serialization.Encoding.DER,
                                                            serialization.PublicFormat.SubjectPublicKeyInfo)
        return base64.b64encode(der).decode()

    def sign(self, reading: dict[str, Any], *, with_public_key: bool) -> dict[str, Any]:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        data = json.dumps(reading, sort_keys=True, separators=(",", ":")).encode()
        signature = self._private_key().sign(data, ec.ECDSA(hashes.SHA256()))
        blob = base64.b64encode(data + b"|" + base64.b64encode(signature)).decode()
        return {"signedMeterData": blob, "signingMethod": self.signing_method,
                "encodingMethod": self.encoding_method, "publicKey": self.public_key if with_public_key else ""}


def is_register(measurand: str) -> bool:
    """An energy register (Energy.*.Register): the values a signing meter signs at least (J01.FR.21 / J02.FR.21:
    values "from components that support data signing"; Eichrecht meters sign the register)."""
    return measurand.startswith("Energy.") and measurand.endswith(".Register")


def is_base64(text: Any, *, allow_empty: bool = False) -> bool:
    """Whether ``text`` is a base64 string (SignedMeterValueType.signedMeterData / publicKey, Part 2 §2.46)."""
    if not isinstance(text, str):
        return False
    if text == "":
        return allow_empty
    try:  # MIME line breaks / whitespace are part of base64 as RFC 2045 writes it
        base64.b64decode("".join(text.split()), validate=True)
    except (ValueError, TypeError):
        return False
    return True


__all__ = ["DEFAULT_CONTEXT", "DEFAULT_LOCATION", "DEFAULT_MEASURAND", "EnergyMeter", "MeterSigner",
           "PUBLIC_KEY_OPTIONS", "SAMPLE_CLOCK", "SAMPLE_PERIODIC", "TRANSACTION_BEGIN", "TRANSACTION_END", "UNITS",
           "aligned_deviation", "context_of", "distinct_moments", "ev_location_misuse", "format_time", "is_base64",
           "last_aligned", "location_of", "measurand_of", "measurands", "missing_measurands", "next_aligned",
           "parse_time", "sampled_value", "sampled_values"]


def case_time_needed(timing: Any, config: Any, *, intervals: str, count: int, transaction: bool = True,
                     extra: float = 0.0) -> float:
    """What a block J case needs at least (``@case(time_needed=...)``): ``count`` intervals of the
    ``[station_values]`` setting ``intervals`` plus the first partial one, the <Configured transaction duration>
    when ``transaction``, ``extra`` seconds and the steps around (actions and messages), so that a lab's long
    intervals (Part 2's example: 900 s) do not hit ``case_time_limit``."""
    values = config.station_values
    interval = float(getattr(values, intervals))
    steps = 4 * timing.action_timeout + 12 * timing.message_timeout + 2 * timing.max_time_deviation
    return (count + 1) * interval + (values.transaction_duration if transaction else 0.0) + extra + steps
