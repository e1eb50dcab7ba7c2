#!/usr/bin/env python3
"""Generate ``conformance/catalog/data/*.json`` from the reference material in /work/shared.

Run by developers (``python tools/build_catalog.py [--shared DIR]``), never at run time. The
output is deterministic, so regenerating an unchanged source gives byte-identical files.

What is taken from where:

* Part 6 test cases: the text rendering of the Part 6 PDF (authoritative for the list of
  cases). Only facts are kept: ids, titles, use-case ids, requirement ids, the role.
* Part 5 profiles: the row list and M/C columns from the Part 5 text rendering; the cell
  contents (feature expressions, which wrap badly in the text rendering) from the markdown
  rendering, cross-checked against the text rendering row by row. Condition sentences are
  not kept.
* Use cases and requirement paraphrases: /work/shared/catalog/ocpp201-catalog.md (our own
  words); cross-checked against usecases.yaml when PyYAML is importable.
* Feature, question and hardware-feature names: written here in our own words; the generator
  checks that the set of ids equals the one in Part 5.
* Part 5 errata (errata sheet 2025-09, entries 5.1-5.23): applied last, from the structured table
  in tools/part5_errata.py (ids, levels, expressions; every "old" value is checked against the
  parsed one). The result records per case which entries changed it (``errata``) and which one
  took it out of the certification program (``removed_by``); data/errata.json and meta.json list
  the entries and whether each was applied.

The OCA documents are CC BY-ND: no description, purpose or condition prose is copied.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from conformance.catalog import (  # noqa: E402  (path set up above)
    PROFILES,
    FeatureExpressionError,
    feature_atoms,
    normalise_features,
)
from conformance.catalog.messages import BLOCKS, MESSAGE_TABLE  # noqa: E402
from tools.part5_errata import ERRATA_EDITION, ERRATA_SOURCE, PART5_ERRATA  # noqa: E402

DATA_DIR = REPO / "conformance" / "catalog" / "data"
DEFAULT_SHARED = Path("/work/shared")
PART6_TXT = "ocpp-2.0.1/pdf/OCPP-2.0.1_edition3_part6-testcases.txt"
PART5_TXT = "ocpp-2.0.1/pdf/OCPP-2.0.1_edition3_part5_certification_profiles.txt"
PART5_MD = "ocpp-2.0.1/OCPP-2.0.1_edition3_part5_certification_profiles.md"
CATALOG_MD = "catalog/ocpp201-catalog.md"
USECASES_YAML = "catalog/usecases.yaml"

EDITION_LABEL = "ocpp2.0.1-ed3-2024-05-06-errata-2025-09"
ROLE_SUFFIX = {"CS": "_CS", "CSMS": "_CSMS"}
ROLE_OF_SUT = {"Charging Station": "CS", "CSMS": "CSMS"}

# Known misprints in the sources, fixed explicitly (and reported) rather than guessed.
ID_NOTES = {
    "TC_C_58_CS": (
        "Part 6 prints 'TC_C_28_CS' in the Test case Id row of this table; the table heading "
        "and Part 5 (Local Authorization List Management) identify it as TC_C_58."
    ),
}
# The markdown rendering of Part 5 has one closing parenthesis too many in this cell; the
# text rendering of the same row is balanced. Value = the expression as the text gives it.
PART5_EXPRESSION_FIXES = {
    ("Core", "TC_E_20"): (
        "(C-10.1 AND (NOT (NOT C-52 AND (C-10.3 or C-10.4))) AND NOT (NOT C.06.1 AND NOT C-52 "
        'AND C-10.2)) AND (AQ-9 OR Product Subtype "Mode 1/2-only Charging Station")'
    ),
}
PRODUCT_SUBTYPE = "Product Subtype: Mode 1/2-only Charging Station"
SUMMARY_LIMIT = 120

# --------------------------------------------------------------------------------------------
# Own-words names for the Part 5 ids (§3.1, §3.2, Appendix A, Appendix B)
# --------------------------------------------------------------------------------------------

FEATURE_NAMES: dict[str, str] = {
    "C-01": "Offline authorization of transactions",
    "C-02": "Offline transactions for unknown idTokens (OfflineTxForUnknownIdEnabled)",
    "C-03": "Energy cap for invalid idTokens (MaxEnergyOnInvalidId)",
    "C-04": "Minimum status duration (MinimumStatusDuration)",
    "C-06": "Authorization after EV-side cable disconnect (StopTxOnEVSideDisconnect)",
    "C-06.1": "Authorization kept when the EV-side cable is pulled",
    "C-06.2": "Authorization ended when the EV-side cable is pulled",
    "C-07": "Master pass on stations with a user interface",
    "C-08": "Master pass on stations without a user interface",
    "C-09": "Transaction start points (TxStartPoint)",
    "C-09.1": "TxStartPoint EVConnected",
    "C-09.2": "TxStartPoint Authorized",
    "C-09.3": "TxStartPoint DataSigned",
    "C-09.4": "TxStartPoint PowerPathClosed",
    "C-09.5": "TxStartPoint EnergyTransfer",
    "C-09.6": "TxStartPoint ParkingBayOccupancy",
    "C-10": "Transaction stop points (TxStopPoint)",
    "C-10.1": "TxStopPoint EVConnected",
    "C-10.2": "TxStopPoint Authorized",
    "C-10.3": "TxStopPoint PowerPathClosed",
    "C-10.4": "TxStopPoint EnergyTransfer",
    "C-10.5": "TxStopPoint ParkingBayOccupancy",
    "C-11": "UnlockConnector for stations with a detachable cable",
    "C-12": "Connector unlock on EV-side disconnect (UnlockOnEVSideDisconnect)",
    "C-12.1": "Connector unlocked when the EV-side cable is pulled",
    "C-12.2": "Connector stays locked when the EV-side cable is pulled",
    "C-13": "Reset of a single EVSE",
    "C-14": "Customer information by customerIdentifier",
    "C-15": "Scheduled firmware updates",
    "C-16": "Transaction status queries (GetTransactionStatus)",
    "C-17": "ConfigurationInventory base report",
    "C-20": "New sessions while a firmware update waits (AllowNewSessionsPendingFirmwareUpdate)",
    "C-21": "Queue all messages or only transaction messages (QueueAllMessages)",
    "C-23": "Time sources (TimeSource)",
    "C-25": "Time offset (TimeOffset)",
    "C-26": "Time zone (TimeZone)",
    "C-28": "Clock-aligned meter values while idle (AlignedDataSendDuringIdle)",
    "C-29": "TriggerMessage",
    "C-29.1": "TriggerMessage for MeterValues",
    "C-29.2": "TriggerMessage for TransactionEvent",
    "C-29.3": "TriggerMessage for LogStatusNotification",
    "C-29.4": "TriggerMessage for FirmwareStatusNotification",
    "C-29.5": "TriggerMessage for StatusNotification",
    "C-29.6": "TriggerMessage for BootNotification",
    "C-30": "Local start authorization with RFID ISO 14443",
    "C-31": "Local start authorization with RFID ISO 15693",
    "C-32": "Local start authorization with a key code",
    "C-33": "Local start authorization with a locally generated id",
    "C-34": "Local start authorization with a MAC address",
    "C-35": "Local start without authorization (NoAuthorization)",
    "C-36": "Remote start authorization with RFID ISO 14443",
    "C-37": "Remote start authorization with RFID ISO 15693",
    "C-38": "Remote start authorization with an id generated centrally",
    "C-39": "Remote start without authorization (NoAuthorization)",
    "C-40": "Supported measurands",
    "C-40.1": "Measurands for SampledTxStartedMeasurands",
    "C-40.2": "Measurands for SampledTxUpdatedMeasurands",
    "C-40.3": "Measurands for SampledTxEndedMeasurands",
    "C-40.4": "Measurands for AlignedDataMeasurands",
    "C-40.5": "Measurands for AlignedDataTxEndedMeasurands",
    "C-41": "TLS cipher suites",
    "C-42": "Signed meter values (SampledDataSignReadings)",
    "C-43": "Firmware installation during ongoing transactions",
    "C-44": "BootNotification answered Pending before Accepted",
    "C-45": "GetVariables with several elements",
    "C-46": "SetVariables with several elements",
    "C-47": "Fallback to default reconnection after a network profile fails",
    "C-48": "Authorization of remote starts (AuthorizeRemoteStart)",
    "C-48.1": "Remote starts are authorized first",
    "C-48.2": "Remote starts are not authorized first",
    "C-49": "Authorization cache (AuthCacheEnabled)",
    "C-50": "FullInventory base report",
    "C-50.1": "FullInventory requested during onboarding",
    "C-50.2": "FullInventory requested on demand",
    "C-51": "Configurable TxStartPoint",
    "C-52": "Configurable TxStopPoint",
    "C-53": "Cache entry lifetime (AuthCacheLifeTime)",
    "C-54": "Cache replacement policies (AuthCachePolicy)",
    "C-56": "SummaryInventory base report",
    "C-57": "Cancelling a running log upload",
    "C-58": "Switching off remote authorization (DisableRemoteAuthorization)",
    "C-59": "No remote re-check of cached invalid tokens (AuthCacheDisablePostAuthorize)",
    "C-60": "Cancelling a running firmware update",
    "AS-2": "Extra check before trusting a new root certificate (AdditionalRootCertificateCheck)",
    "AS-3": "Retry when CertificateSigned does not arrive (CertSigningWaitMinimum/RepeatTimes)",
    "SC-2": "Charging rate units (ChargingScheduleChargingRateUnit)",
    "SC-2.1": "Charging rate unit A",
    "SC-2.2": "Charging rate unit W",
    "SC-4": "TxDefaultProfile on EVSE 0",
    "R-1": "Reservation of a connector type",
    "R-2": "Reservation without a specific EVSE (ReservationNonEvseSpecific)",
    "R-3": "Reservations can be switched on and off (ReservationEnabled)",
    "DM-3": "Offline queuing of NotifyEvent by severity (OfflineMonitoringEventQueuingSeverity)",
    "ISO-3": "One station certificate for both OCPP and ISO 15118",
    "ISO-4": "Customer information by customer certificate",
    "ISO-5": "Passing unverifiable contract certificates on (CentralContractValidationAllowed)",
    "LA-1": "Local authorization list (LocalAuthListEnabled)",
    "LA-2": "GetLocalListVersion",
    "LA-3": "No remote re-check of invalid local-list tokens (LocalAuthListDisablePostAuthorize)",
    "UI-1": "Display message priorities (DisplayMessageSupportedPriorities)",
    "UI-1.1": "Display priority AlwaysFront",
    "UI-1.2": "Display priority InFront",
    "UI-1.3": "Display priority NormalCycle",
    "UI-2": "Display message formats (DisplayMessageSupportedFormats)",
    "UI-2.1": "Display format ASCII",
    "UI-2.2": "Display format HTML",
    "UI-2.3": "Display format URI",
    "UI-2.4": "Display format UTF8",
}
HARDWARE_NAMES: dict[str, str] = {
    "HFS-1": "Detachable cable",
    "HFS-2": "Fixed (tethered) cable",
    "HFS-3": "AC charging",
    "HFS-4": "DC charging",
    "HFS-5": "Single-phase charging",
    "HFS-6": "Two-phase charging",
    "HFS-7": "Three-phase charging",
    "HFS-8": "Number of EVSEs",
    "HFS-9": "Communication technology",
    "HFS-10": "RFID readers",
}
QUESTION_NAMES: dict[str, dict[str, str]] = {
    "CS": {
        "AQ-1": "The last CSMS root certificate can be deleted",
        "AQ-2": "A cable lock stops plugging in before authorization",
        "AQ-3": "The last station certificate can be removed by non-OCPP means",
        "AQ-4": "At least one number of phases is not supported",
        "AQ-5": "Has a hard-wired monitor (the lab needs to know which)",
        "AQ-6": "Has a preconfigured monitor (the lab needs to know which)",
        "AQ-7": "Can download firmware during a transaction",
        "AQ-8": "Requires choosing an EVSE before authorization",
        "AQ-9": "Can charge an EV in IEC 61851-1 mode 3",
    },
    "CSMS": {
        "AQ-1": "Can answer the first BootNotification with Pending or Rejected",
        "AQ-2": "Requests a FullInventory while onboarding a station",
        "AQ-6": "Rejects unknown stations while the WebSocket is set up",
    },
}
PART5_ID = r"(?:C|AS|SC|R|DM|ISO|LA|UI)-\d+(?:\.\d+)?"


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


class BuildError(RuntimeError):
    """The sources do not look the way this generator expects."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BuildError(message)


def dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def section(lines: list[str], start: str, end: str) -> list[str]:
    """The lines between the last line starting with ``start`` and the next ``end`` line.

    "Last" skips the table of contents, which repeats every heading.
    """
    first = max(i for i, line in enumerate(lines) if line.startswith(start))
    stop = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(end))
    return lines[first:stop]


# --------------------------------------------------------------------------------------------
# Part 6: the test cases
# --------------------------------------------------------------------------------------------

P6_HEADING = re.compile(r"^\s*(?:Table \d+\. )?Test Case Id: (TC_[A-P]_\d+_(?:CS|CSMS))\s*$")
P6_FIELD = re.compile(
    r"^(Test case name|Test case Id|Use case Id\(s\)|Requirement\(s\)|System under test"
    r"|Description)(?:\s+(.*))?$"
)
P6_FIELDS = (
    "Test case name", "Test case Id", "Use case Id(s)", "Requirement(s)", "System under test",
)
REQ_ID = re.compile(r"^([A-P]\d{2})[._]FR[._](\d{2,3})$")
NOT_APPLICABLE = {"n/a", "N/a", "N/A"}


@dataclass
class RawCase:
    key: str  # the table heading id
    fields: dict[str, list[str]]  # field -> its lines (wrapped values keep one entry per line)


