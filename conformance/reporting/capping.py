"""What renderers show of a case flooded with frames: the first and the last ones, and one
"N frames omitted" row in between (the HTML wire log, check list and diagram, the Allure steps and
case events). The event log always keeps everything."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar

#: Frames a renderer shows per case (the first and the last half of it); the event log keeps all.
MAX_FRAMES_SHOWN = 200
#: Where the omitted rows point: the complete log, next to report.html in a run folder.
FULL_LOG = "events.jsonl"

_T = TypeVar("_T")


@dataclass
class Omitted:
    """A run of rows a renderer leaves out: how many, and how many frames among them."""

    rows: int
    frames: int

    def text(self) -> str:
        others = self.rows - self.frames
        what = f"{self.frames:,} frames" + (f" and {others:,} other events" if others else "")
        return f"\u22ef {what} omitted: the complete log is {FULL_LOG}"


def cap_rows(items: Sequence[_T], max_frames: int | None, *, is_frame: Callable[[_T], bool] = lambda _: True,
             keep: Collection[int] = ()) -> list[_T | Omitted]:
    """``items`` as a renderer shows them: all when they hold at most ``max_frames`` frames (None or 0:
    no limit); otherwise the rows up to the first ``max_frames // 2`` frames and from the last
    ``max_frames - max_frames // 2`` frames on, each run of rows between replaced by one :class:`Omitted`.
    Rows whose index is in ``keep`` (the failure and its culprit) are always shown."""
    frames = [i for i, item in enumerate(items) if is_frame(item)]
    if not max_frames or len(frames) <= max_frames:
        return list(items)
    head = max(max_frames // 2, 1)
    cut_from, cut_to = frames[head], frames[len(frames) - (max_frames - head)] if max_frames > head else len(items)
    out: list[_T | Omitted] = []
    rows = n_frames = 0
    for i, item in enumerate(items):
        if cut_from <= i < cut_to and i not in keep:
            rows += 1
            n_frames += bool(is_frame(item))
            continue
        if rows:
            out.append(Omitted(rows, n_frames))
            rows = n_frames = 0
        out.append(item)
    if rows:
        out.append(Omitted(rows, n_frames))
    return out
