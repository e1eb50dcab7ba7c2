"""The suite tests itself: every implemented case passes against the reference SUTs, and
fails against each of its negative controls (a named fault in the reference SUT)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.harness.case import discover
from conformance.faults import FAULTS

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, run_dir: Path, timeout: float = 180) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--run-dir", str(run_dir), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)
    results: dict[str, Any] = {}
    summary = run_dir / "summary.json"
    if summary.exists():
        results = {c["id"]: c for c in json.loads(summary.read_text())["cases"]}
    return proc.returncode, results, proc.stdout + proc.stderr


Variant = tuple[str, tuple[str, ...], tuple[str, ...]]  # sut, features declared without, --set settings


def _variants() -> dict[Variant, set[str]]:
    """The reference setups other than the default one some cases need -> those cases: a product declared
    WITHOUT a feature (Part 5 "not C-13"), or a configuration such as security profile 2 (TC_B_50_CS)."""
    variants: dict[Variant, set[str]] = {}
    for fault in FAULTS.values():
        if fault.without or fault.settings:
            key = (fault.sut, tuple(sorted(fault.without)), tuple(sorted(fault.settings)))
            variants.setdefault(key, set()).update(fault.fails)
    return variants


def _variant_args(without: tuple[str, ...], settings: tuple[str, ...]) -> list[str]:
    return [a for f in without for a in ("--without-feature", f)] + [a for s in settings for a in ("--set", s)]


def test_every_implemented_case_passes_against_the_reference_suts(tmp_path: Path) -> None:
    code, results, output = run_cli(run_dir=tmp_path)
    implemented = discover()
    assert set(results) == set(implemented), output
    # The reference SUTs claim every feature and run security profile 1; a case for products WITHOUT a feature
    # (Part 5 "not C-13") or for security profile 2 is NOT APPLICABLE here and passes in its variant (next test).
    only_without = set().union(*_variants().values()) if _variants() else set()
    failed = {k: v for k, v in results.items() if v["verdict"] != ("NOT APPLICABLE" if k in only_without else "PASS")}
    assert not failed, output
    assert code == 0, output
    summary = json.loads((tmp_path / "summary.json").read_text())
    counts = {"PASS": len(implemented) - len(only_without)} | (
        {"NOT APPLICABLE": len(only_without)} if only_without else {})
    assert summary["counts"] == counts
    assert summary["exit_code"] == 0
    assert (tmp_path / "events.jsonl").stat().st_size > 0
    assert (tmp_path / "junit.xml").exists()


@pytest.mark.parametrize("variant", sorted(_variants()),
                         ids=lambda v: "-".join([v[0], *(f"without-{f}" for f in v[1]), *v[2]]))
def test_cases_of_other_setups_pass_against_the_reference_sut_set_up_so(variant: Variant, tmp_path: Path) -> None:
    sut, without, settings = variant
    cases = _variants()[variant]
    args = ["--role", sut] + _variant_args(without, settings)
    for case_id in sorted(cases):
        args += ["--case", case_id]
    code, results, output = run_cli(*args, run_dir=tmp_path)
    assert {k: v["verdict"] for k, v in results.items()} == dict.fromkeys(cases, "PASS"), output
    assert code == 0, output


def test_every_implemented_case_has_a_negative_control() -> None:
    implemented = discover()
    assert implemented, "no test case found"
    without = [case_id for case_id, meta in implemented.items() if not meta.faults]
    assert not without, f"cases without a negative control: {without}"
    for fault in FAULTS.values():
        assert set(fault.fails) <= set(implemented), f"{fault.name} names cases that do not exist"


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=sorted(FAULTS))
def test_negative_control_makes_its_cases_fail(fault: str, tmp_path: Path) -> None:
    spec = FAULTS[fault]
    args = ["--role", spec.sut, "--fault", fault] + _variant_args(spec.without, spec.settings)
    for case_id in spec.fails:
        args += ["--case", case_id]
    code, results, output = run_cli(*args, run_dir=tmp_path)
    assert code == 1, output
    for case_id in spec.fails:
        result = results[case_id]
        assert result["verdict"] == "FAIL", f"{case_id} with {fault}: {result}"
        message = result["message"]
        # the failure names the broken check (a requirement id) and shows expected vs actual
        assert any(req in message for req in spec.breaks), f"{case_id}: {message!r} names none of {spec.breaks}"
        assert "expected" in message and "actual" in message, message


def test_unknown_fault_is_a_usage_error(tmp_path: Path) -> None:
    code, results, output = run_cli("--role", "station", "--fault", "no_such_fault", run_dir=tmp_path)
    assert code == 2
    assert "no_such_fault" in output and "Traceback" not in output


def test_a_bad_configuration_is_rejected_before_anything_runs(tmp_path: Path) -> None:
    config = tmp_path / "sut.toml"
    config.write_text('role = "station"\nname = "x"\nreference = true\n[timing]\nmessage_timeout = -1\n'
                      'heartbeat_intervall = 3\n')
    code, results, output = run_cli("--config", str(config), run_dir=tmp_path / "run")
    assert code == 2
    assert "timing.message_timeout" in output and "timing.heartbeat_intervall" in output
    assert "Traceback" not in output
    assert not results


def test_cases_excluded_by_the_pics_are_not_applicable_with_the_reason(tmp_path: Path) -> None:
    code, results, output = run_cli("--role", "station", "--set", 'pics.profiles=["Smart Charging"]',
                                    run_dir=tmp_path)
    assert code == 0, output
    cases = discover()
    # Part 5 places no profile on a few cases (e.g. TC_G_20_CS): those always apply (unless their own Part 6
    # prerequisite needs a profile, e.g. TC_B_19_CS); every other case is excluded, naming the profile.
    unplaced = {c for c in results if not cases[c].profiles}
    assert unplaced < set(results)
    for case_id, result in results.items():
        if case_id in unplaced:
            assert result["verdict"] == "PASS" or "is not claimed in the PICS" in result["message"], result
        else:
            profiles = {p.profile for p in cases[case_id].profiles}
            assert result["verdict"] == "NOT APPLICABLE", result
            assert all(f"profile {p} is not claimed" in result["message"] for p in profiles - {"Smart Charging"}), \
                result


def test_mandatory_core_cases_run_with_a_pics_without_optional_features(tmp_path: Path) -> None:
    from conformance.config import load_config
    from conformance.harness.applicability import applicability
    pics = f"pics_file={REPO / 'fixtures' / 'pics' / 'no-optional-features.toml'}"
    code, results, output = run_cli("--config", str(REPO / "fixtures" / "reference-station.toml"), "--set", pics,
                                    run_dir=tmp_path)
    assert code == 0, output
    # every mandatory Core case passes (and our own cases beyond the catalog that need only Core, such as
    # X_G_02_CS); a conditional case runs exactly when its condition holds for this PICS: the cases for products
    # WITHOUT a feature ("not C-13") do, and pass, since the reference station then behaves as such a product;
    # the others (e.g. TC_P_04_CS, which needs Smart Charging) are NOT APPLICABLE with the condition.
    config = load_config(REPO / "fixtures" / "reference-station.toml", overrides=[pics])
    cases = {case_id: meta for case_id, meta in discover().items() if meta.role == "CS"}
    other_setup = {c for (sut, without, settings), ids in _variants().items() if settings for c in ids}
    mandatory = {case_id for case_id, meta in cases.items() if case_id not in other_setup
                 and (any(p.profile == "Core" and p.level == "M" for p in meta.profiles) or case_id == "X_G_02_CS")}
    assert mandatory and set(cases) == set(results), output
    assert {results[c]["verdict"] for c in mandatory} == {"PASS"}
    for case_id in other_setup & set(cases):  # e.g. TC_B_50_CS on security profile 1: says what it needs
        applies, reason = applicability(cases[case_id], config)
        assert results[case_id]["verdict"] == "NOT APPLICABLE", results[case_id]
        assert ("security profile" if applies else reason) in results[case_id]["message"], results[case_id]
    for case_id in set(cases) - mandatory - other_setup:
        applies, reason = applicability(cases[case_id], config)
        verdict, message = results[case_id]["verdict"], results[case_id]["message"]
        if applies and verdict == "NOT APPLICABLE":  # the case's own Part 6 prerequisite (require_profiles)
            assert "is not claimed in the PICS" in message, (case_id, results[case_id])
            continue
        assert verdict == ("PASS" if applies else "NOT APPLICABLE"), (case_id, results[case_id])
        if not applies:
            assert reason and reason in message, (case_id, results[case_id])
    assert results["TC_P_04_CS"]["verdict"] == "NOT APPLICABLE"


def test_block_selection_includes_our_own_cases_of_the_block(tmp_path: Path) -> None:
    code, results, output = run_cli("--role", "station", "--block", "G", "--case", "X_G_02_CS", run_dir=tmp_path)
    assert code == 0, output
    assert set(results) == {"X_G_02_CS"} and results["X_G_02_CS"]["verdict"] == "PASS", output
