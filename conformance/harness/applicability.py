"""Which cases apply to a SUT, from its PICS and Part 5 (a case that does not apply says why)."""

from __future__ import annotations

from ..catalog import evaluate_features, load_catalog
from ..config import Config
from .case import CaseMeta


def applicability(meta: CaseMeta, config: Config) -> tuple[bool, str]:
    """(applies, reason). A case applies when, in a certification profile the SUT claims, it is
    mandatory, or conditional on Part 5 features the PICS declares. A case a Part 5 erratum took
    out of the certification program never applies, and says so. Cases Part 5 does not
    place in any profile, and our own cases beyond the catalog, always apply."""
    listed = load_catalog().test_cases.get(meta.id)
    removed_by = meta.removed_by or (listed.removed_by if listed is not None else None)
    if removed_by:
        return False, f"removed from the certification program by Part 5 erratum {removed_by} (errata sheet 2025-09)"
    if meta.beyond_catalog or not meta.profiles:
        return True, ""
    claimed = config.pics.profiles
    supported = config.pics.supported()
    reasons = []
    for entry in meta.profiles:
        if entry.profile not in claimed:
            reasons.append(f"profile {entry.profile} is not claimed in the PICS")
            continue
        if entry.level == "M":
            return True, ""
        if not entry.features_expr or evaluate_features(entry.features_expr, supported):
            return True, ""
        reasons.append(f"conditional in {entry.profile} on {entry.features_expr}, which the PICS does not declare")
    return False, "; ".join(reasons)
