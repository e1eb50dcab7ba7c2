"""The reference station: network connection profiles, priority and fallback (B09/B10), CSMS root certificates
(M03, M05, AdditionalRootCertificateCheck)."""

from __future__ import annotations

import ssl
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from ...catalog import actions_handled_by
from ...protocol.errors import PeerError
from ...transport.client import open_station_connection
from ...transport.connection import Connection
from ...transport.tls import certificate_hash_data, client_context, parse_certificate
from ...device_model.model import DeviceModel

from .component import Component, Handler, Registration, Station
from .state import NetworkPlan, _issued_by



class Network(Component):
    """The profiles, the last successful slot and the certificates live in ``station.state`` (persistent); this
    area owns the connection plan (:class:`NetworkPlan`, volatile)."""

    def __init__(self, station: Station, boot: "Registration") -> None:
        super().__init__(station)
        self.boot = boot
        self.plan = NetworkPlan()

    def handlers(self) -> dict[str, Handler]:
        return {"SetNetworkProfile": self.on_SetNetworkProfile, "InstallCertificate": self.on_InstallCertificate,
                "GetInstalledCertificateIds": self.on_GetInstalledCertificateIds}

    # ------------------------------------------------------------------ network profiles (B09/B10)
    # The NetworkConnectionProfiles live per configuration slot in StationState.network_profiles (they survive a
    # reboot); slot 1 holds the factory profile (the CSMS URL the station was built with). The slots are the
    # valuesList of OCPPCommCtrlr.NetworkConfigurationPriority. the core asks target() which slot to try
    # next: after a reboot the entries of NetworkConfigurationPriority in order (B10.FR.04), after a lost
    # connection the slot that was in use first, then the others; NetworkProfileConnectionAttempts attempts per
    # entry (B10.FR.03). When every entry failed, a station with C-47 keeps reconnecting to the slot of the last
    # successful connection (B10.FR.07), one without runs through the whole list again (B10.FR.08). A new
    # profile or priority is only used from the next (re)connection (B09 remarks); connecting through a slot other
    # than the last successful one starts with a BootNotification (B10.FR.10).

    def profile_table(self) -> dict[int, dict[str, Any]]:
        profiles = self.station.state.network_profiles
        if not profiles:  # the factory profile
            profiles[1] = {"ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": self.station.csms_url,
                           "messageTimeout": max(1, round(self.station.message_timeout)),
                           "securityProfile": 2 if urlsplit(self.station.csms_url).scheme == "wss" else 1,
                           "ocppInterface": "Wired0"}
        return profiles

    def install_factory_csms_root(self, certificate_pem: str) -> None:
        """Ship the station for security profile 2: trusting this CSMS root certificate (its factory profile
        is the wss:// URL it was built with)."""
        self.station.state.certificates.setdefault("CSMSRootCertificate", []).append(certificate_pem)
        self._certificate_recorded(certificate_pem, parse_certificate(certificate_pem))
        self.model.set_value("SecurityCtrlr", "SecurityProfile", self.profile_table()[1]["securityProfile"])

    def _slots(self) -> list[int]:
        """The configuration slots the station offers: the valuesList of NetworkConfigurationPriority."""
        spec = self.model.spec("OCPPCommCtrlr.NetworkConfigurationPriority")
        return [int(v) for v in spec.values_list or () if str(v).isdigit()]

    def _priority(self) -> list[int]:
        value = self.model.get("OCPPCommCtrlr", "NetworkConfigurationPriority") or []
        return [int(v) for v in value if str(v).strip().isdigit()]

    def _active_slot(self) -> int | None:
        """OCPPCommCtrlr.ActiveNetworkProfile: the slot of the current connection (the last one while offline)."""
        return self.plan.active if self.plan.active is not None else self.station.state.network_last_slot

    def bind(self, model: DeviceModel) -> None:
        """Device model hooks: ActiveNetworkProfile reads the live slot; NetworkConfigurationPriority only
        accepts slots that hold a valid profile (B10.FR.02) without a lower security profile (A05.FR.10)."""
        if "OCPPCommCtrlr.ActiveNetworkProfile" in model:
            model.bind("OCPPCommCtrlr", "ActiveNetworkProfile", self._active_slot)

        def validate(key: Any, attribute: str, value: Any) -> str | None:
            if (key.component.casefold(), key.variable.casefold()) != ("ocppcommctrlr", "networkconfigurationpriority"):
                return None
            profiles = self.profile_table()
            current = model.get("SecurityCtrlr", "SecurityProfile") or 0
            for member in value:
                profile = profiles.get(int(member)) if str(member).isdigit() else None
                if profile is None:
                    return "InvalidNetworkConf"
                if profile["securityProfile"] < current:
                    return "NoSecurityDowngrade"
                if profile["securityProfile"] >= 2 and not self.station.state.certificates.get("CSMSRootCertificate"):
                    return "NoCSMSRootCert"  # A05.FR.02
            return None
        model.add_validator(validate)
        model.bind("SecurityCtrlr", "CertificateEntries",
                   lambda: sum(len(v) for v in self.station.state.certificates.values()))

    def _profile_problem(self, slot: int, data: dict[str, Any]) -> tuple[str, str] | None:
        """Why a SetNetworkProfileRequest cannot be stored: (reasonCode, additionalInfo), or None."""
        if slot not in self._slots() and "network_profile_accepts_any_slot" not in self.faults:
            return "InvalidConfSlot", f"slot {slot} is not in the valuesList of NetworkConfigurationPriority"
        if data["ocppVersion"] != "OCPP20" or data["ocppTransport"] != "JSON":
            return "InvalidNetworkConf", "only OCPP 2.0.1 over JSON (OCPP-J) is supported"
        current = self.model.get("SecurityCtrlr", "SecurityProfile") or 0
        if data["securityProfile"] < current:
            return "NoSecurityDowngrade", f"the active security profile is {current}"  # B09.FR.04
        if data["securityProfile"] not in (0, 1, 2):
            return "InvalidNetworkConf", "security profile 3 (client certificates) is not supported by this station"
        url, scheme = urlsplit(data["ocppCsmsUrl"]), "wss" if data["securityProfile"] >= 2 else "ws"
        if url.scheme != scheme or not url.hostname:
            return "InvalidNetworkConf", f"ocppCsmsUrl must be a {scheme}:// URL for security profile " \
                                         f"{data['securityProfile']}"
        return None

    async def on_SetNetworkProfile(self, payload: dict[str, Any]) -> dict[str, Any]:
        slot, data = payload["configurationSlot"], payload["connectionData"]
        problem = self._profile_problem(slot, data)
        if problem is not None:  # B09.FR.02, B09.FR.04, B09.FR.05
            return {"status": "Rejected", "statusInfo": {"reasonCode": problem[0], "additionalInfo": problem[1]}}
        self.profile_table()[slot] = dict(data)  # used from the next connection on (B09 remarks)
        return {"status": "Accepted"}  # B09.FR.01

    def target(self) -> tuple[int, dict[str, Any]]:
        """The slot (and its profile) of the next connection attempt."""
        plan, profiles = self.plan, self.profile_table()
        if not plan.queue:
            attempts = max(1, int(self.model.get("OCPPCommCtrlr", "NetworkProfileConnectionAttempts") or 1))
            if "network_profile_single_attempt" in self.faults:
                attempts = 1
            priority = [s for s in self._priority() if s in profiles]
            last = self.station.state.network_last_slot
            if plan.passes and last in profiles and self.station.supports("C-47") \
                    and "network_fallback_restarts_priority_list" not in self.faults:
                order = [last]  # B10.FR.07: every entry failed, reconnect to the last one that worked
            elif plan.passes:
                order = priority  # B10.FR.08: every entry failed, start the list again
            elif self.boot.needs_boot and "network_priority_ignored_after_reboot" not in self.faults:
                order = priority  # B10.FR.04: after a reboot, from the first entry
            else:  # a lost connection: the slot in use first, then the others (B10.FR.03)
                first = plan.active if plan.active is not None else last
                order = ([first] if first in profiles else []) + [s for s in priority if s != first]
            plan.queue = [s for s in order or [min(profiles)] for _ in range(attempts)]
            plan.passes += 1
        slot = plan.queue.pop(0)
        return slot, profiles[slot]

    def connected(self, slot: int) -> None:
        """A connection through ``slot`` was established."""
        plan = self.plan
        plan.queue, plan.passes, plan.active = [], 0, slot
        if self.station.state.network_last_slot is not None and slot != self.station.state.network_last_slot:
            self.boot.needs_boot = True  # B10.FR.10: a different profile, register again
        self.station.state.network_last_slot = slot
        level = self.profile_table().get(slot, {}).get("securityProfile", 0)
        if level > (self.model.get("SecurityCtrlr", "SecurityProfile") or 0):
            # A05.FR.06: the higher security profile is now the station's; profiles below it are removed.
            self.model.set_value("SecurityCtrlr", "SecurityProfile", level)
            profiles = self.profile_table()
            for lower in [s for s, p in profiles.items() if p["securityProfile"] < level]:
                del profiles[lower]
            priority = [str(s) for s in self._priority() if s in profiles]
            self.model.set_value("OCPPCommCtrlr", "NetworkConfigurationPriority", ",".join(priority))

    def connecting(self) -> tuple[int, str, float]:
        """For the core's connection loop: the slot, URL and message timeout of the next attempt."""
        slot, profile = self.target()
        timeout = self.station.message_timeout if slot == 1 and profile["ocppCsmsUrl"] == self.station.csms_url \
            else float(profile["messageTimeout"])
        self.plan.active = None  # offline until the attempt succeeds
        return slot, profile["ocppCsmsUrl"], timeout

    # CSMS root certificates (M05). Without AdditionalRootCertificateCheck (no AS-2) installed roots are kept side by
    # side and a wss:// CSMS certificate may chain to any of them. With it (AS-2), one CSMS root is in force: a new
    # one is accepted only when the root in force signed it (M05.FR.10/11) and replaces it, the old one stays as
    # the fallback (M05.FR.12). A connection validated with the new root removes the fallback (M05.FR.13); when the
    # new root does not validate the CSMS certificate, the fallback is tried on a reconnection through the profile of
    # the last successful connection (M05.FR.14, and after going back to it, M05.FR.16) but not when migrating to
    # another profile, where the attempt fails and NetworkProfileConnectionAttempts takes over (M05.FR.15).

    def _csms_roots(self) -> list[str]:
        """The installed CSMS roots (PEM), oldest first (with AS-2: the fallback, if any, and the root in force)."""
        return self.station.state.certificates.setdefault("CSMSRootCertificate", [])

    def _csms_root_in_force(self) -> str | None:
        roots = [pem for pem in self._csms_roots() if pem != self.station.state.csms_root_fallback]
        return roots[-1] if roots else None

    def _certificate_recorded(self, pem: str, certificate: Any, issuer: Any = None) -> None:
        """Keep the CertificateHashData of a newly installed certificate (GetInstalledCertificateIds, M03)."""
        if issuer is None:  # signed by another installed certificate, else self-signed (or its issuer is unknown)
            installed = (parse_certificate(p) for v in self.station.state.certificates.values() for p in v)
            issuer = next((c for c in installed
                           if c.subject == certificate.issuer and c != certificate and _issued_by(certificate, c)),
                          None)
        self.station.state.certificate_hashes[pem] = certificate_hash_data(certificate, issuer)

    def _certificate_removed(self, kind: str, pem: str) -> None:
        installed = self.station.state.certificates.get(kind, [])
        if pem in installed:
            installed.remove(pem)
        if pem not in (p for v in self.station.state.certificates.values() for p in v):
            self.station.state.certificate_hashes.pop(pem, None)

    def trust(self, slot: int, url: str) -> list[tuple[ssl.SSLContext | None, str | None]]:
        """How the server certificate of this attempt is validated: the TLS contexts to try in order, each with
        the role of its roots ("in force" / "fallback", None when AS-2 does not apply)."""
        roots = list(self._csms_roots())
        if urlsplit(url).scheme != "wss" or not roots:
            return [(None, None)]  # ws://, or no CSMS root installed (``serve station`` with wss://): system trust
        if "tls_ignores_installed_roots" in self.faults:
            return [(client_context(roots[:1]), None)]  # only the root the station was shipped with
        fallback, in_force = self.station.state.csms_root_fallback, self._csms_root_in_force()
        if not self.station.supports("AS-2") or fallback is None or in_force is None:
            return [(client_context(roots), None)]
        trials: list[tuple[ssl.SSLContext | None, str | None]] = [(client_context([in_force]), "in force")]
        migrating = self.station.state.network_last_slot is not None and slot != self.station.state.network_last_slot
        if not migrating or "csms_root_fallback_used_when_migrating" in self.faults:
            trials.append((client_context([fallback]), "fallback"))  # M05.FR.14, M05.FR.16
        return trials  # migrating: the new root only (M05.FR.15)

    async def open(self, slot: int, url: str, message_timeout: float) -> Connection:
        """Connect through ``slot``: the server certificate validated with the new CSMS root, then (where allowed)
        with the fallback root; a connection validated with the new root removes the fallback (M05.FR.13)."""
        trials = self.trust(slot, url)
        for index, (context, role) in enumerate(trials):
            try:
                conn = await open_station_connection(
                    url, self.station.identity, password=self.station.password, log=self.station.events,
                    ssl_context=context,
                    message_timeout=message_timeout, connect_timeout=self.station.connect_timeout,
                    handled_actions=actions_handled_by("ChargingStation"), default_handler=self.station.handle)
            except PeerError as exc:
                if index + 1 < len(trials) and "CERTIFICATE_VERIFY_FAILED" in str(exc.actual):
                    continue  # the server certificate does not chain to the new root: try the fallback
                raise
            fallback = self.station.state.csms_root_fallback
            if role == "in force" and fallback is not None and "csms_root_fallback_kept" not in self.faults:
                self._certificate_removed("CSMSRootCertificate", fallback)  # M05.FR.13
                self.station.state.csms_root_fallback = None
            return conn
        raise AssertionError("no TLS trial")  # _network_trust always gives one

    def _install_csms_root(self, pem: str, certificate: Any) -> dict[str, Any]:
        """InstallCertificate of a CSMSRootCertificate with AdditionalRootCertificateCheck (M05.FR.09-12)."""
        roots, current = self._csms_roots(), self._csms_root_in_force()
        if current is None:  # no CSMS root yet: nothing it must be signed by
            roots[:] = [pem]
            self.station.state.csms_root_fallback = None
            self._certificate_recorded(pem, certificate)
            return {"status": "Accepted"}
        old = parse_certificate(current)
        if certificate == old:  # the root in force again: nothing changes
            return {"status": "Accepted"}
        if not _issued_by(certificate, old):  # M05.FR.11
            return {"status": "Rejected", "statusInfo": {
                "reasonCode": "InvalidCertificate",
                "additionalInfo": "a new CSMS root must be signed by the CSMS root it replaces"}}
        # M05.FR.12: the new root is in force, the one it replaces stays as the only fallback (M05.FR.09).
        for previous in list(roots):
            if previous != current:
                self._certificate_removed("CSMSRootCertificate", previous)
        self._certificate_recorded(pem, certificate, old)
        if "csms_root_replaced_at_once" in self.faults:
            self._certificate_removed("CSMSRootCertificate", current)
            self.station.state.csms_root_fallback = None
        else:
            self.station.state.csms_root_fallback = current
        roots.append(pem)
        return {"status": "Accepted"}

    async def on_InstallCertificate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """M05: install a root certificate; CSMS roots with AdditionalRootCertificateCheck when the station has AS-2,
        other roots (and all without AS-2) side by side."""
        kind, pem = payload["certificateType"], payload["certificate"]
        try:
            certificate = parse_certificate(pem)
        except ValueError:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "InvalidCertificate",
                                                         "additionalInfo": "not a PEM encoded X.509 certificate"}}
        now = datetime.now(timezone.utc)
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:  # M05.FR.07
            return {"status": "Rejected", "statusInfo": {"reasonCode": "InvalidCertificate",
                                                         "additionalInfo": "outside its validity period"}}
        if kind == "CSMSRootCertificate" and self.model.get("SecurityCtrlr", "AdditionalRootCertificateCheck"):
            return self._install_csms_root(pem, certificate)
        installed = self.station.state.certificates.setdefault(kind, [])
        same = [p for p in installed if parse_certificate(p) == certificate]
        capacity = self.model.spec("SecurityCtrlr.CertificateEntries").max_limit
        stored = sum(len(v) for v in self.station.state.certificates.values())
        if not same and capacity is not None and stored >= capacity:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "OutOfStorage"}}  # M05.FR.06
        for previous in same:  # M05.FR.17: installed again, replaced
            self._certificate_removed(kind, previous)
        self._certificate_recorded(pem, certificate)
        installed.append(pem)
        return {"status": "Accepted"}  # M05.FR.02

    async def on_GetInstalledCertificateIds(self, payload: dict[str, Any]) -> dict[str, Any]:
        """M03: the CertificateHashData of every installed certificate of the requested types (all when absent)."""
        wanted = payload.get("certificateType") or None
        chain = [{"certificateType": kind, "certificateHashData": self.station.state.certificate_hashes.get(pem)
                  or certificate_hash_data(parse_certificate(pem))}
                 for kind, installed in self.station.state.certificates.items() if wanted is None or kind in wanted
                 for pem in installed]
        if not chain:
            return {"status": "NotFound"}  # M03.FR.02
        return {"status": "Accepted", "certificateHashDataChain": chain}  # M03.FR.03, M03.FR.04
