"""Regenerate the key tables of docs/configuration.md from the configuration dataclasses.

    python tools/config_doc.py          # rewrite the tables in place
    python tools/config_doc.py --check  # exit 1 (naming the tables) when the document is out of date

The tables are derived from conformance/config/model.py (conformance/config/docs.py); the prose around them
is kept as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.config.docs import render, stale

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    if "--check" in argv:
        names = stale(text)
        if names:
            print(f"{DOC}: out of date: {', '.join(names)} (run python tools/config_doc.py)")
            return 1
        return 0
    new = render(text)
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"{DOC}: updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
