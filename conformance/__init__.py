"""ocpp-conformance: an open OCPP 2.0.1 conformance test suite."""

__version__ = "0.1.0"
SPEC_EDITION = "OCPP 2.0.1 Edition 3 (2024-05-06), errata to 2025-09"
