"""Render every output of a run from its model: JSON summary, JUnit XML, the HTML report and
the message reference it links to."""

from __future__ import annotations

import json
from pathlib import Path

from .html import render_html
from .junit import render_junit
from .model import RunModel
from .reference import write_reference
from .summary import Outcome, summary_json


def render_all(model: RunModel, outcome: Outcome, out_dir: Path) -> Path:
    """Write every renderer's output into ``out_dir``; returns the main report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(summary_json(model, outcome), indent=2, default=str) + "\n")
    render_junit(model, out_dir / "junit.xml")
    write_reference(out_dir / "reference")
    return render_html(model, outcome, out_dir / "report.html", reference_href="reference")
