"""The HTML message reference (``conformance.reporting.reference``, ``ocpp-conformance reference``).

The pages are parsed back and checked against independent readings of the schemas, the examples
and the validator: every field with its required-ness and enum values, examples that parse and
validate, common errors the validator really reports, working relative links only, identical
bytes on every run, and the CLI.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conformance.catalog import CATEGORIES, load_catalog
from conformance.cli import main
from conformance.protocol.examples import build_example
from conformance.protocol.schemas import KINDS, callerror_for, get_registry
from conformance.reporting.reference import common_errors, direction, write_reference

CATALOG = load_catalog()
MESSAGES = list(CATALOG.messages.values())
ACTIONS = [m.name for m in MESSAGES]
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def ref_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    index = write_reference(out)
    assert index == out / "index.html"
    return out


@pytest.fixture(scope="module")
def pages(ref_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(ref_dir.iterdir())}


# ------------------------------------------------------------------------------ parsing helpers


def text_of(fragment: str) -> str:
    """The text content of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def table(page: str, cls: str, kind: str) -> str:
    m = re.search(rf'<table class="{cls}" data-kind="{kind}">(.*?)</table>', page, re.DOTALL)
    assert m, f"no {cls} table for the {kind}"
    return m.group(1)


def field_rows(page: str, kind: str) -> dict[str, tuple[bool, str]]:
    rows = re.findall(r'<tr[^>]*? data-path="([^"]*)" data-required="(yes|no)"[^>]*>(.*?)</tr>',
                      table(page, "fields", kind), re.DOTALL)
    out = {html.unescape(path): (req == "yes", body) for path, req, body in rows}
    assert len(out) == len(rows), "a field is listed twice"
    return out


def schema_fields(action: str, kind: str) -> dict[str, tuple[bool, tuple[str, ...]]]:
    """Path -> (required, enum values), read straight from the schema (root customData only)."""
    schema = get_registry().schema(action, kind)
    defs = schema.get("definitions", {})

    def res(node: dict) -> dict:
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    out: dict[str, tuple[bool, tuple[str, ...]]] = {}

    def walk(obj: dict, prefix: str) -> None:
        required = set(obj.get("required", ()))
        for prop, sub in obj.get("properties", {}).items():
            if prop == "customData" and prefix:
                continue
            node = res(sub)
            path = prefix + prop
            items = res(node["items"]) if node.get("type") == "array" else None
            enum = node.get("enum") or (items or {}).get("enum") or ()
            out[path] = (prop in required, tuple(enum))
            if prop == "customData":
                continue
            if node.get("type") == "object":
                walk(node, path + ".")
            elif items is not None and items.get("type") == "object":
                walk(items, path + "[].")

    walk(schema, "")
    return out


def example(page: str, name: str) -> Any:
    m = re.search(rf'<pre class="json" data-example="{name}">(.*?)</pre>', page, re.DOTALL)
    assert m, f"no {name} example"
    return json.loads(text_of(m.group(1)))


def shown_errors(page: str, kind: str) -> list[dict[str, Any]]:
    """Each listed common error: its payload, its violations (path, keyword, message), its code."""
    body = table(page, "errors", kind)
    blocks = re.split(r'(?=<tr data-error=")', body)[1:]
    out = []
    for block in blocks:
        payload = re.search(r'<pre class="json" data-role="payload">(.*?)</pre>', block, re.DOTALL)
        code = re.search(r'<td rowspan="\d+" data-role="callerror"><span class="code">([^<]*)</span>', block)
        violations = re.findall(
            r'<td class="v" data-role="violation" data-path="([^"]*)" data-keyword="([^"]*)">.*?'
            r'<span class="msg" data-role="message">(.*?)</span></td>', block, re.DOTALL)
        assert payload and code and violations, block[:300]
        out.append({
            "payload": json.loads(text_of(payload.group(1))),
            "code": html.unescape(code.group(1)),
            "violations": [(html.unescape(p), html.unescape(k), html.unescape(m)) for p, k, m in violations],
        })
    return out


# ------------------------------------------------------------------------------ the files


def test_index_and_one_page_per_message(ref_dir: Path) -> None:
    names = {p.name for p in ref_dir.iterdir()}
    assert names == {"index.html"} | {f"{a}.html" for a in ACTIONS}
    assert len(names) == 65


def test_index_groups_the_messages_by_category(pages: dict[str, str]) -> None:
    index = pages["index.html"]
    sections = re.findall(r'<section class="card cat" id="[^"]+" data-category="([^"]+)">(.*?)</section>', index, re.DOTALL)
    assert [html.unescape(c) for c, _ in sections] == list(CATEGORIES)
    listed = []
    for category, body in sections:
        category = html.unescape(category)
        members = [m for m in MESSAGES if m.category == category]
        count = re.search(r'<span class="count">(\d+) messages?</span>', body)
        assert count and int(count.group(1)) == len(members)
        rows = re.findall(r'<tr data-message="([^"]+)">(.*?)</tr>', body, re.DOTALL)
        assert [r for r, _ in rows] == [m.name for m in members]
        for (name, row), message in zip(rows, members):
            assert f'href="{name}.html"' in row
            text = text_of(row)
            assert message.purpose in text
            assert message.block_name in text
            assert direction(message) in text
        listed += [r for r, _ in rows]
    assert sorted(listed) == sorted(ACTIONS)
    assert "Charging Station \u2192 CSMS" in text_of(index) and "CSMS \u2192 Charging Station" in text_of(index)
    assert "both directions" in text_of(index)  # DataTransfer