def parse_part6(text: str) -> list[RawCase]:
    lines = text.split("\n")
    headings = [i for i, line in enumerate(lines) if P6_HEADING.match(line)]
    cases: list[RawCase] = []
    for n, start in enumerate(headings):
        match = P6_HEADING.match(lines[start])
        assert match is not None
        stop = headings[n + 1] if n + 1 < len(headings) else len(lines)
        fields: dict[str, list[str]] = {}
        current: str | None = None
        for line in lines[start + 1 : stop]:
            field_match = P6_FIELD.match(line)
            if field_match:
                current = field_match.group(1)
                if current == "Description":
                    break
                check(current not in fields, f"{match.group(1)}: {current} given twice")
                fields[current] = [(field_match.group(2) or "").strip()]
            elif current and line.startswith(" " * 15) and line.strip():
                fields[current].append(line.strip())  # a wrapped value
            elif current and line.strip():
                current = None
        check(
            tuple(f for f in P6_FIELDS if f in fields) == P6_FIELDS,
            f"{match.group(1)}: fields {sorted(fields)}",
        )
        cases.append(RawCase(match.group(1), fields))
    return cases


def normalise_requirement(token: str) -> str:
    """``C14_FR_03`` / ``A00.FR.202.`` -> ``C14.FR.03`` / ``A00.FR.202``; else the raw token."""
    match = REQ_ID.match(token.rstrip("."))
    return f"{match.group(1)}.FR.{match.group(2)}" if match else token


def parse_requirements(value_lines: list[str]) -> list[str]:
    """Requirement ids from a Part 6 Requirement(s) field, normalised, in order, deduplicated."""
    text = " ".join(value_lines).strip()
    if not text or text in NOT_APPLICABLE:
        return []
    if not re.search(r"FR", text):  # a chapter/section reference instead of ids
        return [text]
    tokens: list[str] = []
    for line in value_lines:
        parts = [p for p in re.split(r"[,\s&]+", line) if p and p not in ("AND", "OR", "and", "or")]
        if tokens and parts and parts[0][0] in "0123456789._":
            tokens[-1] += parts.pop(0)  # an id wrapped across two lines ("L" + "01.FR.23")
        tokens.extend(parts)
    return dedupe(normalise_requirement(t) for t in tokens if t not in NOT_APPLICABLE)


