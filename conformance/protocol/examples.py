"""Schema-valid example payloads for every OCPP 2.0.1 message type, generated from the schemas.

Sans-I/O: pure functions over data.

* ``build_example(action, kind)``: only the required fields (minimal);
* ``build_example(action, kind, full=True)``: every optional field too, with one element per array
  (or ``minItems`` if that is more), except ``customData``;
* ``build_example(..., custom_data=True)``: also a ``customData`` object (``{"vendorId": ...}``) on
  every object that allows one (the schemas' extension point; off by default because no real
  message carries it everywhere).

Values are deterministic and meant to be realistic: enums take their first value unless an
override below picks a more typical one, date-times are fixed UTC timestamps in 2025, strings are
readable and within ``maxLength`` (and in the identifierString character set where Part 2 requires
it), numbers respect ``minimum``/``maximum``. Each call returns a fresh object.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from .schemas import DATE_TIME_EXAMPLE, KINDS, get_registry, schema_name

__all__ = ["build_example", "iter_message_types"]

DATE_TIME_LATER = "2025-12-31T23:59:59Z"
VENDOR_ID = "org.example"

# Per-field overrides. Keys: (owner, property) where owner is the schema definition the property
# belongs to (e.g. "IdTokenType") or the message name (e.g. "BootNotificationRequest"), or just
# the property name (any owner). The owner-specific key wins.
_OVERRIDES: dict[Any, Any] = {
    # enums whose first value is an unusual choice
    ("IdTokenType", "type"): "ISO14443",
    ("BootNotificationRequest", "reason"): "PowerUp",
    ("TransactionEventRequest", "eventType"): "Started",
    ("TransactionEventRequest", "triggerReason"): "CablePluggedIn",
    ("ChargingProfileType", "chargingProfilePurpose"): "TxDefaultProfile",
    ("SampledValueType", "measurand"): "Energy.Active.Import.Register",
    ("SampledValueType", "context"): "Sample.Periodic",
    ("SampledValueType", "location"): "Outlet",
    ("ChargingScheduleType", "chargingRateUnit"): "A",
    ("NetworkConnectionProfileType", "ocppVersion"): "OCPP20",
    ("NetworkConnectionProfileType", "ocppTransport"): "JSON",
    ("NetworkConnectionProfileType", "ocppInterface"): "Wired0",
    ("MessageContentType", "format"): "UTF8",
    ("VariableCharacteristicsType", "dataType"): "integer",
    ("VariableAttributeType", "mutability"): "ReadWrite",
    # strings
    "vendorId": VENDOR_ID,
    "vendorName": "ExampleVendor",
    "model": "ExampleModel",
    ("ChargingStationType", "serialNumber"): "SN-000001",
    "firmwareVersion": "1.0.0",
    "iccid": "89310410106543789301",
    "imsi": "310150123456789",
    "idToken": "04A1B2C3D4E5F6",
    "additionalIdToken": "ADDITIONAL01",
    ("AdditionalInfoType", "type"): "ExampleInfo",
    "transactionId": "b7a1c9d2-0f3e-4a5b-9c6d-7e8f9a0b1c2d",
    "checksum": "d41d8cd98f00b204e9800998ecf8427e",
    "issuerNameHash": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "issuerKeyHash": "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
    ("CertificateHashDataType", "serialNumber"): "4A3B2C1D",
    ("OCSPRequestDataType", "serialNumber"): "4A3B2C1D",
    "responderURL": "http://ocsp.example.com",
    ("FirmwareType", "location"): "https://example.com/firmware/1.0.1.bin",
    ("PublishFirmwareRequest", "location"): "https://example.com/firmware/1.0.1.bin",
    "remoteLocation": "https://example.com/logs/",
    "ocppCsmsUrl": "wss://csms.example.com/ocpp",
    "apn": "internet.example.com",
    "apnUserName": "apnuser",
    "apnPassword": "apnpassword",
    "preferredNetwork": "20408",
    "server": "vpn.example.com",
    "user": "vpnuser",
    "group": "vpngroup",
    "password": "vpnpassword",
    "key": "0123456789abcdef",
    "certificate": "-----BEGIN CERTIFICATE-----\nMIIBExampleCertificate\n-----END CERTIFICATE-----\n",
    "certificateChain": "-----BEGIN CERTIFICATE-----\nMIIBExampleCertificate\n-----END CERTIFICATE-----\n",
    "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIBExampleCertificate\n-----END CERTIFICATE-----\n",
    "csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIBExampleRequest\n-----END CERTIFICATE REQUEST-----\n",
    "ocspResult": "MIIBExampleOcspResponse",
    "exiRequest": "gAAAAA==",
    "exiResponse": "gAAAAA==",
    "iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef",
    "signature": "MEUCIQExampleSignature",
    "publicKey": "MFkwExamplePublicKey",
    "signedMeterData": "T0NNRnxFeGFtcGxl",
    "signingMethod": "ECDSA-secp256r1-SHA256",
    "encodingMethod": "OCMF",
    "language": "en",
    "language1": "en",
    "language2": "nl",
    "content": "Welcome!",
    "reasonCode": "NoError",
    "additionalInfo": "Example additional information",
    ("ComponentType", "name"): "OCPPCommCtrlr",
    ("ComponentType", "instance"): "Main",
    ("VariableType", "name"): "HeartbeatInterval",
    ("VariableType", "instance"): "Default",
    "attributeValue": "300",
    "actualValue": "300",
    ("VariableAttributeType", "value"): "300",
    "valuesList": "60,300,900",
    ("VariableCharacteristicsType", "unit"): "s",
    ("UnitOfMeasureType", "unit"): "Wh",
    "messageId": "ExampleMessage",
    "customerIdentifier": "CUST-0001",
    ("DataTransferRequest", "data"): "example",
    ("DataTransferResponse", "data"): "example",
    "techCode": "E001",
    "techInfo": "Example technical information",
    "filename": "diagnostics.log",
    "salesTariffDescription": "Standard tariff",
    ("SecurityEventNotificationRequest", "type"): "SettingSystemTime",
    ("NotifyEventRequest", "type"): "Alerting",
    # integers
    "evseId": 1,
    "connectorId": 1,
    "interval": 300,
    "seqNo": 0,
    "stateOfCharge": 80,
    "bulkSoC": 80,
    "fullSoC": 100,
    "numberPhases": 3,
    "numberOfPhasesUsed": 3,
    "phaseToUse": 1,
    "stackLevel": 0,
    "startPeriod": 0,
    "duration": 3600,
    "start": 0,
    "retries": 3,
    "retryInterval": 60,
    "messageTimeout": 30,
    "severity": 5,
    "amount": 25,
    "amountMultiplier": 0,
    "multiplier": 0,
    "evMaxCurrent": 32,
    "evMinCurrent": 6,
    "evMaxVoltage": 400,
    "evMaxPower": 11000,
    "evEnergyCapacity": 60000,
    "energyAmount": 20000,
    "maxScheduleTuples": 24,
    "simPin": 1234,
    "timeSpentCharging": 0,
    "cableMaxCurrent": 32,
    "chargingPriority": 0,
    "securityProfile": 1,
    "versionNumber": 1,
    "numEPriceLevels": 1,
    "ePriceLevel": 0,
    # numbers
    ("ChargingSchedulePeriodType", "limit"): 16.0,
    "minChargingRate": 6.0,
    ("SampledValueType", "value"): 1234.5,
    ("VariableMonitoringType", "value"): 10.0,
    ("SetMonitoringDataType", "value"): 10.0,
    "startValue": 0.0,
    "totalCost": 12.34,
    "maxLimit": 900.0,
    "minLimit": 0.0,
    # date-times that should lie after the others
    "validTo": DATE_TIME_LATER,
    "endDateTime": DATE_TIME_LATER,
    "expiryDateTime": DATE_TIME_LATER,
    "cacheExpiryDateTime": DATE_TIME_LATER,
    "latestTimestamp": DATE_TIME_LATER,
    "departureTime": DATE_TIME_LATER,
}

_MISSING = object()


def iter_message_types() -> list[tuple[str, str]]:
    """All 128 ``(action, kind)`` pairs, sorted by action, request before response."""
    return get_registry().message_types()


def build_example(action: str, kind: str, *, full: bool = False, custom_data: bool = False) -> dict:
    """A schema-valid example payload for ``action``'s ``kind`` ("request" | "response").

    Raises :class:`~conformance.protocol.schemas.UnknownActionError` (a ``KeyError``) for an
    unknown action and ``ValueError`` for a bad ``kind``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be 'request' or 'response', not {kind!r}")
    return copy.deepcopy(_build_cached(action, kind, full, custom_data))


