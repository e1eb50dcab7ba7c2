"""JUnit XML for CI systems, rendered from the run model.

One testsuite per role; one testcase per case with properties (test case id, requirements,
use cases, verdict). FAIL becomes a failure, ERROR and NOT FINISHED an error, INCONCLUSIVE a
failure too (a gate must not pass a case nobody could judge), NOT APPLICABLE a skip with the
reason. The JSON summary stays the source of truth.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .model import NOT_FINISHED, RunModel


def render_junit(model: RunModel, path: Path) -> Path:
    root = ET.Element("testsuites", name="ocpp-conformance")
    by_role: dict[str, list] = {}
    for case in model.cases.values():
        by_role.setdefault(case.role or "?", []).append(case)
    for role, cases in by_role.items():
        suite = ET.SubElement(root, "testsuite", name=f"OCPP 2.0.1 {'Charging Station' if role == 'CS' else role}",
                              tests=str(len(cases)))
        failures = errors = skipped = 0
        for case in cases:
            element = ET.SubElement(suite, "testcase", classname=f"ocpp.{role}.{case.block}", name=case.id,
                                    time=f"{case.duration or 0:.3f}")
            properties = ET.SubElement(element, "properties")
            for name, value in (("test_case_id", case.id), ("title", case.title), ("verdict", case.verdict),
                                ("use_cases", " ".join(case.use_cases)),
                                ("requirements", " ".join(case.requirements))):
                ET.SubElement(properties, "property", name=name, value=value)
            first = case.message.splitlines()[0] if case.message else case.verdict
            if case.verdict in ("FAIL", "INCONCLUSIVE"):
                failures += 1
                ET.SubElement(element, "failure", message=f"{case.verdict}: {first}", type=case.verdict).text = \
                    case.message
            elif case.verdict in ("ERROR", NOT_FINISHED):
                errors += 1
                ET.SubElement(element, "error", message=f"{case.verdict}: {first}", type=case.verdict).text = \
                    case.message or "the case did not finish (the run was interrupted)"
            elif case.verdict in ("NOT APPLICABLE", "SKIPPED"):
                skipped += 1
                ET.SubElement(element, "skipped", message=f"{case.verdict}: {first}")
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("skipped", str(skipped))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path