@pytest.mark.parametrize("action", ACTIONS)
def test_message_page_header_and_anchors(pages: dict[str, str], action: str) -> None:
    page = pages[f"{action}.html"]
    message = CATALOG.messages[action]
    text = text_of(page)
    assert f"<h1>{action}</h1>" in page
    for fact in (message.category, message.purpose, f"{message.block} {message.block_name}", direction(message)):
        assert fact in text
    assert 'id="request"' in page and 'id="response"' in page
    assert 'href="index.html"' in page


def test_previous_and_next_follow_the_index_order(pages: dict[str, str]) -> None:
    order = re.findall(r'<tr data-message="([^"]+)">', pages["index.html"])
    for i, action in enumerate(order):
        page = pages[f"{action}.html"]
        prev = re.search(r'<a rel="prev" href="([^"]+)">', page)
        nxt = re.search(r'<a rel="next" href="([^"]+)">', page)
        assert (prev.group(1) if prev else None) == (f"{order[i - 1]}.html" if i > 0 else None)
        assert (nxt.group(1) if nxt else None) == (f"{order[i + 1]}.html" if i + 1 < len(order) else None)


@pytest.mark.parametrize("action", ACTIONS)
def test_field_tables_match_the_schema(pages: dict[str, str], action: str) -> None:
    page = pages[f"{action}.html"]
    for kind in KINDS:
        rows = field_rows(page, kind)
        expected = schema_fields(action, kind)
        assert list(rows) == [p for p in expected if p != "customData"] + ["customData"]
        assert {p for p, (req, _) in rows.items() if req} == {p for p, (req, _) in expected.items() if req}
        for path, (_, values) in expected.items():
            listed = re.findall(r'<code class="enum">([^<]*)</code>', rows[path][1])
            assert [html.unescape(v) for v in listed] == list(values), path


def test_field_details_for_boot_notification(pages: dict[str, str]) -> None:
    rows = field_rows(pages["BootNotification.html"], "request")
    assert rows["chargingStation.modem.iccid"][0] is False
    assert rows["chargingStation.model"][0] is True
    model = text_of(rows["chargingStation.model"][1])
    assert "string" in model and "maxLength 20" in model
    iccid = text_of(rows["chargingStation.modem.iccid"][1])
    assert "identifierString" in iccid and "ModemType" in iccid
    assert "BootReasonEnumType" in text_of(rows["reason"][1])
    response = field_rows(pages["BootNotification.html"], "response")
    current = text_of(response["currentTime"][1])
    assert "format date-time" in current and "time-zone offset" in current and "3 fractional" in current
    tx = field_rows(pages["TransactionEvent.html"], "request")
    assert "meterValue[].sampledValue[].unitOfMeasure.unit" in tx
    assert "minItems 1" in text_of(tx["meterValue"][1]) and "array of object" in text_of(tx["meterValue"][1])


@pytest.mark.parametrize("action", ACTIONS)
def test_examples_parse_and_validate(pages: dict[str, str], action: str) -> None:
    page = pages[f"{action}.html"]
    registry = get_registry()
    for kind in KINDS:
        for variant in ("minimal", "full"):
            payload = example(page, f"{kind}-{variant}")
            assert registry.validate(action, kind, payload) == []
            assert payload == build_example(action, kind, full=variant == "full")


@pytest.mark.parametrize("action", ACTIONS)
def test_common_errors_are_what_the_validator_reports(pages: dict[str, str], action: str) -> None:
    page = pages[f"{action}.html"]
    registry = get_registry()
    for kind in KINDS:
        errors = shown_errors(page, kind)
        assert 3 <= len(errors) <= 6
        for err in errors:
            violations = registry.validate(action, kind, err["payload"])
            assert [(v.path, v.keyword, v.message) for v in violations] == err["violations"]
            assert callerror_for(violations) == err["code"]
        keywords = [k for err in errors for _, k, _ in err["violations"]]
        assert "additionalProperties" in keywords and "required" in keywords


def test_common_errors_cover_typical_mistakes() -> None:
    keywords = {v.keyword for e in common_errors("BootNotification", "request") for v in e.violations}
    assert {"required", "type", "enum", "maxLength", "additionalProperties", "identifierString"} <= keywords
    extra = {v.keyword for a in ACTIONS for k in KINDS for e in common_errors(a, k) for v in e.violations}
    assert {"datetime-fraction", "minItems", "minimum"} <= extra


def test_only_relative_links_that_resolve(pages: dict[str, str]) -> None:
    ids = {name: set(re.findall(r'\bid="([^"]+)"', page)) for name, page in pages.items()}
    for name, page in pages.items():
        for bad in ("<script", "<link", "<img", "<iframe", "@import", "url("):
            assert bad not in page, (name, bad)
        for ref in re.findall(r'\b(?:href|src)="([^"]*)"', page):
            parts = urlsplit(html.unescape(ref))
            assert not parts.scheme and not parts.netloc, (name, ref)
            target = parts.path or name
            assert target in pages, (name, ref)
            if parts.fragment:
                assert parts.fragment in ids[target], (name, ref)


def test_output_is_deterministic(tmp_path: Path, ref_dir: Path) -> None:
    again = tmp_path / "again"
    write_reference(again)
    first = {p.name: p.read_bytes() for p in ref_dir.iterdir()}
    second = {p.name: p.read_bytes() for p in again.iterdir()}
    assert first == second


def test_cli_reference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ref"
    assert main(["reference", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.strip()
    assert Path(printed) == out / "index.html"
    assert (out / "BootNotification.html").is_file()
    assert len(list(out.glob("*.html"))) == 65


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")
def test_renders_in_headless_chromium(tmp_path: Path) -> None:
    write_reference(tmp_path / "ref")
    shot = tmp_path / "boot.png"
    page = (tmp_path / "ref" / "BootNotification.html").as_uri()
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1366,1400", f"--screenshot={shot}", page],
                   capture_output=True, timeout=90, check=False)
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

