"""Device-model variable names the OCA documents spell more than one way (sans-I/O data and a lookup).

The appendix CSV (dm_components_vars.csv), Part 2's referenced-variable tables, Part 2's prose, Part 6 and the
errata do not always agree on a variable's name. A station built on any of these documents is conformant, so the
harness accepts every spelling listed here: it asks with the first one and, when the station answers
UnknownVariable, with the others (``ChargingStationUnderTest.read_variable`` / ``configured`` / ``restoring``),
and reports which spelling the station uses. Report checks (NotifyReport) accept any of them.

Each entry: component name -> the spellings of one variable (the first is the one the harness tries first, the
appendix CSV's), with the documents that use each.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spelling:
    name: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class VariableAliases:
    component: str
    spellings: tuple[Spelling, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.spellings)


VARIABLE_ALIASES: tuple[VariableAliases, ...] = (
    VariableAliases("AuthCtrlr", (
        Spelling("LocalAuthorizeOffline", ("Appendices CSV dm_components_vars.csv",)),
        Spelling("LocalAuthorizationOffline", ("Part 2 §2.3.5 referenced-variable table", "Part 2 appendices",
                                               "Part 6 TC_B_07_CS / TC_B_10_CS and C-block configuration states")),
    )),
    VariableAliases("AuthCtrlr", (
        Spelling("LocalPreAuthorize", ("Appendices CSV dm_components_vars.csv", "Part 6 C-block configuration states",
                                       "errata 2025-09 Part 5 tables")),
        Spelling("LocalPreauthorize", ("Part 2 §2.3.6 referenced-variable table",)),
        Spelling("LocalPreAuthorization", ("Part 2 prose", "Part 2 appendices", "Part 6 §2.1 general preconditions")),
    )),
    VariableAliases("AuthCtrlr", (
        Spelling("AuthorizeRemoteStart", ("Appendices CSV dm_components_vars.csv",
                                          "Part 2 §2.3.4 referenced-variable table", "Part 6")),
        Spelling("AuthorizationRemoteStart", ("Part 2 F02.FR.09 / F02.FR.10", "Part 6")),
    )),
    VariableAliases("AuthCtrlr", (
        Spelling("Enabled", ("Appendices CSV dm_components_vars.csv", "Part 2 §2.3.1 referenced-variable table",
                             "Part 6 TC_E_52_CS")),
        Spelling("AuthEnabled", ("Part 6 E-block configuration states (AuthCtrlr.AuthEnabled)",)),
    )),
    VariableAliases("SampledDataCtrlr", (
        Spelling("TxEndedInterval", ("Appendices CSV dm_components_vars.csv", "Part 2 appendices", "Part 2 §E prose")),
        Spelling("TxEndInterval", ("Part 2 §2.7.5 referenced-variable table", "Part 6 J block")),
    )),
    VariableAliases("AlignedDataCtrlr", (
        Spelling("TxEndedInterval", ("Appendices CSV dm_components_vars.csv", "errata 2025-09 §2.65.2 heading")),
        Spelling("TxEndInterval", ("Part 2 §2.7.16 referenced-variable table", "errata 2025-09 §2.65 text")),
    )),
)


def aliases_of(component: str, variable: str) -> VariableAliases | None:
    """The entry that lists ``variable`` of ``component`` (case-insensitive), or None."""
    for entry in VARIABLE_ALIASES:
        if entry.component.casefold() == component.casefold() and \
                variable.casefold() in (n.casefold() for n in entry.names):
            return entry
    return None


def spellings(component: str, variable: str) -> tuple[str, ...]:
    """Every documented spelling of ``variable`` of ``component``, ``variable`` itself first; just
    ``(variable,)`` when the documents agree on its name."""
    entry = aliases_of(component, variable)
    if entry is None:
        return (variable,)
    return (variable,) + tuple(n for n in entry.names if n != variable)  # a station may compare case-sensitively


def same_variable(component: str, a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name the same variable of ``component`` (equal up to case, or documented
    alternatives)."""
    return b.casefold() in (n.casefold() for n in spellings(component, a))


def canonical(component: str, variable: str) -> str:
    """The table's first spelling of ``variable`` of ``component`` (``variable`` itself when it has none): a key
    under which every spelling of one variable compares equal."""
    entry = aliases_of(component, variable)
    return entry.names[0] if entry else variable


def sources_of(component: str, name: str) -> tuple[str, ...]:
    """The documents that spell the variable ``name`` so (empty when it is not in the table)."""
    entry = aliases_of(component, name)
    for spelling in entry.spellings if entry else ():
        if spelling.name == name:
            return spelling.sources
    return ()


__all__ = ["aliases_of", "canonical", "same_variable", "sources_of", "Spelling", "spellings", "VARIABLE_ALIASES",
           "VariableAliases"]
