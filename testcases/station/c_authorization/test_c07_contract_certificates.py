"""C07 Authorization using contract certificates (ISO 15118 Plug & Charge), the SUT is a Charging Station.

The harness makes the run's ISO 15118 test PKI (conformance/harness/pki.py): it installs the V2G and MO roots with
InstallCertificate where Part 6's memory state says CertificateInstalled (TC_C_50/51_CS), installs none where the
root must NOT be installed (TC_C_52/53_CS: a fresh PKI whose roots the station cannot have), and hands the EV's
contract certificate chain to the action ``plug_and_charge``. It checks the AuthorizeRequest (idToken type eMAID,
the iso15118CertificateHashData computed from the very certificates it gave, or the PEM chain in ``certificate``)
and answers with the idTokenInfo / certificateStatus of the case."""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

from conformance.harness import IdTokenSpec
from conformance.harness import ChargingStationUnderTest, case
from conformance.harness import pki as test_pki
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive
from conformance.protocol.errors import PeerError
from conformance.protocol.variables import (AUTH_ENABLED, CENTRAL_CONTRACT_VALIDATION_ALLOWED, CONTRACT_VALIDATION_OFFLINE,
                                            PNC_ENABLED)
from conformance.transport.connection import IncomingCall

from ..e_transactions._steps import ensure_variable
from ..e_transactions._steps_offline import (OFFLINE_TX_FOR_UNKNOWN_ID, configured_if_implemented, offline,
                                             offline_configured, queued_events)
from ._steps import (SIDE_TRIGGERS, charging_shown, configured_connector, local_start_configuration,
                     transaction_events_during)


def run_pki(station: ChargingStationUnderTest) -> test_pki.Pki:
    """The run's ISO 15118 test PKI, made on first use."""
    if station.ctx.iso15118_pki is None:
        station.ctx.iso15118_pki = test_pki.make_pki()
    return station.ctx.iso15118_pki


async def install_roots(station: ChargingStationUnderTest, pki: test_pki.Pki, case_id: str) -> None:
    """Memory state CertificateInstalled for V2GRootCertificate and MORootCertificate (M05 InstallCertificate): not
    Accepted makes the case INCONCLUSIVE (a precondition)."""
    for kind, credential in (("V2GRootCertificate", pki.v2g_root), ("MORootCertificate", pki.mo_root)):
        try:
            response = await station.call("InstallCertificate", {"certificateType": kind,
                                                                  "certificate": credential.certificate_pem})
        except PeerError as error:
            raise Inconclusive(f"{case_id} memory state: InstallCertificate {kind} failed: {error}") from error
        if response.payload.get("status") != "Accepted":
            raise Inconclusive(f"{case_id} memory state: InstallCertificate {kind} answered "
                               f"{response.payload.get('status')!r}, not Accepted")
        station.note(f"memory state: {kind} of the run's test PKI installed (it stays: the harness PKI is the "
                     "run's own, no other case relies on its absence)")


@contextlib.asynccontextmanager
async def pnc_configuration(station: ChargingStationUnderTest, *, central: bool) -> AsyncIterator[None]:
    """Configuration state of TC_C_50..53_CS: AuthCtrlr.AuthEnabled true (if implemented and ReadWrite),
    DisableRemoteAuthorization false (if implemented), ISO15118Ctrlr.CentralContractValidationAllowed ``central``,
    PnCEnabled true; restored afterwards. (ContractCertificateInstallationEnabled, V2GCertificateInstallationEnabled,
    SeccId, CountryName, OrganizationName concern certificate installation, not this authorization: not set.)"""
    async with local_start_configuration(station), contextlib.AsyncExitStack() as stack:
        await ensure_variable(stack, station, CENTRAL_CONTRACT_VALIDATION_ALLOWED, "true" if central else "false")
        await ensure_variable(stack, station, PNC_ENABLED, "true")
        yield