@lru_cache(maxsize=None)
def _build_cached(action: str, kind: str, full: bool, custom_data: bool) -> dict:
    schema = get_registry().schema(action, kind)
    return _Builder(schema, full, custom_data).value(schema, schema_name(action, kind), None)


class _Builder:
    def __init__(self, schema: dict, full: bool, custom_data: bool) -> None:
        self.defs = schema.get("definitions", {})
        self.full = full
        self.custom_data = custom_data

    def resolve(self, node: dict) -> tuple[dict, str | None]:
        ref = node.get("$ref")
        if ref is None:
            return node, None
        name = ref.rsplit("/", 1)[-1]
        return self.defs[name], name

    def override(self, owner: str, prop: str | None) -> Any:
        if prop is None:
            return _MISSING
        value = _OVERRIDES.get((owner, prop), _MISSING)
        if value is _MISSING:
            value = _OVERRIDES.get(prop, _MISSING)
        return value

    def value(self, node: dict, owner: str, prop: str | None, depth: int = 0) -> Any:
        if depth > 32:
            raise RecursionError("schema nesting too deep")
        node, defname = self.resolve(node)
        if defname is not None:
            owner_of_members = defname
        else:
            owner_of_members = owner
        typ = node.get("type")
        if "enum" in node:
            o = self.override(owner, prop)
            return o if o in node["enum"] else node["enum"][0]
        if typ == "object":
            return self.obj(node, owner_of_members, depth)
        if typ == "array":
            n = max(1 if self.full else 0, node.get("minItems", 0))
            if "maxItems" in node:
                n = min(n, node["maxItems"])
            return [self.value(node["items"], owner, prop, depth + 1) for _ in range(n)]
        o = self.override(owner, prop)
        if typ == "string" or typ is None:
            if node.get("format") == "date-time":
                return o if isinstance(o, str) else DATE_TIME_EXAMPLE
            text = o if isinstance(o, str) else self.generic_string(prop)
            limit = node.get("maxLength")
            return text[:limit] if limit is not None else text
        if typ in ("integer", "number"):
            if isinstance(o, (int, float)) and not isinstance(o, bool):
                v = o
            else:
                v = 1
            lo, hi = node.get("minimum"), node.get("maximum")
            if lo is not None and v < lo:
                v = lo
            if hi is not None and v > hi:
                v = hi
            if typ == "integer":
                return int(v)
            return float(v)
        if typ == "boolean":
            return o if isinstance(o, bool) else False
        raise ValueError(f"cannot build an example for schema node {node!r}")

    def obj(self, node: dict, owner: str, depth: int) -> dict:
        props = node.get("properties", {})
        required = set(node.get("required", ()))
        out: dict[str, Any] = {}
        for prop, sub in props.items():
            if prop == "customData":
                if self.custom_data:
                    out[prop] = {"vendorId": VENDOR_ID}
                continue
            if prop in required or self.full:
                out[prop] = self.value(sub, owner, prop, depth + 1)
        return out

    @staticmethod
    def generic_string(prop: str | None) -> str:
        if not prop:
            return "example"
        return "Example" + prop[0].upper() + prop[1:]