def parse_use_cases(value_lines: list[str]) -> list[str]:
    text = " ".join(value_lines).strip()
    ids = dedupe(re.findall(r"\b([A-P]\d{2})\b", text))
    if ids or text in NOT_APPLICABLE or not text:
        return ids
    return [text]  # e.g. "Part 4 section 5.3. Reconnecting": kept raw, pinned by the tests


# --------------------------------------------------------------------------------------------
# Part 5: profiles and feature expressions
# --------------------------------------------------------------------------------------------


@dataclass
class Part5Row:
    profile: str
    base_id: str  # e.g. TC_B_01
    cells: dict[str, str]  # "CS" / "CSMS" -> "M" | "C" | "" | an expression (TC_F_06)
    expression: str  # the Feature no. cell


def part5_txt_rows(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """(profile, base id, M/C flags in column order) for every row of §4.2-§4.9."""
    rows: list[tuple[str, str, list[str]]] = []
    profile = ""
    for line in section(lines, "4.2. Test Cases Core", "5. OCPP 2.0.1 Mandatory"):
        heading = re.match(r"^4\.\d\. Test Cases (.*)$", line)
        if heading:
            profile = heading.group(1).strip().rstrip(".")
            continue
        row = re.match(r"^(TC_[A-P]_\d+)\s", line)
        if row:
            rows.append((profile, row.group(1), _row_flags(line)))
    return rows


def _row_flags(line: str) -> list[str]:
    """The M/C letters of a Part 5 text row: lone letters right after the scenario title."""
    segments = re.split(r"\s{2,}", line.strip())  # columns are at least two spaces apart
    flags: list[str] = []
    for index, segment in enumerate(segments[1:], start=1):
        if re.fullmatch(r"[MC]( [MC])?", segment):
            if flags or index <= 2:  # id, title, flags (id and title may share a segment)
                flags.extend(segment.split())
                continue
        if flags:
            break
    return flags


def _cell_text(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())


def part5_md_rows(markdown: str) -> list[Part5Row]:
    rows: list[Part5Row] = []
    parts = re.split(r"(?m)^(?:# )?4\.\d\. Test Cases (.*)$", markdown)
    for title, body in zip(parts[1::2], parts[2::2]):
        profile = title.strip().rstrip(".")
        table = re.search(r"<table>(.*?)</table>", body, re.S)
        if profile not in PROFILES or table is None:
            continue  # the table of contents
        for tr in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
            cells = [_cell_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            if not cells or not re.match(r"TC_\w_\d+$", cells[0]):
                continue
            check(len(cells) == 7, f"Part 5 md {profile} {cells[0]}: {len(cells)} cells")
            rows.append(Part5Row(profile, cells[0], {"CS": cells[2], "CSMS": cells[3]}, cells[5]))
    return rows


def parse_part5_rows(txt: str, markdown: str) -> list[Part5Row]:
    """The Part 5 rows, ids and flags checked between the two renderings."""
    txt_rows = part5_txt_rows(txt.split("\n"))
    md_rows = part5_md_rows(markdown)
    check(len(txt_rows) == len(md_rows), "Part 5 row counts differ between txt and md")
    for (profile, base_id, flags), row in zip(txt_rows, md_rows):
        # The markdown is an OCR rendering: it reads some block letters O as 0 and I as L.
        ocr_equal = re.sub(r"TC_[0O]_", "TC_O_", row.base_id) == base_id or (
            base_id.startswith("TC_I_") and row.base_id == base_id.replace("TC_I_", "TC_L_")
        )
        check(profile == row.profile and ocr_equal, f"Part 5 rows differ: {base_id} {row.base_id}")
        row.base_id = base_id  # the text rendering is authoritative for ids
        md_flags = [v for v in (row.cells["CS"], row.cells["CSMS"]) if v in ("M", "C")]
        check(flags == md_flags, f"Part 5 {row.profile} {row.base_id}: txt {flags} md {md_flags}")
        fix = PART5_EXPRESSION_FIXES.get((row.profile, row.base_id))
        if fix is not None:
            row.expression = fix
    return md_rows


def clean_expression(raw: str) -> str:
    """Turn a Part 5 'Feature no.' cell into the canonical feature-expression syntax."""
    expr = raw.replace('Product Subtype "Mode 1/2-only Charging Station"', f'"{PRODUCT_SUBTYPE}"')
    expr = re.sub(r"\bISO\s?15118 support\b", '"ISO 15118 Support"', expr, flags=re.I)
    for profile in ("Local Authorization List Management", "Smart Charging"):
        expr = expr.replace(profile, f'"{profile}"')
    expr = re.sub(r"\bC\.(\d\d)\.(\d)\b", r"C-\1.\2", expr)  # C.06.1 -> C-06.1
    expr = re.sub(r"(?<![-\w.])C(\d\d)\b", r"C-\1", expr)  # C35 -> C-35
    expr = re.sub(r"(\d)(and|or)\b", r"\1 \2", expr)  # UI-1.1and -> UI-1.1 and

    def expand(match: re.Match[str]) -> str:  # "C-30 - C-35" / "C-36-(or) C-39" -> (a or ...)
        prefix, first, last = match.group(1), int(match.group(2)), int(match.group(3))
        return "(" + " or ".join(f"{prefix}-{n:02d}" for n in range(first, last + 1)) + ")"

    expr = re.sub(r"\b([A-Z]+)-(\d+)\s*-\s*(?:\(or\)\s*)?\1-(\d+)", expand, expr)
    return normalise_features(expr)


def split_by_role(raw: str) -> dict[str, str] | None:
    """Cells that give a different expression per role, e.g. "For CSMS: R-1, For CS: R-2"."""
    match = re.fullmatch(r"CSMS:\s*(.+?)\s+Charging Station:\s*(.+)", raw) or re.fullmatch(
        r"For CSMS:\s*(.+?),\s*For CS:\s*(.+)", raw
    )
    return {"CSMS": match.group(1), "CS": match.group(2)} if match else None


# --------------------------------------------------------------------------------------------
# Part 5: feature ids
# --------------------------------------------------------------------------------------------


def part5_feature_ids(txt: str) -> dict[str, list[str]]:
    lines = txt.split("\n")
    cs = section(lines, "3.1. Optional feature list for charging station", "3.2. Optional")
    csms = section(lines, "3.2. Optional feature list for CSMS", "4. List of test cases")
    result: dict[str, list[str]] = {}
    for role, part in (("CS", cs), ("CSMS", csms)):
        for line in part:
            match = re.match(rf"^({PART5_ID})\s", line)
            if match:
                result.setdefault(match.group(1), []).append(role)
    hardware = section(lines, "7. Appendix B: Hardware feature set", "8. Appendix C")
    for line in hardware:
        match = re.match(r"^(HFS-\d+)\s", line)
        if match:
            result[match.group(1)] = ["CS"]
    return result


def part5_question_ids(txt: str) -> dict[str, list[str]]:
    lines = txt.split("\n")
    result = {}
    for role, start, end in (
        ("CS", "6.1. Questions for Charging Stations", "6.2."),
        ("CSMS", "6.2. Questions for CSMSs", "7. Appendix B"),
    ):
        matches = (re.match(r"^(AQ-\d+)\s", line) for line in section(lines, start, end))
        result[role] = [m.group(1) for m in matches if m]
    return result


# --------------------------------------------------------------------------------------------
# Use cases (our paraphrase catalog)
# --------------------------------------------------------------------------------------------


def parse_use_case_catalog(markdown: str) -> list[dict[str, Any]]:
    """Use cases with requirements from ocpp201-catalog.md (§1 tables and §3 sections)."""
    lines = markdown.split("\n")
    messages: dict[str, list[str]] = {}
    for line in section(lines, "## 1. Use cases per functional block", "## 2."):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.fullmatch(r"[A-P]\d\d", cells[0]):
            names = [re.sub(r"[→↔].*$", "", m).strip() for m in cells[3].split(",")]
            messages[cells[0]] = [n for n in names if n and n != "—"]

    use_cases: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in section(lines, "## 3. Functional requirements", "## 4."):
        heading = re.match(r"^### (\w+) — (.+)$", line)
        if heading:
            uc_id, name = heading.groups()
            pseudo = uc_id in ("GEN", "A00")
            block = "" if uc_id == "GEN" else uc_id[0]
            current = {
                "id": uc_id,
                "name": name.strip(),
                "block": block,
                "block_name": BLOCKS.get(block, "General"),
                "pseudo": pseudo,
                "messages": messages.get(uc_id, []),
                "requirements": [],
            }
            use_cases.append(current)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current is not None and len(cells) == 5 and re.fullmatch(r"(\w+\.)?FR\.\d+", cells[0]):
            req_id, level, actor, _errata, text = cells
            current["requirements"].append(
                {"id": req_id, "text": text, "level": level, "actor": actor}
            )
    return use_cases


def cross_check_yaml(use_cases: list[dict[str, Any]], path: Path) -> str:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return "skipped (PyYAML not installed)"
    entries = yaml.safe_load(path.read_text("utf-8"))
    check(len(entries) == len(use_cases), "use-case count differs from usecases.yaml")
    for ours, theirs in zip(use_cases, entries):
        check(ours["id"] == theirs["id"] and ours["name"] == theirs["name"], f"{ours['id']} name")
        check(ours["messages"] == list(theirs.get("messages") or []), f"{ours['id']} messages")
        pairs = [(r["id"], r["text"], r["level"], r["actor"]) for r in ours["requirements"]]
        expected = [(r["id"], r["text"], r["level"], r["actor"]) for r in theirs["requirements"]]
        check(pairs == expected, f"{ours['id']} requirements differ from usecases.yaml")
    return "ok"


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------


def _simplified(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def summarise(role: str, title: str, use_cases: list[str], names: dict[str, str]) -> str:
    """A one-line label built from facts: the SUT, the use case and the scenario title."""
    who = "Station" if role == "CS" else "CSMS"
    known = [uc for uc in use_cases if uc in names]
    if not known:
        return f"{who} test: {title}"
    first = known[0]
    more = f" (+{len(known) - 1} more)" if len(known) > 1 else ""
    group, sep, rest = title.partition(" - ")
    same = _simplified(group) and (
        _simplified(names[first]).startswith(_simplified(group))
        or _simplified(group).startswith(_simplified(names[first]))
    )
    scenario = rest if sep and same else title
    summary = f"{who} test of {first} {names[first]}{more}: {scenario}"
    if len(summary) > SUMMARY_LIMIT:  # keep it one short line: drop the use-case name
        summary = f"{who} test of {first}{more}: {scenario}"
    return summary


def case_sort_key(case_id: str) -> tuple[int, str, int]:
    _, block, number, role = case_id.split("_")
    return (0 if role == "CS" else 1, block, int(number))


@dataclass
class BuildReport:
    lines: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.lines.append(text)


def build_test_cases(
    raw_cases: list[RawCase],
    rows: list[Part5Row],
    use_case_names: dict[str, str],
    role_namespace: dict[str, set[str]],
    report: BuildReport,
) -> list[dict[str, Any]]:
    keys = [c.key for c in raw_cases]
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    check(not duplicates, f"duplicate Part 6 headings: {duplicates}")

    cases: dict[str, dict[str, Any]] = {}
    for raw in raw_cases:
        printed_id = raw.fields["Test case Id"][0]
        note = ID_NOTES.get(raw.key)
        check((printed_id == raw.key) == (note is None), f"{raw.key}: printed as {printed_id}")
        role = ROLE_OF_SUT[" ".join(raw.fields["System under test"])]
        check(raw.key.endswith(ROLE_SUFFIX[role]), f"{raw.key}: SUT is {role}")
        title = " ".join(" ".join(raw.fields["Test case name"]).split())
        use_cases = parse_use_cases(raw.fields["Use case Id(s)"])
        cases[raw.key] = {
            "id": raw.key,
            "role": role,
            "block": raw.key.split("_")[1],
            "title": title,
            "use_cases": use_cases,
            "requirements": parse_requirements(raw.fields["Requirement(s)"]),
            "profiles": {},
            "summary": summarise(role, title, use_cases, use_case_names),
            "id_note": note,
        }

    unplaced: list[str] = []
    outside_role: list[str] = []
    for row in rows:
        split = split_by_role(row.expression)
        for role in ("CS", "CSMS"):
            cell = row.cells[role]
            if not cell:
                continue
            case_id = row.base_id + ROLE_SUFFIX[role]
            if case_id not in cases:
                unplaced.append(f"{row.profile}: {case_id} ({cell})")
                continue
            if cell in ("M", "C"):
                level = cell
                raw_expr = split[role] if split else row.expression
            else:  # the expression itself sits in the role column (TC_F_06)
                level, raw_expr = "C", cell
            expr: str | None = None
            if level == "C" and raw_expr and raw_expr != "See column 3/4":
                try:
                    expr = clean_expression(raw_expr)
                except FeatureExpressionError as exc:
                    raise BuildError(f"{row.profile} {case_id}: {exc}") from exc
                foreign = {a for a in feature_atoms(expr) if a not in role_namespace[role]}
                if foreign:
                    outside_role.append(f"  {row.profile} {case_id}: {expr!r} names "
                                        f"{sorted(foreign)}, not {role} ids; kept as given")
            profiles = cases[case_id]["profiles"]
            check(row.profile not in profiles, f"{case_id} listed twice in {row.profile}")
            profiles[row.profile] = {"level": level, "features_expr": expr}

    for case in cases.values():  # profiles in Part 5 order
        case["profiles"] = {p: case["profiles"][p] for p in PROFILES if p in case["profiles"]}
    with_profiles = sum(1 for c in cases.values() if c["profiles"])
    report.add(f"test cases: {len(cases)}; with profile data: {with_profiles}; "
               f"without (profiles {{}}): {len(cases) - with_profiles}")
    report.add(f"Part 5 entries not placed on a Part 6 case: {len(unplaced)}")
    report.lines.extend(f"  {u}" for u in unplaced)
    report.add(f"feature expressions naming ids outside their role's lists: {len(outside_role)}")
    report.lines.extend(outside_role)
    return [cases[k] for k in sorted(cases, key=case_sort_key)]


def build(shared: Path) -> tuple[dict[str, Any], BuildReport]:
    report = BuildReport()
    part6 = (shared / PART6_TXT).read_text("utf-8")
    part5_txt = (shared / PART5_TXT).read_text("utf-8")
    part5_md = (shared / PART5_MD).read_text("utf-8")
    catalog_md = (shared / CATALOG_MD).read_text("utf-8")

    use_cases = parse_use_case_catalog(catalog_md)
    report.add(f"use cases: {sum(not u['pseudo'] for u in use_cases)} (+ pseudo "
               f"{[u['id'] for u in use_cases if u['pseudo']]}); usecases.yaml cross-check: "
               f"{cross_check_yaml(use_cases, shared / USECASES_YAML)}")
    known_messages = {name for name, *_ in MESSAGE_TABLE}
    for uc in use_cases:
        unknown = set(uc["messages"]) - known_messages
        check(not unknown, f"{uc['id']}: unknown messages {unknown}")

    feature_ids = part5_feature_ids(part5_txt)
    named = set(FEATURE_NAMES) | set(HARDWARE_NAMES)
    check(set(feature_ids) == named, f"feature ids differ: {sorted(set(feature_ids) ^ named)}")
    question_ids = part5_question_ids(part5_txt)
    check({r: sorted(q) for r, q in question_ids.items()}
          == {r: sorted(q) for r, q in QUESTION_NAMES.items()}, f"question ids: {question_ids}")
    names = {**FEATURE_NAMES, **HARDWARE_NAMES}
    features = {k: names[k] for k in sorted(names, key=_feature_sort_key)}
    feature_roles = {k: feature_ids[k] for k in features}

    profile_names = {"Local Authorization List Management", "Smart Charging", "ISO 15118 Support"}
    namespace = {
        role: {k for k, roles in feature_roles.items() if role in roles}
        | set(QUESTION_NAMES[role]) | profile_names | ({PRODUCT_SUBTYPE} if role == "CS" else set())
        for role in ("CS", "CSMS")
    }
    rows = parse_part5_rows(part5_txt, part5_md)
    report.add(f"Part 5 rows: {len(rows)} ({dict(Counter(r.profile for r in rows))})")
    test_cases = build_test_cases(
        parse_part6(part6), rows, {u["id"]: u["name"] for u in use_cases}, namespace, report
    )

    questions = {r: dict(q) for r, q in QUESTION_NAMES.items()}
    errata = apply_part5_errata(test_cases, features, feature_roles, questions,
                                {u["id"]: u["name"] for u in use_cases}, report)
    features = {k: features[k] for k in sorted(features, key=_feature_sort_key)}
    feature_roles = {k: feature_roles[k] for k in features}
    namespace = {
        role: {k for k, roles in feature_roles.items() if role in roles}
        | set(questions[role]) | profile_names | ({PRODUCT_SUBTYPE} if role == "CS" else set())
        for role in ("CS", "CSMS")
    }
    foreign = [f"  {c['id']} {p}: {sorted(a for a in feature_atoms(v['features_expr']) if a not in namespace[c['role']])}"
               for c in test_cases if not c["removed_by"]
               for p, v in c["profiles"].items()
               if v["features_expr"] and not feature_atoms(v["features_expr"]) <= namespace[c["role"]]]
    report.add(f"after the errata, expressions naming ids outside their role's lists: {len(foreign)}")
    report.lines.extend(foreign)

    known_ucs = {u["id"] for u in use_cases}
    odd_ucs = sorted({uc for c in test_cases for uc in c["use_cases"] if uc not in known_ucs})
    odd_reqs = sorted({r for c in test_cases for r in c["requirements"] if not REQ_ID.match(r)})
    report.add(f"use-case references that are not use-case ids: {odd_ucs}")
    report.add(f"requirement references kept raw: {odd_reqs}")

    files = {
        "use_cases.json": {"use_cases": use_cases},
        "test_cases.json": {"test_cases": test_cases},
        "features.json": {
            "features": features,
            "feature_roles": feature_roles,
            "questions": {r: dict(sorted(q.items(), key=lambda kv: _feature_sort_key(kv[0])))
                          for r, q in questions.items()},
            "removed_features": errata["removed_features"],
            "question_renames": errata["question_renames"],
            "feature_conditions": errata["feature_conditions"],
        },
        "errata.json": {"source": ERRATA_SOURCE, "edition": ERRATA_EDITION, "part5": errata["errata"]},
    }
    return files, report


# --------------------------------------------------------------------------------------------
# Part 5 errata overlay (tools/part5_errata.py)
# --------------------------------------------------------------------------------------------


def _rename_atom(expr: str, old: str, new: str) -> str:
    return normalise_features(re.sub(rf"(?<![\w.-]){re.escape(old)}(?![\d.])", new, expr))


def _norm(expr: str | None) -> str | None:
    return normalise_features(expr) if expr else None


def apply_part5_errata(
    test_cases: list[dict[str, Any]],
    features: dict[str, str],
    feature_roles: dict[str, list[str]],
    questions: dict[str, dict[str, str]],
    use_case_names: dict[str, str],
    report: BuildReport,
) -> dict[str, Any]:
    """Apply :data:`PART5_ERRATA` in place; returns the errata record for the catalog data.

    Every "old" value must match what was parsed (else BuildError), so a stale entry shows."""
    cases = {c["id"]: c for c in test_cases}
    for case in test_cases:
        case.setdefault("errata", [])
        case.setdefault("removed_by", None)
    removed_features: dict[str, dict[str, Any]] = {}
    renames: dict[str, dict[str, dict[str, Any]]] = {"CS": {}, "CSMS": {}}
    conditions: dict[str, dict[str, Any]] = {}
    record: list[dict[str, Any]] = []

    def mark(case_id: str, entry_id: str) -> dict[str, Any]:
        check(case_id in cases, f"errata {entry_id}: {case_id} is not in the catalog")
        case = cases[case_id]
        if entry_id not in case["errata"]:
            case["errata"].append(entry_id)
        return case

    for entry in PART5_ERRATA:
        eid = entry["id"]
        applied, not_applied = [], []
        for change in entry["changes"]:
            kind = change[0]
            if kind == "none":
                continue
            if kind == "not_applied":
                not_applied.append(change[1])
                continue
            if kind == "feature_added":
                _, fid, roles, name = change
                check(fid not in features, f"errata {eid}: feature {fid} exists already")
                features[fid], feature_roles[fid] = name, list(roles)
            elif kind == "feature_removed":
                _, fid, replaced_by = change
                check(fid in features, f"errata {eid}: feature {fid} unknown")
                del features[fid]
                del feature_roles[fid]
                removed_features[fid] = {"errata": eid, "replaced_by": replaced_by}
            elif kind == "feature_roles":
                _, fid, roles = change
                check(fid in feature_roles, f"errata {eid}: feature {fid} unknown")
                feature_roles[fid] = list(roles)
            elif kind == "feature_renamed":
                _, fid, name = change
                check(fid in features, f"errata {eid}: feature {fid} unknown")
                features[fid] = name
            elif kind == "feature_condition":
                _, fid, expr = change
                check(fid in features, f"errata {eid}: feature {fid} unknown")
                conditions[fid] = {"expr": normalise_features(expr), "errata": eid}
            elif kind == "question_added":
                _, role, qid, name = change
                check(qid not in questions[role], f"errata {eid}: {role} question {qid} exists already")
                questions[role][qid] = name
            elif kind == "question_renamed":
                _, role, old, new = change
                check(old in questions[role] and new not in questions[role],
                      f"errata {eid}: {role} question {old} -> {new}")
                questions[role][new] = questions[role].pop(old)
                for prior in renames[role].values():  # AQ-1 -> AQ-11 -> AQ-17
                    if prior["to"] == old:
                        prior["to"] = new
                        prior["errata"].append(eid)
                renames[role][old] = {"to": new, "errata": [eid]}
                for case in test_cases:
                    if case["role"] != role:
                        continue
                    for profile in case["profiles"].values():
                        expr = profile["features_expr"]
                        if expr and old in feature_atoms(expr):
                            profile["features_expr"] = _rename_atom(expr, old, new)
                            mark(case["id"], eid)
            elif kind == "case_condition":
                _, case_id, profile, (old_level, old_expr), (new_level, new_expr) = change
                case = mark(case_id, eid)
                current = case["profiles"].get(profile)
                check(current is not None, f"errata {eid}: {case_id} is not listed in {profile}")
                check((current["level"], current["features_expr"]) == (old_level, _norm(old_expr)),
                      f"errata {eid}: {case_id} in {profile} is {current}, expected {old_level} {old_expr!r}")
                current.update(level=new_level, features_expr=_norm(new_expr))
            elif kind == "case_added_to_profile":
                _, case_id, profile, level, expr = change
                case = mark(case_id, eid)
                check(profile not in case["profiles"], f"errata {eid}: {case_id} already in {profile}")
                case["profiles"][profile] = {"level": level, "features_expr": _norm(expr)}
                case["profiles"] = {p: case["profiles"][p] for p in PROFILES if p in case["profiles"]}
            elif kind == "case_added":
                _, case_id, fields = change
                check(case_id not in cases, f"errata {eid}: {case_id} exists already")
                role = fields["role"]
                check(case_id.endswith(ROLE_SUFFIX[role]), f"errata {eid}: {case_id} is not a {role} id")
                cases[case_id] = {
                    "id": case_id, "role": role, "block": case_id.split("_")[1], "title": fields["title"],
                    "use_cases": list(fields["use_cases"]), "requirements": list(fields["requirements"]),
                    "profiles": {p: dict(v) for p, v in fields["profiles"].items()},
                    "summary": summarise(role, fields["title"], fields["use_cases"], use_case_names),
                    "id_note": None,  # the errata list says where it comes from
                    "errata": [eid], "removed_by": None,
                }
                test_cases.append(cases[case_id])
            elif kind == "case_removed":
                _, case_id = change
                case = mark(case_id, eid)
                check(case["removed_by"] is None, f"errata {eid}: {case_id} removed twice")
                case["removed_by"] = eid
            else:
                raise BuildError(f"errata {eid}: unknown change kind {kind!r}")
            applied.append(kind)
        status = "applied" if applied and not not_applied else "partly applied" if applied else (
            "not applied" if not_applied else "no data change")
        record.append({"id": eid, "date": entry["date"], "summary": entry["summary"], "status": status,
                       "not_applied": not_applied})
    test_cases.sort(key=lambda c: case_sort_key(c["id"]))
    for role in renames:
        for old in [o for o, r in renames[role].items() if r["to"] == o]:
            del renames[role][old]
    changed = sum(1 for c in test_cases if c["errata"])
    removed = [c["id"] for c in test_cases if c["removed_by"]]
    report.add(f"Part 5 errata ({ERRATA_EDITION}): {len(record)} entries; "
               f"{dict(Counter(r['status'] for r in record))}; cases changed {changed}; removed {removed}")
    return {
        "errata": record,
        "removed_features": removed_features,
        "question_renames": {r: v for r, v in renames.items() if v},
        "feature_conditions": conditions,
    }


def _feature_sort_key(feature_id: str) -> tuple[int, int, int]:
    prefix, _, number = feature_id.partition("-")
    order = ["C", "AS", "SC", "R", "DM", "ISO", "LA", "UI", "AQ", "HFS"]
    major, _, minor = number.partition(".")
    return (order.index(prefix), int(major), int(minor or 0))


def dump(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def content_hash(texts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def hashed_sources() -> list[Path]:
    """The files whose content defines CATALOG_VERSION (also recomputed by the tests)."""
    return [DATA_DIR / n for n in ("features.json", "test_cases.json", "use_cases.json", "errata.json")] + [
        REPO / "conformance" / "catalog" / "messages.py"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="reference dir")
    args = parser.parse_args(argv)
    try:
        files, report = build(args.shared)
    except BuildError as exc:
        print(f"build_catalog: {exc}", file=sys.stderr)
        return 1
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (DATA_DIR / name).write_text(dump(data), "utf-8")
    digest = content_hash(p.read_text("utf-8") for p in hashed_sources())
    meta = {
        "version": f"{EDITION_LABEL}+{digest[:12]}",
        "edition": f"OCPP 2.0.1 Edition 3 (Part 5 and Part 6 of 2024-05-06, Part 5 errata {ERRATA_EDITION})",
        "content_sha256": digest,
        "sources": [PART6_TXT, PART5_TXT, PART5_MD, CATALOG_MD, ERRATA_SOURCE],
        "errata": [e["id"] for e in files["errata.json"]["part5"]
                   if e["status"] in ("applied", "partly applied")],
    }
    (DATA_DIR / "meta.json").write_text(dump(meta), "utf-8")
    print("\n".join(report.lines))
    print(f"wrote {', '.join(sorted(files))}, meta.json to {DATA_DIR} (version {meta['version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
