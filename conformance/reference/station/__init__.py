"""The reference Charging Station: a conformant station built on the same OCPP-J core.

It connects to a CSMS, boots (handling Accepted, Pending and Rejected as the registration table of
:mod:`conformance.protocol.registration` says: retries after the interval, serves requests while Pending but rejects
a remote start, answers SecurityError while Rejected, boots at once on a TriggerMessage), reconnects after a
connection loss with the back-off of Part 4 §5.3 (OCPPCommCtrlr RetryBackOff*), reports after an offline period
every connector or only the changed ones depending on OCPPCommCtrlr.OfflineThreshold (B04), reports its connectors,
sends heartbeats, serves Get/SetVariables from its device model, runs transactions (one per EVSE, started and
stopped as its TxStartPoint / TxStopPoint say: every start point, with a parking bay sensor and a meter that signs its
Transaction.Begin reading, an EV that may not draw energy (SuspendedEV), the idToken presented before or after the EV
is plugged in, EVConnectionTimeOut, DisableRemoteAuthorization, E01-E03/E06/E07; a failing cable retention lock
stops it from charging, G05), changes availability (G03/G04:
station, EVSE or connector Inoperative / Operative, persistent across reboots, Scheduled while a transaction runs in
the scope, every changed connector reported by StatusNotification), keeps charging profiles (Smart Charging),
resets (B11/B12: the whole station, or with feature C-13 one EVSE; OnIdle answered Scheduled during a transaction),
keeps reservations of an EVSE (minimal H01/H02/H04, persistent across reboots), keeps network profiles (B09/B10)
and CSMS root certificates (M05, with AS-2 the AdditionalRootCertificateCheck and its fallback root; M03 lists
them), and is driven by the action port (``perform_action``). Faults from :mod:`conformance.faults` make it
deliberately non-conformant for negative controls: a fault that only reshapes a payload is an edit declared in the
fault table and applied where the station sends or reads a message; behavioural faults stay in the areas' code.

DataTransfer (P01): the station implements the vendor extension of :mod:`conformance.reference.vendor`
(vendorId ``org.openconformance``, messageId ``Echo``).

The package: :mod:`.core` (lifecycle, the dispatch tables action -> handler / step, what the areas share),
:mod:`.state` (factory settings, the persistent state), :mod:`.component` (what an area is) and one component per
area, each owning its state and registering its handlers: :mod:`.boot` (registration, heartbeats),
:mod:`.variables` (device model, Get/SetVariables), :mod:`.report_requests`, :mod:`.availability`,
:mod:`.transactions`, :mod:`.reset`, :mod:`.reservations`, :mod:`.network`, :mod:`.offline`,
:mod:`.smart_charging`, :mod:`.data_transfer`, :mod:`.remote_control` (remote start / stop, unlock),
:mod:`.triggers` (TriggerMessage), :mod:`.file_transfers` (GetLog upload, UpdateFirmware download over HTTP,
minimal), :mod:`.meter_values` (simulated meters, sampled and clock-aligned meter values, J01/J02).
"""

from .core import ReferenceStation
from ..vendor import VENDOR_ID, VENDOR_MESSAGES
from .state import FACTORY_SETTINGS, STATION_FEATURES, NetworkPlan, StationState, Transaction

__all__ = ["FACTORY_SETTINGS", "NetworkPlan", "ReferenceStation", "STATION_FEATURES", "StationState", "Transaction",
           "VENDOR_ID", "VENDOR_MESSAGES"]