def _hash_entries_judged(station: ChargingStationUnderTest, case_id: str, request: IncomingCall,
                         contract: test_pki.Contract, *, required: bool) -> None:
    """iso15118CertificateHashData (C07.FR.02): provided (``required``), and every entry is the OCSPRequestData of
    a certificate of the chain the harness gave (recomputed with the entry's hashAlgorithm), the contract
    certificate's among them. responderURL is the station's to fill (it is not judged)."""
    entries = request.payload.get("iso15118CertificateHashData")
    requirements = ("C07.FR.02", f"Part 6 {case_id} step 1")
    if entries is None:
        station.check.that(f"AuthorizeRequest carries iso15118CertificateHashData (Part 6 {case_id} step 1)",
                           not required, expected="iso15118CertificateHashData", actual="absent",
                           requirements=requirements, soft=True)
        return
    chain = (*contract.chain, contract.root)
    known: dict[tuple[str, str, str, str], str] = {}
    for index, certificate in enumerate(chain[:-1]):
        for algorithm in ("SHA256", "SHA384", "SHA512"):
            data = test_pki.ocsp_request_data(certificate, chain[index + 1], algorithm)
            known[(algorithm, data["issuerNameHash"].lower(), data["issuerKeyHash"].lower(),
                   data["serialNumber"].lower().lstrip("0") or "0")] = \
                "the contract certificate" if index == 0 else f"sub-CA {certificate.subject.rfc4514_string()}"
    found = []
    for position, entry in enumerate(entries):
        key = (str(entry.get("hashAlgorithm")), str(entry.get("issuerNameHash", "")).lower(),
               str(entry.get("issuerKeyHash", "")).lower(), str(entry.get("serialNumber", "")).lower().lstrip("0")
               or "0")
        what = known.get(key)
        station.check.that(f"iso15118CertificateHashData[{position}] is the OCSP request data of a certificate of "
                           f"the contract chain the EV presented (C07.FR.02)", what is not None,
                           expected="issuerNameHash / issuerKeyHash / serialNumber of one of "
                                    f"{[c.subject.rfc4514_string() for c in chain[:-1]]} (hash over the issuer's "
                                    "DER name and public key, serial in hexadecimal)",
                           actual=f"{entry} (message {request.message_id})", requirements=requirements, soft=True)
        found.append(what)
    station.check.that("iso15118CertificateHashData includes the contract certificate (C07.FR.02)",
                       "the contract certificate" in found,
                       expected=f"an entry for serialNumber {format(contract.certificate.serial_number, 'x')}",
                       actual=entries, requirements=requirements, soft=True)


