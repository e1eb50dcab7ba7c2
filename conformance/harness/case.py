"""Test case metadata: data that can be listed without running anything.

``@case`` on ``test_tc_b_01_cs`` looks the case TC_B_01_CS up in the catalog (role, block, title,
use cases, requirements, Part 5 profiles) and attaches it to the test function. The case id is
written once, in the function name (``test_`` + the id in lower case); a function whose name is not
a case id is an error at import. Cases beyond the certification catalog (use cases Part 6 does not
test) carry our own id (``test_x_g_02_cs`` -> X_G_02_CS) and declare a title and use cases:
``@case(title=..., use_cases=(...))``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from ..catalog import ProfileApplicability, load_catalog
from ..faults import FAULTS
from ..roles import Role

F = TypeVar("F", bound=Callable[..., Any])

CASE_ATTRIBUTE = "__ocpp_case__"
_REGISTRY: dict[str, "CaseMeta"] = {}
_FUNCTIONS: dict[str, Callable[..., Any]] = {}  # case id -> its test function (as declared, undecorated)


@dataclass(frozen=True)
class CaseMeta:
    id: str
    role: Role  # the SUT's role: Role.STATION ("CS") or Role.CSMS
    block: str
    title: str
    summary: str
    use_cases: tuple[str, ...]
    requirements: tuple[str, ...]
    profiles: tuple[ProfileApplicability, ...]
    beyond_catalog: bool = False
    removed_by: str | None = None  # the Part 5 erratum that took the case out of the certification program
    faults: tuple[str, ...] = field(default=())  # negative controls: faults that must make it FAIL
    # For a case whose protocol waits grow with the configured intervals (heartbeat, boot retry, offline
    # threshold): the time it needs at least, from the run's Timing; its limit is the larger of this and
    # timing.case_time_limit, so a real station's 300 s heartbeat does not need a global limit raise.
    time_needed: Callable[[Any], float] | None = field(default=None, compare=False)

    @property
    def harness_role(self) -> str:
        """Config word of the role the harness plays: "csms" when the SUT is a Charging Station, else "station"."""
        return self.role.peer.config

    @property
    def sut_role(self) -> str:
        """Config role: "station" when the SUT is a Charging Station, else "csms"."""
        return self.role.config

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "role": self.role, "block": self.block, "title": self.title, "summary": self.summary,
                "use_cases": list(self.use_cases), "requirements": list(self.requirements),
                "profiles": [{"profile": p.profile, "level": p.level, "features": p.features_expr}
                             for p in self.profiles],
                "beyond_catalog": self.beyond_catalog, "removed_by": self.removed_by,
                "negative_controls": list(self.faults)}


# our own ids: X_<block letter>_nn_<role>, or X_OCPPJ_nn_<role> for Part 4 (OCPP-J) cases, their own block "OCPPJ"
_OWN_ID = re.compile(r"^X_([A-P]|OCPPJ)_\d{2,3}_(CS|CSMS)$")


_FUNCTION_NAME = re.compile(r"^test_((?:tc_[a-p]|x_(?:[a-p]|ocppj))_\d{2,3}_(?:cs|csms))$")


def case_id_of(function_name: str) -> str:
    """The case id a test function's name declares: ``test_tc_b_01_cs`` -> TC_B_01_CS."""
    match = _FUNCTION_NAME.match(function_name)
    if match is None:
        raise ValueError(f"{function_name}: a test case function is named test_ + its case id in lower case "
                         f"(test_tc_b_01_cs for TC_B_01_CS, test_x_g_02_cs for X_G_02_CS)")
    return match.group(1).upper()


def case(func: F | None = None, *, title: str | None = None, summary: str | None = None,
         use_cases: tuple[str, ...] = (), requirements: tuple[str, ...] = (),
         time_needed: Callable[[Any], float] | None = None) -> Any:
    """Attach catalog metadata to a test function (``@case`` or ``@case(requirements=...)``); the case id
    comes from the function name (:func:`case_id_of`) and must be in the catalog or be our own X_ id.

    ``time_needed(timing)`` or ``time_needed(timing, config)`` (optional): the seconds the case needs at least with
    the run's :class:`~conformance.config.Timing` (and configuration: intervals the case sets on the SUT), before
    time_scale, when that can exceed ``case_time_limit``."""
    if func is not None and not callable(func):
        raise TypeError(f"@case({func!r}): the case id is not an argument, it comes from the function name")

    def decorate(func: F) -> F:
        meta = _meta(case_id_of(func.__name__), title=title, summary=summary, use_cases=use_cases,
                     requirements=requirements, time_needed=time_needed)
        case_id = meta.id
        if case_id in _REGISTRY and _REGISTRY[case_id] is not getattr(func, CASE_ATTRIBUTE, None):
            existing = _REGISTRY[case_id]
            if existing != meta:
                raise ValueError(f"test case {case_id} is declared twice")
        _REGISTRY[case_id] = meta
        _FUNCTIONS[case_id] = func
        setattr(func, CASE_ATTRIBUTE, meta)
        return func

    return decorate(func) if func is not None else decorate


def _meta(case_id: str, *, title: str | None, summary: str | None, use_cases: tuple[str, ...],
          requirements: tuple[str, ...], time_needed: Callable[[Any], float] | None) -> CaseMeta:
    catalog = load_catalog()
    if case_id in catalog.test_cases:
        tc = catalog.test_cases[case_id]
        meta = CaseMeta(tc.id, tc.role, tc.block, tc.title, summary or tc.summary, tc.use_cases,
                        tc.requirements + tuple(r for r in requirements if r not in tc.requirements), tc.profiles,
                        removed_by=tc.removed_by)
    else:
        own = _OWN_ID.match(case_id)
        if own is None or title is None or not use_cases:
            raise ValueError(f"{case_id} is not a Part 6 test case; cases beyond the catalog need an id "
                             f"X_<block>_<nn>_<CS|CSMS>, a title and use cases")
        meta = CaseMeta(case_id, Role(own.group(2)), own.group(1), title, summary or title, use_cases, requirements, (),
                        beyond_catalog=True)
    return CaseMeta(**{**meta.__dict__, "faults": tuple(f.name for f in FAULTS.values() if case_id in f.fails),
                       "time_needed": time_needed})


def case_of(func: Callable[..., Any]) -> CaseMeta | None:
    func = getattr(func, "__func__", func)
    while func is not None:
        meta = getattr(func, CASE_ATTRIBUTE, None)
        if meta is not None:
            return meta
        func = getattr(func, "__wrapped__", None)
    return None


def implemented_cases() -> dict[str, CaseMeta]:
    """Every case declared so far (import the test case modules first: see :func:`discover`)."""
    return dict(_REGISTRY)


def case_function(case_id: str) -> Callable[..., Any]:
    """The test function of a declared case (import the test case modules first: see :func:`discover`)."""
    return _FUNCTIONS[case_id]


@functools.cache
def discover() -> dict[str, CaseMeta]:
    """Import every test case module (without running anything) and return the declared cases."""
    import importlib
    import pkgutil

    import testcases

    for info in pkgutil.walk_packages(testcases.__path__, prefix="testcases."):
        if info.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(info.name)
    return implemented_cases()
