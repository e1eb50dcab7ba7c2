"""The reference station: DataTransfer (P01), the vendor extension of :mod:`conformance.reference.vendor`."""

from __future__ import annotations

from typing import Any

from ..vendor import answer_data_transfer
from .component import Component, Handler


class DataTransfer(Component):
    """No state: vendorId ``org.openconformance``, messageId ``Echo``."""

    def handlers(self) -> dict[str, Handler]:
        return {"DataTransfer": self.on_DataTransfer}

    async def on_DataTransfer(self, payload: dict[str, Any]) -> dict[str, Any]:
        if "data_transfer_accepts_unknown_vendor" in self.faults:
            return {"status": "Accepted"}
        return answer_data_transfer(payload)  # P01.FR.05, P01.FR.06