async def _pnc_online(station: ChargingStationUnderTest, case_id: str, *, central: bool, accepted: bool,
                      certificate_status: str) -> None:
    """TC_C_50..53_CS: EVConnectedPreSession, the EV presents its contract (action ``plug_and_charge``), step 1
    AuthorizeRequest checked, step 2 answered with idTokenInfo.status Accepted / Invalid and ``certificate_status``;
    accepted: step 3 TransactionEventRequest triggerReason Authorized and EnergyTransferStarted; refused: no
    TransactionEventRequest with triggerReason Authorized or chargingState Charging (post scenario validation)."""
    # Central validation: the roots of the contract must NOT be installed at the station (prerequisite): a PKI of
    # its own, made for this case, whose roots no station can have; local validation: the run's PKI, roots installed.
    pki = test_pki.make_pki() if central else run_pki(station)
    contract = pki.contract(test_pki.new_emaid(station.ctx.ids))  # never seen: nothing cached decides
    evse, connector = configured_connector(station)
    step1 = ("C07.FR.01", "C07.FR.02", f"Part 6 {case_id} step 1")
    status = "Accepted" if accepted else "Invalid"
    answer = {"idTokenInfo": {"status": status}, "certificateStatus": certificate_status}

    def authorize(incoming: IncomingCall) -> dict[str, Any]:
        if incoming.payload.get("idToken", {}).get("idToken") == contract.emaid:
            return answer
        return {"idTokenInfo": {"status": "Invalid"}}

    def transaction_event(incoming: IncomingCall) -> dict[str, Any]:
        token = incoming.payload.get("idToken")
        if not token:
            return {}
        return {"idTokenInfo": {"status": status if token.get("idToken") == contract.emaid else "Invalid"}}

    async with pnc_configuration(station, central=central), states.transactions_ended_afterwards(station):
        if not central:
            await install_roots(station, pki, case_id)
        tx = await states.parking_bay_occupied(station, evse, connector)
        await states.ev_connected_pre_session_of(station, tx)
        with station.answering("Authorize", authorize), station.answering("TransactionEvent", transaction_event):
            conn = station.connection
            mark = conn.mark()
            tx.token_at = len(tx.events)
            tx.token = IdTokenSpec(id_token=contract.emaid, type="eMAID")  # the token the transaction carries
            tx.instruction(conn)
            await station.actions.do("plug_and_charge", evse=evse, connector=connector, emaid=contract.emaid,
                                     certificate=contract.chain_pem)
            tx.authorized = True
            tx.stop_authorized = True  # the EV's contract: the restore ends the transaction by unplugging
            request = await conn.expect_call("Authorize", since=mark, requirements=step1)
            station.check.fields(f"AuthorizeRequest (Part 6 {case_id} step 1)", request.payload,
                                 {"idToken.type": "eMAID"}, requirements=step1, soft=True)
            station.check.fields("AuthorizeRequest carries the contract's eMAID (C07.FR.02)", request.payload,
                                 {"idToken.idToken": contract.emaid}, requirements=("C07.FR.02",), soft=True)
            _hash_entries_judged(station, case_id, request, contract, required=not central)
            if central:
                given = request.payload.get("certificate")
                try:
                    sent = [c.subject for c in test_pki.load_chain(given)] if isinstance(given, str) else None
                except ValueError:
                    sent = None
                station.check.that(f"AuthorizeRequest passes the contract certificate chain in certificate, PEM "
                                   f"(C07.FR.06, Part 6 {case_id} step 1)",
                                   sent is not None and bool(sent) and sent[0] == contract.certificate.subject,
                                   expected=f"PEM chain starting with {contract.certificate.subject.rfc4514_string()}",
                                   actual="absent" if given is None else (given[:80] if isinstance(given, str)
                                                                          else given),
                                   requirements=("C07.FR.06", f"Part 6 {case_id} step 1"), soft=True)
            await request.answered.wait()
            station.note(f"step 2: AuthorizeResponse idTokenInfo.status {status}, certificateStatus "
                         f"{certificate_status}")
            if accepted:
                event = await states.transaction_step_event(
                    station, tx, "a TransactionEventRequest follows the Plug & Charge authorization",
                    triggers=("Authorized",), requirements=("E01.FR.03", f"Part 6 {case_id} step 3"))
                station.check.fields(f"TransactionEventRequest (Part 6 {case_id} step 3)", event.payload,
                                     {"triggerReason": "Authorized"},
                                     requirements=(f"Part 6 {case_id} step 3", "E02.FR.01"))
                await states.energy_transfer_started(station, evse, connector, tx=tx)
                return
            tx.authorized = False
            events = await transaction_events_during(
                station, tx, conn.mailbox.index(request) + 1, station.message_timeout,
                reason=f"Part 6 {case_id} post scenario: the EV is not authorized and shall not charge "
                       "(<Configured message timeout>)")
        bad = [e for e in events if e.payload.get("triggerReason") == "Authorized"
               or e.payload.get("transactionInfo", {}).get("chargingState") == "Charging"]
        for event in events:
            if event not in bad and event.payload.get("triggerReason") in SIDE_TRIGGERS:
                station.note(f"recorded TransactionEventRequest seqNo {event.payload.get('seqNo')} (meter values)")
        requirements = (f"Part 6 {case_id} post scenario", "C01.FR.01")
        station.check.that("the station does not send a TransactionEventRequest with triggerReason Authorized or "
                           f"chargingState Charging after idTokenInfo.status {status} / certificateStatus "
                           f"{certificate_status}", not bad, expected="none",
                           actual=[f"seqNo {e.payload.get('seqNo')} triggerReason {e.payload.get('triggerReason')} "
                                   f"chargingState {e.payload.get('transactionInfo', {}).get('chargingState')} "
                                   f"(message {e.message_id})" for e in bad], requirements=requirements, soft=True)
        shown = charging_shown(station, conn, evse, mark)
        station.check.that("the EV is not charged", shown is None, expected=f"no energy transfer on EVSE {evse}",
                           actual=None if shown is None else f"{shown.action} {shown.payload}",
                           requirements=requirements)


@case
async def test_tc_c_50_cs(station: ChargingStationUnderTest) -> None:
    """Contract certificate, online, local validation, Accepted: with the MO / V2G roots installed and
    CentralContractValidationAllowed false, the AuthorizeRequest has idToken.type eMAID and
    iso15118CertificateHashData (checked against the chain given); after idTokenInfo Accepted / certificateStatus
    Accepted, a TransactionEventRequest with triggerReason Authorized and EnergyTransferStarted (C07.FR.01/02)."""
    await _pnc_online(station, "TC_C_50_CS", central=False, accepted=True, certificate_status="Accepted")


@case
async def test_tc_c_51_cs(station: ChargingStationUnderTest) -> None:
    """Contract certificate, online, local validation, Rejected: AuthorizeRequest as in TC_C_50_CS, answered
    idTokenInfo Invalid / certificateStatus ContractCancelled; the EV is not authorized and does not charge."""
    await _pnc_online(station, "TC_C_51_CS", central=False, accepted=False, certificate_status="ContractCancelled")


