"""Render every output of a run from its model: JSON summary, JUnit XML, the HTML report and
the message reference it links to."""

from __future__ import annotations

import json
from pathlib import Path

from .capping import MAX_FRAMES_SHOWN
from .html import render_html
from .junit import render_junit
from .model import RunModel
from .reference import write_reference
from .summary import Outcome, summary_json


def render_all(model: RunModel, outcome: Outcome, out_dir: Path, *, max_frames: int | None = MAX_FRAMES_SHOWN) -> Path:
    """Write every renderer's output into ``out_dir``; returns the main report's path. The HTML report
    shows at most ``max_frames`` frames per case (0 / None: all); the event log keeps every one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(summary_json(model, outcome), indent=2, default=str) + "\n")
    render_junit(model, out_dir / "junit.xml")
    write_reference(out_dir / "reference")
    return render_html(model, outcome, out_dir / "report.html", reference_href="reference", max_frames=max_frames)
