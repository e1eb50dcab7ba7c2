"""The vendor extension both reference SUTs implement for DataTransfer (P01 / P02).

vendorId ``org.openconformance`` (:data:`VENDOR_ID`) with messageId ``Echo``: Accepted, the request's data
returned. Another messageId of that vendor is UnknownMessageId (P01.FR.06 / P02.FR.07), a request without
messageId Rejected (our vendor agreement, P01.FR.07 / P02.FR.08), any other vendorId UnknownVendorId
(P01.FR.05 / P02.FR.06). customData (Part 4 §9) is accepted anywhere and ignored (:func:`carries_custom_data`: the
faults that reject it).
"""

from __future__ import annotations

from typing import Any

VENDOR_ID = "org.openconformance"
VENDOR_MESSAGES = frozenset({"Echo"})


def answer_data_transfer(payload: dict[str, Any]) -> dict[str, Any]:
    """The DataTransferResponse of a conformant reference SUT to ``payload`` (a DataTransferRequest)."""
    if payload["vendorId"] != VENDOR_ID:
        return {"status": "UnknownVendorId"}
    if "messageId" not in payload:
        return {"status": "Rejected", "statusInfo": {"reasonCode": "MissingParam",
                                                     "additionalInfo": "messageId is required"}}
    if payload["messageId"] not in VENDOR_MESSAGES:
        return {"status": "UnknownMessageId"}
    answer: dict[str, Any] = {"status": "Accepted"}
    if "data" in payload:
        answer["data"] = payload["data"]
    return answer


def carries_custom_data(payload: Any, *, nested_only: bool = False) -> bool:
    """Whether a payload has a customData property (Part 4 §9) anywhere, or only below the top level."""
    if isinstance(payload, dict):
        if "customData" in payload and not nested_only:
            return True
        return any(carries_custom_data(v) for k, v in payload.items() if k != "customData")
    if isinstance(payload, list):
        return any(carries_custom_data(v) for v in payload)
    return False
