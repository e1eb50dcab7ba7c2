"""The HTML report of a real failing run, opened in headless Chromium from ``file://``.

Checks what a browser makes of it (the summary, the failing case's section, its sequence diagram
and its wire log are in the rendered DOM, and the inline script ran), and saves screenshots under
``reports/screenshots/`` (git-ignored) for a human to look at.

Needs Chromium (``/usr/bin/chromium``, or the ``CHROMIUM`` environment variable). Without it the
tests are skipped, except under CI (the ``CI`` environment variable is set), where Chromium is
installed on purpose and its absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.reporting.html import render_html
from conformance.reporting.model import load_model
from conformance.reporting.summary import decide

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "reports" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def find_chromium() -> str | None:
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        reason = ("Chromium is not installed (looked for $CHROMIUM, /usr/bin/chromium, chromium, chromium-browser, "
                  "google-chrome on PATH)")
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI installs it, so this is an error of the CI environment")
        pytest.skip(f"{reason}; install it (apt-get install chromium) to run the browser checks of the HTML report")
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML report of a negative-control run of block B: the reference station with a fault, so
    TC_B_01_CS fails (block B only: the checks count its two cases, whatever else is implemented)."""
    run_dir = tmp_path_factory.mktemp("browser") / "run"
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--run-dir", str(run_dir), "--role",
                           "station", "--case", "TC_B_01_CS", "--case", "TC_B_06_CS", "--fault",
                           "boot_skips_connector_status"],
                          check=False, cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    model = load_model(run_dir)
    assert model.cases["TC_B_01_CS"].verdict == "FAIL"
    return render_html(model, decide(model), run_dir / "report.html")


def run_chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args], check=False, capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, f"chromium exited with {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_rendered_dom_has_summary_case_diagram_and_wire_log(chromium: str, report: Path, tmp_path: Path) -> None:
    dom = run_chromium(chromium, tmp_path / "profile", "--dump-dom", report.as_uri()).stdout
    assert '<section class="card" id="summary">' in dom
    assert 'id="TC_B_01_CS"' in dom and 'id="TC_B_06_CS"' in dom
    section = dom[dom.index('id="TC_B_01_CS"'):dom.index('id="TC_B_06_CS"')]
    assert "<svg" in section and 'class="step failing"' in section
    assert '<table class="list wire">' in section and "BootNotification" in section
    assert 'id="readiness"' in dom and 'id="matrix"' in dom
    # the inline script ran: it writes the number of shown cases into the filter bar
    assert "showing 2 of 2 cases" in dom


def test_screenshots(chromium: str, report: Path, tmp_path: Path) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("html-report-failing-run.png", "1280,2000"), ("html-report-failing-run-full.png", "1280,6000")):
        target = SCREENSHOTS / name
        target.unlink(missing_ok=True)
        run_chromium(chromium, tmp_path / f"profile-{name}", f"--screenshot={target}", f"--window-size={size}",
                     report.as_uri())
        assert target.is_file(), f"no screenshot written to {target}"
        assert png_size(target) == tuple(int(v) for v in size.split(","))
        assert target.stat().st_size > 30_000, "the screenshot is (nearly) blank"


def test_a_link_to_a_collapsed_case_opens_it(chromium: str, report: Path, tmp_path: Path) -> None:
    html = report.read_text(encoding="utf-8")
    passing = html[html.index('id="TC_B_06_CS"'):]
    assert '<details class="case-d">' in passing[:2000], "a passing case starts collapsed"
    dom = run_chromium(chromium, tmp_path / "profile", "--dump-dom", report.as_uri() + "#TC_B_06_CS").stdout
    section = dom[dom.index('id="TC_B_06_CS"'):]
    assert '<details class="case-d" open="">' in section[:2000]