@case
async def test_tc_c_52_cs(station: ChargingStationUnderTest) -> None:
    """Contract certificate, online, central validation, Accepted: no root of the contract installed,
    CentralContractValidationAllowed true: the AuthorizeRequest passes the PEM chain in certificate (C07.FR.06;
    hash data may be present and is then checked); Accepted: triggerReason Authorized and EnergyTransferStarted."""
    await _pnc_online(station, "TC_C_52_CS", central=True, accepted=True, certificate_status="Accepted")


@case
async def test_tc_c_53_cs(station: ChargingStationUnderTest) -> None:
    """Contract certificate, online, central validation fails: as TC_C_52_CS, answered idTokenInfo Invalid /
    certificateStatus CertificateRevoked; the EV is not authorized and does not charge."""
    await _pnc_online(station, "TC_C_53_CS", central=True, accepted=False, certificate_status="CertificateRevoked")


# --------------------------------------------------------------------------- offline (TC_C_54/55_CS)
async def _pnc_offline(station: ChargingStationUnderTest, case_id: str, *, validation_offline: bool) -> None:
    """TC_C_54/55_CS: configuration AuthCtrlr.AuthEnabled true (if implemented and ReadWrite),
    OfflineTxForUnknownIdEnabled true (if implemented), OfflineThreshold RetryBackOffWaitMinimum + 60,
    RetryBackOffWaitMinimum <Configured>, RetryBackOffRandomRange 0, ISO15118Ctrlr.ContractValidationOffline
    ``validation_offline``, PnCEnabled true; memory state: the run's V2G / MO roots installed. Step 1: the harness
    closes the connection and refuses reconnects; meanwhile the EV drives in (TxStartPoint ParkingBayOccupancy),
    is plugged in and presents its contract (``plug_and_charge``); step 2: the reconnection is accepted after
    <Configured Transaction Duration>. Step 5 (TxStartPoint EVConnected or ParkingBayOccupancy): a queued
    TransactionEventRequest triggerReason CablePluggedIn, chargingState EVConnected, offline true.
    TC_C_54_CS step 7: one with triggerReason Authorized, offline true, then EnergyTransferStarted (C07.FR.08-12);
    TC_C_55_CS step 7: none with triggerReason Authorized or chargingState Charging (C07.FR.07).
    Step 3 (connector Occupied) is reported by a station that reconnects after a status change it could not send:
    recorded when it arrives, not required (Part 2 B04 lets a station report the current status instead)."""
    pki = run_pki(station)
    contract = pki.contract(test_pki.new_emaid(station.ctx.ids))  # never seen: nothing cached decides
    token = {"idToken": contract.emaid, "type": "eMAID"}
    evse, connector = configured_connector(station)
    values = station.config.station_values
    wait_minimum = values.retry_back_off_wait_minimum
    async with contextlib.AsyncExitStack() as stack:
        await ensure_variable(stack, station, AUTH_ENABLED, "true", read_only_ok=True)
        await stack.enter_async_context(configured_if_implemented(station, OFFLINE_TX_FOR_UNKNOWN_ID, "true"))
        await stack.enter_async_context(offline_configured(station, wait_minimum, wait_minimum + 60))
        await ensure_variable(stack, station, CONTRACT_VALIDATION_OFFLINE, "true" if validation_offline else "false")
        await ensure_variable(stack, station, PNC_ENABLED, "true")
        await install_roots(station, pki, case_id)
        station.note("memory state IdTokenCached / IdTokenLocalAuthList of the <Configured valid IdToken> is not set "
                     "up: it takes no part in the contract's authorization (the eMAID is not that idToken)")
        transactions = await stack.enter_async_context(states.transactions_ended_afterwards(station))
        tx = states.Transaction(evse, connector, start_points=await states.tx_start_points(station),
                                stop_points=await states.tx_stop_points(station))
        transactions.append(tx)
        async with offline(station) as period:
            if "ParkingBayOccupancy" in tx.start_points:
                await station.actions.do("drive_in", evse=evse)
                tx.parked = True
            await station.actions.do("plug_in", evse=evse, connector=connector)
            tx.plugged = True
            await station.actions.do("plug_and_charge", evse=evse, connector=connector, emaid=contract.emaid,
                                     certificate=contract.chain_pem)
            tx.authorized = tx.stop_authorized = True  # the restore ends it by unplugging
            tx.token = IdTokenSpec(id_token=contract.emaid, type="eMAID")
            conn = await period.accept(not_before=station.ctx.scaled(values.transaction_duration),
                                       back_off=8 * wait_minimum)
            tx.connection, tx.since = conn, 0
            events = await queued_events(station, period, until_ended=False)
            for incoming in events:
                tx.record(incoming)
        if "EVConnected" in tx.start_points or "ParkingBayOccupancy" in tx.start_points:
            plugged = [e for e in events if e.payload.get("triggerReason") == "CablePluggedIn"]
            station.check.that(f"step 5: a queued TransactionEventRequest reports the cable plugged in (Part 6 "
                               f"{case_id})", len(plugged) == 1, expected="one with triggerReason CablePluggedIn",
                               actual=[f"seqNo {e.payload.get('seqNo')} {e.payload.get('triggerReason')}"
                                       for e in events], requirements=(f"Part 6 {case_id} step 5", "E01.FR.02"),
                               soft=True)
            for event in plugged:
                station.check.fields(f"TransactionEventRequest (Part 6 {case_id} step 5)", event.payload,
                                     {"transactionInfo.chargingState": "EVConnected", "offline": True},
                                     requirements=(f"Part 6 {case_id} step 5", "E12.FR.02"), soft=True)
        authorized = [e for e in events if e.payload.get("triggerReason") == "Authorized"]
        if validation_offline:
            station.check.that(f"step 7: a queued TransactionEventRequest with triggerReason Authorized (Part 6 "
                               f"{case_id}, C07.FR.08)", len(authorized) == 1,
                               expected="one with triggerReason Authorized",
                               actual=[f"seqNo {e.payload.get('seqNo')} {e.payload.get('triggerReason')}"
                                       for e in events], requirements=(f"Part 6 {case_id} step 7", "C07.FR.08",
                                                                       "C07.FR.12"))
            station.check.fields(f"TransactionEventRequest (Part 6 {case_id} step 7)", authorized[0].payload,
                                 {"offline": True, "idToken.idToken": contract.emaid, "idToken.type": "eMAID"},
                                 requirements=(f"Part 6 {case_id} step 7", "E12.FR.02", "E03.FR.01"), soft=True)
            charging = [e for e in events if e.payload.get("transactionInfo", {}).get("chargingState") == "Charging"]
            if not charging:  # step 9 EnergyTransferStarted: reported when the energy transfer starts
                charging.append(await conn.expect_call(
                    "TransactionEvent", since=0, transactionInfo={"chargingState": "Charging"},
                    requirements=(f"Part 6 {case_id} step 9", "E01.FR.05")))
                tx.record(charging[0])
            station.note(f"step 9: EnergyTransferStarted (seqNo {charging[0].payload.get('seqNo')})")
            return
        more = await transaction_events_during(station, tx, len(conn.mailbox), station.message_timeout,
                                               reason=f"Part 6 {case_id} step 7: the station does not start charging "
                                                      "(<Configured message timeout> after the queue)")
        bad = [e for e in (*events, *more) if e.payload.get("triggerReason") == "Authorized"
               or e.payload.get("transactionInfo", {}).get("chargingState") == "Charging"]
        station.check.that(f"step 7: the station has not started charging and sends no TransactionEventRequest with "
                           f"triggerReason Authorized or chargingState Charging (Part 6 {case_id}, C07.FR.07)",
                           not bad, expected="none",
                           actual=[f"seqNo {e.payload.get('seqNo')} triggerReason {e.payload.get('triggerReason')} "
                                   f"chargingState {e.payload.get('transactionInfo', {}).get('chargingState')} "
                                   f"(message {e.message_id})" for e in bad],
                           requirements=(f"Part 6 {case_id} step 7", "C07.FR.07"))


@case
async def test_tc_c_54_cs(station: ChargingStationUnderTest) -> None:
    """Contract certificate while offline, ContractValidationOffline true: the contract presented offline is
    validated locally and the EV charges; after the reconnection the queued TransactionEventRequests carry
    triggerReason Authorized with offline true (C07.FR.08-12), the energy transfer starts."""
    await _pnc_offline(station, "TC_C_54_CS", validation_offline=True)


@case
async def test_tc_c_55_cs(station: ChargingStationUnderTest) -> None:
    """Contract certificate while offline, ContractValidationOffline false: no charging (C07.FR.07): no
    TransactionEventRequest with triggerReason Authorized or chargingState Charging."""
    await _pnc_offline(station, "TC_C_55_CS", validation_offline=False)
