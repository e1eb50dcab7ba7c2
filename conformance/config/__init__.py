"""SUT configuration: one TOML file per SUT, overridable by environment variables and CLI options.

Precedence, lowest first: built-in defaults < the TOML file (and its ``pics_file``) <
environment variables ``OCPP_CONFORMANCE_<SECTION>__<KEY>`` < CLI overrides ``key.path=value``.

A configuration is validated completely before anything runs: every problem is collected
with its dotted key (``timing.message_timeout``, ``evse[1].connectors``) and a reason, and
one :class:`ConfigError` lists them all. Loading never raises anything else for bad input.

No value marked secret (passwords, webhook header values, id tokens with ``secret = true``)
is ever echoed in an error message; :meth:`Config.to_dict` replaces them by ``"***"``.

The package: ``model`` (the dataclasses: every key is one field, with its type, default, documentation and
constraints), ``schema`` (the TOML layout, readers, snapshots and docs derived from the fields), ``validate``
(rules spanning several keys), ``load`` (files, environment, overrides), ``reference`` (the reference setups),
``checks`` (single-value checks), ``docs`` (the key tables of docs/configuration.md). See
docs/configuration.md for every key.
"""

from __future__ import annotations

from .load import ENV_PREFIX, load_config
from .model import (
    ACTION_BACKENDS,
    CERTIFICATION_PROFILES,
    CORE_FEATURES,
    FULL_FEATURES,
    ID_TOKEN_TYPES,
    REAL_SUT_PACING,
    ROLES,
    Actions,
    CaseValues,
    Config,
    Connection,
    Evse,
    FrozenDict,
    HarnessStationInfo,
    IdTokens,
    IdTokenSpec,
    Pics,
    StationIdentity,
    Stations,
    StationValues,
    Timing,
)
from .reference import default_config
from .schema import ConfigError, setting

__all__ = [
    "ConfigError",
    "IdTokenSpec",
    "IdTokens",
    "Evse",
    "Timing",
    "CaseValues",
    "HarnessStationInfo",
    "REAL_SUT_PACING",
    "StationIdentity",
    "Stations",
    "StationValues",
    "Connection",
    "Pics",
    "Actions",
    "Config",
    "FrozenDict",
    "load_config",
    "default_config",
    "setting",
    "ENV_PREFIX",
    "ROLES",
    "ID_TOKEN_TYPES",
    "ACTION_BACKENDS",
    "CERTIFICATION_PROFILES",
    "CORE_FEATURES",
    "FULL_FEATURES",
]
