"""Tests of conformance.config: defaults, fixtures, layering, validation, redaction."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest

from conformance.config import (
    CERTIFICATION_PROFILES,
    CORE_FEATURES,
    FULL_FEATURES,
    Actions,
    Config,
    ConfigError,
    Connection,
    Evse,
    IdTokens,
    IdTokenSpec,
    Pics,
    StationIdentity,
    Timing,
    default_config,
    load_config,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PASSWORD = "a-station-password-0001"


def write(tmp_path: Path, text: str, name: str = "sut.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_STATION = """
role = "station"
name = "Test station"

[connection]
listen_port = 9100
identity = "CS-TEST-1"

[[evse]]
id = 1
connectors = [1]

[id_tokens.valid]
id_token = "AABBCCDD"

[id_tokens.invalid]
id_token = "11223344"

[pics]
features = ["C-01", "C-02"]

[actions]
backend = "prompt"
"""

MINIMAL_CSMS = """
role = "csms"
name = "Test CSMS"

[connection]
csms_url = "ws://csms.example.com:8180/ocpp"
identity = "CS-TEST-1"

[[evse]]
id = 1
connectors = [1]

[id_tokens]
valid = "AABBCCDD"
invalid = "11223344"

[pics]
features = ["C-01"]

[actions]
backend = "webhook"
url = "https://csms.example.com/hooks"
"""

ENV = {"OCPP_CONFORMANCE_CONNECTION__PASSWORD": PASSWORD}


def problems_of(exc_info: pytest.ExceptionInfo[ConfigError]) -> dict[str, str]:
    return dict(exc_info.value.problems)


def expect_problem(key: str, fragment: str, *, path=None, overrides=(), env=ENV, role=None, text=None,
                   tmp_path=None):
    if text is not None:
        path = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc_info:
        load_config(path, overrides=overrides, env=env, role=role)
    problems = problems_of(exc_info)
    assert key in problems, f"{key!r} not among {exc_info.value.problems}"
    assert fragment in problems[key], f"{fragment!r} not in {problems[key]!r}"
    # str() lists every problem, one per line, as "key: reason"
    assert str(exc_info.value).splitlines() == [f"{k}: {r}" for k, r in exc_info.value.problems]
    return exc_info.value


# --------------------------------------------------------------------------------------
# Defaults
# --------------------------------------------------------------------------------------


def test_dataclass_defaults():
    t = Timing()
    assert (t.message_timeout, t.connect_timeout, t.action_timeout, t.case_time_limit) == (30.0, 60.0, 120.0, 300.0)
    assert (t.heartbeat_interval, t.boot_retry_interval, t.max_time_deviation, t.time_scale) == (300, 30, 4.0, 1.0)  # Part 6 §2.1
    c = Connection()
    assert (c.listen_host, c.listen_port, c.path, c.csms_url, c.identity, c.password, c.security_profile) == (
        "127.0.0.1", 9000, "/ocpp", None, "CS001", None, 1)
    assert c.extra_stations == ()
    assert Actions().backend == "reference"
    assert IdTokenSpec("X").type == "ISO14443"


@pytest.mark.parametrize("role", ["station", "csms"])
def test_default_config(role):
    cfg = default_config(role)
    assert cfg.role == role and cfg.reference is True and cfg.source == "<defaults>"
    assert cfg.actions.backend == "reference"
    assert cfg.evses == (Evse(1, (1,)), Evse(2, (1,)))
    assert cfg.pics.features == FULL_FEATURES
    assert cfg.pics.profiles == frozenset(CERTIFICATION_PROFILES)
    assert CORE_FEATURES <= FULL_FEATURES
    tokens = cfg.id_tokens
    assert all(getattr(tokens, n) is not None for n in ("valid", "invalid", "blocked", "expired", "master_pass", "group"))
    assert cfg.timing.message_timeout <= 10 and cfg.timing.case_time_limit <= 60
    assert cfg.unsupported() == []
    hash(cfg)  # immutable all the way down
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cfg.pics.answers["AQ-1"] = False  # type: ignore[index]


@pytest.mark.parametrize("role", ["station", "csms"])
def test_default_config_survives_its_own_validation(role):
    cfg = default_config(role)
    assert load_config(None, role=role, env={}) == cfg
    # and its snapshot, written back as TOML-shaped data, loads to the same thing
    snapshot = cfg.to_dict(redact=False)
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_default_config_rejects_unknown_role():
    with pytest.raises(ConfigError) as exc_info:
        default_config("charger")
    assert problems_of(exc_info)["role"].startswith("must be one of 'station', 'csms'")


def test_csms_default_has_two_stations():
    stations = default_config("csms").connection.stations
    assert [s.identity for s in stations] == ["CS001", "CS002"]
    assert stations.primary.identity == "CS001" and len(stations.extra) == 1


def test_load_without_file_needs_a_role():
    expect_problem("role", "required", path=None, env={})
    cfg = load_config(None, env={"OCPP_CONFORMANCE_ROLE": "csms"})
    assert cfg.role == "csms"


# --------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["station", "csms"])
def test_reference_fixtures_equal_default_config(role):
    path = FIXTURES / f"reference-{role}.toml"
    cfg = load_config(path, env={})
    assert cfg == default_config(role)
    assert cfg.source == str(path)
    assert load_config(path, env={}, role=role) == cfg


def test_full_pics_fixture_is_the_built_in_full_pics():
    data = tomllib.loads((FIXTURES / "pics" / "full.toml").read_text())
    ref = default_config("station").pics
    assert frozenset(data["features"]) == FULL_FEATURES == ref.features
    assert tuple(data["profiles"]) == CERTIFICATION_PROFILES
    core = tomllib.loads((FIXTURES / "pics" / "core-only.toml").read_text())
    assert frozenset(core["features"]) == CORE_FEATURES and core["profiles"] == ["Core"]


def test_part5_vocabulary_matches_the_catalog():
    catalog = pytest.importorskip("conformance.catalog")
    assert CERTIFICATION_PROFILES == catalog.PROFILES
    ids = set(catalog.load_catalog().features)
    assert FULL_FEATURES == {i for i in ids if not i.startswith("HFS-")}
    assert CORE_FEATURES == {i for i in FULL_FEATURES if i.startswith("C-")}
    for role in ("station", "csms"):
        pics = default_config(role).pics
        assert set(pics.hardware) <= ids
        questions = catalog.load_catalog().questions["CS" if role == "station" else "CSMS"]
        assert set(pics.answers) <= set(questions)


def test_pics_supported_set_for_feature_expressions():
    pics = Pics(frozenset({"C-01"}), {"HFS-1": True, "HFS-2": False, "HFS-8": 2, "HFS-9": "LTE"},
                {"AQ-2": True, "AQ-7": False}, frozenset({"Core", "Smart Charging"}))
    assert pics.supported() == {"C-01", "HFS-1", "HFS-8=2", "HFS-9", "AQ-2", "Core", "Smart Charging"}
    catalog = pytest.importorskip("conformance.catalog")
    assert catalog.evaluate_features("HFS-8 > 1 and AQ-2 and \"Smart Charging\"", pics.supported())
    assert not catalog.evaluate_features("HFS-2 or AQ-7", pics.supported())


def test_core_only_pics_file(tmp_path):
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "core-only.toml").write_text((FIXTURES / "pics" / "core-only.toml").read_text())
    text = MINIMAL_STATION.replace('[pics]\nfeatures = ["C-01", "C-02"]\n', "")
    path = write(tmp_path, 'pics_file = "pics/core-only.toml"\n' + text)
    cfg = load_config(path, env=ENV)
    assert cfg.pics.features == CORE_FEATURES and cfg.pics.profiles == {"Core"}


def test_example_station_fixture():
    cfg = load_config(FIXTURES / "example-station.toml", env=ENV)
    assert cfg.role == "station" and cfg.reference is False
    assert cfg.connection.password == PASSWORD and cfg.connection.listen_port == 9000
    assert cfg.evses == (Evse(1, (1,)), Evse(2, (1, 2)))
    assert cfg.id_tokens.master_pass is None and cfg.id_tokens.group is not None
    assert cfg.actions.backend == "prompt"
    assert cfg.pics.supports("C-01", "LA-1") and not cfg.pics.supports("R-1")
    assert "Smart Charging" in cfg.pics.profiles and "HFS-8=2" in cfg.pics.supported()
    # without the password from the environment it is rejected, and says how to pass it
    expect_problem("connection.password", "OCPP_CONFORMANCE_CONNECTION__PASSWORD",
                   path=FIXTURES / "example-station.toml", env={})


def test_example_csms_fixture():
    env = {
        "OCPP_CONFORMANCE_CONNECTION__PASSWORD": "password-of-CONF-TEST-01",
        "OCPP_CONFORMANCE_CONNECTION__EXTRA_STATIONS":
            '[{identity="CONF-TEST-02", password="password-of-CONF-TEST-02"}]',
        "OCPP_CONFORMANCE_ACTIONS__HEADERS": '{Authorization="Bearer the-webhook-token"}',
    }
    cfg = load_config(FIXTURES / "example-csms.toml", env=env)
    assert cfg.role == "csms" and cfg.actions.backend == "webhook"
    assert [s.identity for s in cfg.connection.stations] == ["CONF-TEST-01", "CONF-TEST-02"]
    assert cfg.connection.station_url() == "ws://csms.staging.example.com:8180/ocpp/CONF-TEST-01"
    assert cfg.evses[1].connectors == (1,)  # "connectors = 1" is a count
    assert set(cfg.secrets) == {"password-of-CONF-TEST-01", "password-of-CONF-TEST-02",
                                "Bearer the-webhook-token", "CONFTEST-MASTER"}
    dumped = json.dumps(cfg.to_dict())
    for secret in cfg.secrets:
        assert secret not in dumped


# --------------------------------------------------------------------------------------
# Layering: defaults < file < env < CLI
# --------------------------------------------------------------------------------------


def test_file_overrides_defaults(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL_STATION), env=ENV)
    assert cfg.timing == Timing()  # nothing set in the file: the dataclass defaults
    assert cfg.connection.listen_port == 9100 and cfg.connection.path == "/ocpp"
    assert cfg.id_tokens.blocked is None


def test_precedence_file_env_cli(tmp_path):
    path = write(tmp_path, MINIMAL_STATION + "\n[timing]\nmessage_timeout = 11\nconnect_timeout = 12\n"
                                            "action_timeout = 13\n")
    env = {**ENV, "OCPP_CONFORMANCE_TIMING__CONNECT_TIMEOUT": "22", "OCPP_CONFORMANCE_TIMING__ACTION_TIMEOUT": "23"}
    cfg = load_config(path, env=env, overrides=["timing.action_timeout=33"])
    assert cfg.timing.message_timeout == 11.0  # file
    assert cfg.timing.connect_timeout == 22.0  # env beats file
    assert cfg.timing.action_timeout == 33.0  # CLI beats env
    assert isinstance(cfg.timing.message_timeout, float)


def test_overrides_parse_toml_values_and_fall_back_to_strings(tmp_path):
    path = write(tmp_path, MINIMAL_STATION)
    cfg = load_config(path, env=ENV, overrides=[
        "connection.identity=CS002",
        'pics.features=["C-01","C-03"]',
        "pics.hardware.HFS-2=false",
        "pics.answers.AQ-5=4",
        "pics.answers.AQ-6=hard-wired tilt sensor",
        "strict=true",
        "name=12345",  # a string key keeps the text as it is
        'id_tokens.blocked.id_token="0011AABB"',
        "evse=[{id=1, connectors=[1, 2]}, {id=2, connectors=[1]}]",
    ])
    assert cfg.connection.identity == "CS002"
    assert cfg.pics.features == {"C-01", "C-03"}
    assert cfg.pics.hardware == {"HFS-2": False}
    assert cfg.pics.answers == {"AQ-5": 4, "AQ-6": "hard-wired tilt sensor"}
    assert cfg.pics.profiles == {"Core"}  # the default
    assert cfg.strict is True and cfg.name == "12345"
    assert cfg.id_tokens.blocked == IdTokenSpec("0011AABB")
    assert cfg.evses == (Evse(1, (1, 2)), Evse(2, (1,)))


def test_list_override_accepts_comma_separated(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL_STATION), env={**ENV, "OCPP_CONFORMANCE_PICS__FEATURES": "C-01, C-05"})
    assert cfg.pics.features == {"C-01", "C-05"}


def test_env_password_that_looks_like_a_number_stays_a_string(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL_STATION), env={"OCPP_CONFORMANCE_CONNECTION__PASSWORD": "1" * 20})
    assert cfg.connection.password == "1" * 20


def test_token_shorthand_merges_with_file_table(tmp_path):
    text = MINIMAL_STATION.replace('[id_tokens.valid]\nid_token = "AABBCCDD"',
                                   '[id_tokens.valid]\nid_token = "AABBCCDD"\ntype = "Central"')
    cfg = load_config(write(tmp_path, text), env=ENV, overrides=["id_tokens.valid=NEWTOKEN"])
    assert cfg.id_tokens.valid == IdTokenSpec("NEWTOKEN", "Central")


def test_unrelated_environment_variables_are_ignored(tmp_path):
    env = {**ENV, "PATH": "/bin", "OCPP_CONFORMANCE_REPORT_DIR": "/tmp/x", "OCPP_CONFORMANCE_CONFIG": "a.toml"}
    load_config(write(tmp_path, MINIMAL_STATION), env=env)


def test_no_file_uses_default_config_plus_overrides():
    cfg = load_config(None, role="station", env={"OCPP_CONFORMANCE_TIMING__TIME_SCALE": "3"},
                      overrides=["faults=[\"boot_without_reason\"]"])
    assert cfg.timing.time_scale == 3.0 and cfg.faults == ("boot_without_reason",)
    assert cfg.source == "<defaults>"
    assert dataclasses.replace(cfg, timing=default_config("station").timing, faults=()) == default_config("station")


def test_pics_file_relative_to_config_file_and_inline_pics_wins(tmp_path):
    sub = tmp_path / "conf"
    (sub / "pics").mkdir(parents=True)
    (sub / "pics" / "mine.toml").write_text(
        'profiles = ["Core", "Smart Charging"]\nfeatures = ["C-01", "SC-2"]\n[hardware]\nHFS-1 = true\nHFS-2 = true\n')
    text = MINIMAL_STATION.replace('[pics]\nfeatures = ["C-01", "C-02"]\n', '[pics.hardware]\nHFS-2 = false\n')
    cfg = load_config(write(sub, 'pics_file = "pics/mine.toml"\n' + text), env=ENV)
    assert cfg.pics.features == {"C-01", "SC-2"} and cfg.pics.profiles == {"Core", "Smart Charging"}
    assert cfg.pics.hardware == {"HFS-1": True, "HFS-2": False}
    # a PICS file that kept its [pics] header is accepted too
    (sub / "pics" / "mine.toml").write_text('[pics]\nfeatures = ["C-02"]\n')
    assert load_config(sub / "sut.toml", env=ENV).pics.features == {"C-02"}


def test_role_argument(tmp_path):
    path = write(tmp_path, MINIMAL_STATION)
    assert load_config(path, env=ENV, role="station").role == "station"
    expect_problem("role", "a 'csms' run was requested", path=path, role="csms")
    # a file without role takes the requested one
    text = MINIMAL_STATION.replace('role = "station"\n', "")
    assert load_config(write(tmp_path, text, "norole.toml"), env=ENV, role="station").role == "station"


# --------------------------------------------------------------------------------------
# Errors: dotted key + reason, never a traceback
# --------------------------------------------------------------------------------------


def test_the_example_from_the_brief(tmp_path):
    err = expect_problem("timing.message_timeout", "must be a positive number, got -1",
                         text=MINIMAL_STATION + "[timing]\nmessage_timeout = -1\n", tmp_path=tmp_path)
    assert str(err) == "timing.message_timeout: must be a positive number, got -1"


def test_problems_name_their_origin(tmp_path):
    path = write(tmp_path, MINIMAL_STATION)
    expect_problem("timing.message_timeout", "(set by OCPP_CONFORMANCE_TIMING__MESSAGE_TIMEOUT)", path=path,
                   env={**ENV, "OCPP_CONFORMANCE_TIMING__MESSAGE_TIMEOUT": "-1"})
    expect_problem("timing.message_timeout", "(set on the command line)", path=path,
                   overrides=["timing.message_timeout=0"])


def test_all_problems_are_collected(tmp_path):
    text = MINIMAL_STATION.replace('role = "station"', 'role = "stattion"') + "[timing]\ntime_scale = 0\n"
    with pytest.raises(ConfigError) as exc_info:
        load_config(write(tmp_path, text), env={}, overrides=["connection.identity=a:b", "timing.heartbeat_interval=1.5"])
    keys = [k for k, _ in exc_info.value.problems]
    assert {"role", "timing.time_scale", "connection.identity", "timing.heartbeat_interval"} <= set(keys)
    assert len(str(exc_info.value).splitlines()) == len(keys)


@pytest.mark.parametrize(
    "snippet, key, fragment",
    [
        ("[timing]\nmessage_timout = 5\n", "timing.message_timout", "did you mean 'message_timeout'?"),
        ("[conection]\nidentity = 'x'\n", "conection", "did you mean 'connection'?"),
        ("stict = true\n", "stict", "did you mean 'strict'?"),
        ("[id_tokens.vaild]\nid_token = 'X'\n", "id_tokens.vaild", "did you mean 'valid'?"),
        ("[[connection.extra_stations]]\nidentiy = 'CS2'\n", "connection.extra_stations[0].identiy",
         "did you mean 'identity'?"),
    ],
)
def test_unknown_keys_get_suggestions(tmp_path, snippet, key, fragment):
    text = snippet + MINIMAL_STATION if not snippet.startswith("[") else MINIMAL_STATION + snippet
    if "extra_stations" in snippet:
        text = MINIMAL_CSMS + snippet
    expect_problem(key, fragment, text=text, tmp_path=tmp_path)


def test_env_single_underscore_typo_is_caught(tmp_path):
    expect_problem("OCPP_CONFORMANCE_TIMING_MESSAGE_TIMEOUT", "OCPP_CONFORMANCE_TIMING__MESSAGE_TIMEOUT",
                   path=write(tmp_path, MINIMAL_STATION), env={**ENV, "OCPP_CONFORMANCE_TIMING_MESSAGE_TIMEOUT": "5"})
    expect_problem("timing.message_timout", "did you mean 'message_timeout'?", path=write(tmp_path, MINIMAL_STATION),
                   env={**ENV, "OCPP_CONFORMANCE_TIMING__MESSAGE_TIMOUT": "5"})


def test_bad_override_syntax(tmp_path):
    path = write(tmp_path, MINIMAL_STATION)
    expect_problem("timing.message_timeout", "key.path=value", path=path, overrides=["timing.message_timeout"])
    expect_problem("evse[0]", "not a valid key path", path=path, overrides=["evse[0]=2"])
    expect_problem("timing..x", "not a valid key path", path=path, overrides=["timing..x=2"])


STATION_ERRORS = [
    # override, the key the problem is reported under, a fragment of the reason
    ("role=charger", "role", "must be one of 'station', 'csms'"),
    ('name=""', "name", "must not be empty"),
    ("reference=maybe", "reference", "must be true or false"),
    ("strict=1", "strict", "must be true or false, got 1"),
    ('faults=["no heartbeat"]', "faults[0]", "must be a fault name"),
    ('faults=["x", "x"]', "faults[1]", "listed twice"),
    ("connection.listen_host=not a host!", "connection.listen_host", "must be a host name or an IP address"),
    ("connection.listen_port=70000", "connection.listen_port", "must be a port number 0-65535, got 70000"),
    ("connection.listen_port=0", "connection.listen_port", "fixed port"),
    ("connection.listen_port=true", "connection.listen_port", "must be a port number"),
    ("connection.path=ocpp", "connection.path", "start with '/'"),
    ("connection.path=/ocpp/", "connection.path", "must not end with '/'"),
    ("connection.csms_url=ws://x/y", "connection.csms_url", "only used when role = 'csms'"),
    ("connection.identity=CS:01", "connection.identity", "must not contain ':'"),
    ("connection.identity=CS 01", "connection.identity", "identifierString"),
    ("connection.identity=" + "C" * 49, "connection.identity", "at most 48 characters"),
    ("connection.password=short", "connection.password", "must be 16 to 40 characters"),
    ("connection.password=" + "x" * 41, "connection.password", "must be 16 to 40 characters"),
    ("connection.security_profile=4", "connection.security_profile", "must be 0, 1, 2 or 3"),
    ('connection.extra_stations=[{identity="CS2"}]', "connection.extra_stations", "only used when role = 'csms'"),
    ("evse=[]", "evse", "must be a non-empty list"),
    ("evse.id=2", "evse", "must be a non-empty list"),
    ("evse=[{id=2, connectors=[1]}]", "evse[0].id", "expected 1, got 2"),
    ("evse=[{id=1, connectors=[1, 3]}]", "evse[0].connectors[1]", "expected 2, got 3"),
    ("evse=[{id=1, connectors=0}]", "evse[0].connectors", "a connector count >= 1"),
    ("evse=[{id=1, conectors=[1]}]", "evse[0].conectors", "did you mean 'connectors'?"),
    ("id_tokens.valid.type=RFID", "id_tokens.valid.type", "must be an IdTokenEnumType value"),
    ("id_tokens.valid.type=iso14443", "id_tokens.valid.type", "did you mean 'ISO14443'?"),
    ("id_tokens.valid.id_token=" + "X" * 37, "id_tokens.valid.id_token", "at most 36 characters"),
    ('id_tokens.valid.id_token=""', "id_tokens.valid.id_token", "must not be empty"),
    ("id_tokens.invalid.id_token=aabbccdd", "id_tokens.invalid.id_token", "must differ from id_tokens.valid"),
    ("id_tokens.master_pass.id_token=55667788", "id_tokens.master_pass.group_id_token",
     "required: the station's MasterPassGroupId"),
    ("id_tokens.group=55667788", "id_tokens.group.group_id_token", "required"),
    ("timing.connect_timeout=abc", "timing.connect_timeout", "must be a positive number"),
    ("timing.action_timeout=nan", "timing.action_timeout", "must be a finite number"),
    ("timing.case_time_limit=10", "timing.case_time_limit",
     "must be at least the longest single wait (action_timeout = 120)"),
    ("timing.heartbeat_interval=0", "timing.heartbeat_interval", "must be a positive whole number of seconds"),
    ("timing.boot_retry_interval=2.5", "timing.boot_retry_interval", "must be a positive whole number of seconds"),
    ("timing.max_time_deviation=-0.5", "timing.max_time_deviation", "must be a number >= 0"),
    ("timing.time_scale=0", "timing.time_scale", "must be a positive number"),
    ('pics.features=["c-01"]', "pics.features[0]", "did you mean 'C-01'?"),
    ('pics.features=["C-1.2.3"]', "pics.features[0]", "must be a Part 5 feature id"),
    ('pics.features=["C-01", "C-01"]', "pics.features[1]", "listed twice"),
    ("pics.features={a=1}", "pics.features", "must be a list of Part 5 feature ids"),
    ('pics.profiles=["Core", "smart charging"]', "pics.profiles[1]", "did you mean 'Smart Charging'?"),
    ('pics.profiles=["Core", "Plug and Charge"]', "pics.profiles[1]", "must be a Part 5 certification profile"),
    ("pics.hardware.HFS-1=1.5", "pics.hardware.HFS-1", "must be true/false, an integer or a string"),
    ("pics.hardware.hfs_1=true", "pics.hardware.hfs_1", "did you mean 'HFS-1'?"),
    ("pics.hardware.connector_lock=true", "pics.hardware.connector_lock", "hardware id such as 'HFS-8'"),
    ("pics.answers.HFS-1=true", "pics.answers.HFS-1", "question id such as 'AQ-2'"),
    ("pics.hardware.HFS-8=2", "pics.hardware.HFS-8", "must match the [[evse]] tables (1), got 2"),
    ("actions.backend=telepathy", "actions.backend", "must be one of 'reference', 'prompt', 'shell', 'webhook'"),
    ("actions.backend=reference", "actions.backend", "only drives the built-in reference SUT"),
    ("actions.backend=shell", "actions.command", "required"),
    ("actions.url=ftp://x/y", "actions.url", "must be an http:// or https:// URL"),
    ('actions.headers={"bad name" = "x"}', "actions.headers.bad name", "not a valid HTTP header name"),
    ("timing=5", "timing", "must be a table"),
]


@pytest.mark.parametrize("override, key, fragment", STATION_ERRORS, ids=[o[:40] for o, _, _ in STATION_ERRORS])
def test_each_error_class_names_key_and_reason(tmp_path, override, key, fragment):
    expect_problem(key, fragment, path=write(tmp_path, MINIMAL_STATION), overrides=[override])


@pytest.mark.parametrize(
    "overrides, key, fragment",
    [
        (["connection.csms_url=http://csms/ocpp"], "connection.csms_url", "must be a ws:// or wss:// URL"),
        (["connection.csms_url=ws://user:pw@csms/ocpp"], "connection.csms_url", "must not contain credentials"),
        (["connection.csms_url=ws://csms/ocpp?x=1"], "connection.csms_url", "must not have a query"),
        (["connection.csms_url=wss://csms/ocpp"], "connection.csms_url", "must start with ws://"),
        (["connection.security_profile=2"], "connection.csms_url", "must start with wss://"),
        (["connection.csms_url=ws://csms:99999/ocpp"], "connection.csms_url", "not a valid URL"),
        (['connection.extra_stations=[{identity="cs-test-1", password="' + PASSWORD + '"}]'],
         "connection.extra_stations[0].identity", "already used"),
        (['connection.extra_stations=[{identity="CS2"}]'], "connection.extra_stations[0].password", "required"),
        (["connection.extra_stations=[1]"], "connection.extra_stations[0]", "must be a table"),
        (["actions.url=https://"], "actions.url", "must name a host"),
        (["faults=[\"x\"]"], "faults", "only be switched on in the built-in reference SUT"),
        (["reference=true"], "actions.backend", "must be 'reference' when reference = true"),
    ],
)
def test_csms_errors(tmp_path, overrides, key, fragment):
    expect_problem(key, fragment, path=write(tmp_path, MINIMAL_CSMS), overrides=overrides)


def test_role_specific_requirements(tmp_path):
    no_url = MINIMAL_CSMS.replace('csms_url = "ws://csms.example.com:8180/ocpp"\n', "")
    expect_problem("connection.csms_url", "required", text=no_url, tmp_path=tmp_path)
    # ... unless the harness starts the reference CSMS
    cfg = load_config(write(tmp_path, no_url, "ref.toml"), env=ENV,
                      overrides=["reference=true", "actions.backend=reference", "actions.url=https://x.example"])
    assert cfg.connection.csms_url is None
    # a real station needs a fixed listen_port
    expect_problem("connection.listen_port", "fixed port", path=write(tmp_path, MINIMAL_STATION),
                   overrides=["connection.listen_port=0"])


def test_missing_required_keys(tmp_path):
    with pytest.raises(ConfigError) as exc_info:
        load_config(write(tmp_path, 'role = "station"\n[actions]\nbackend = "prompt"\n'), env={})
    problems = problems_of(exc_info)
    for key in ("name", "evse", "id_tokens.valid", "id_tokens.invalid", "pics.features", "connection.password"):
        assert problems[key].startswith("required"), (key, problems)
    with pytest.raises(ConfigError) as exc_info:
        load_config(write(tmp_path, 'name = "x"\n', "norole.toml"), env={})
    assert problems_of(exc_info)["role"].startswith("required")


def test_actions_requirements(tmp_path):
    path = write(tmp_path, MINIMAL_STATION.replace('[actions]\nbackend = "prompt"\n', ""))
    expect_problem("actions.backend", "required", path=path)
    expect_problem("actions.url", "required", path=path, overrides=["actions.backend=webhook"])
    cfg = load_config(path, env=ENV, overrides=["actions.backend=shell", "actions.command=./do-action.sh"])
    assert cfg.actions == Actions("shell", command="./do-action.sh")


def test_file_errors(tmp_path):
    missing = tmp_path / "nope.toml"
    expect_problem(str(missing), "file not found", path=missing)
    bad = write(tmp_path, 'role = "station"\nname = \n', "bad.toml")
    err = expect_problem(str(bad), "not valid TOML", path=bad)
    assert "line 2" in str(err)
    expect_problem(str(tmp_path), "is a directory", path=tmp_path)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    expect_problem(str(binary), "not UTF-8", path=binary)
    path = write(tmp_path, 'pics_file = "pics/none.toml"\n' + MINIMAL_STATION, "pf.toml")
    expect_problem("pics_file", "file not found", path=path)
    bad_pics = tmp_path / "badpics.toml"
    bad_pics.write_text('features = ["C-01"]\nhardwre = {}\n')
    path = write(tmp_path, 'pics_file = "badpics.toml"\n' + MINIMAL_STATION.replace(
        '[pics]\nfeatures = ["C-01", "C-02"]\n', ""), "pf2.toml")
    expect_problem("pics.hardwre", "did you mean 'hardware'?", path=path)
    expect_problem("pics.hardwre", f"in pics file {bad_pics}", path=path)


def test_wrong_shapes_never_traceback(tmp_path):
    """Every key set to values of every wrong shape gives a ConfigError, never another exception."""
    path = write(tmp_path, MINIMAL_CSMS)
    keys = [
        "role", "name", "reference", "strict", "faults", "pics_file", "connection", "connection.listen_host",
        "connection.listen_port", "connection.path", "connection.csms_url", "connection.identity",
        "connection.password", "connection.security_profile", "connection.extra_stations", "evse", "id_tokens",
        "id_tokens.valid", "id_tokens.valid.id_token", "id_tokens.valid.type", "id_tokens.valid.group_id_token",
        "id_tokens.valid.secret", "timing", "timing.message_timeout", "timing.heartbeat_interval", "pics",
        "pics.profiles", "pics.features", "pics.hardware", "pics.answers", "actions", "actions.backend", "actions.command",
        "actions.url", "actions.headers",
    ]
    values = ["1", "-1", "1.5", "inf", "true", '"s"', "[]", "[1]", '["a", 1]', "{}", "{a=1}", "[{a=1}]",
              "1979-05-27T07:32:00Z"]
    for key in keys:
        for value in values:
            try:
                load_config(path, env=ENV, overrides=[f"{key}={value}"])
            except ConfigError as exc:
                assert exc.problems and all(isinstance(k, str) and isinstance(r, str) for k, r in exc.problems)


def test_secret_values_are_never_echoed_in_errors(tmp_path):
    path = write(tmp_path, MINIMAL_STATION)
    err = expect_problem("connection.password", "got 11 characters", path=path,
                         env={"OCPP_CONFORMANCE_CONNECTION__PASSWORD": "hunter2-abc"})
    assert "hunter2" not in str(err)
    err = expect_problem("actions.headers.X-Key", "line breaks", path=path,
                         overrides=['actions.headers.X-Key="top-secret\\nvalue"'])
    assert "top-secret" not in str(err)


# --------------------------------------------------------------------------------------
# Secrets and redaction
# --------------------------------------------------------------------------------------


def _config_with_secrets(tmp_path) -> Config:
    text = MINIMAL_CSMS + """
[[connection.extra_stations]]
identity = "CS-TEST-2"
password = "second-station-password"

[id_tokens.master_pass]
id_token = "MASTER-CARD-77"
group_id_token = "MP"
secret = true

[actions.headers]
Authorization = "Bearer abcdef123456"
"""
    text = text.replace('url = "https://csms.example.com/hooks"',
                        'url = "https://csms.example.com/hooks?key=Bearer abcdef123456"')
    return load_config(write(tmp_path, text), env=ENV)


def test_secrets_property(tmp_path):
    cfg = _config_with_secrets(tmp_path)
    assert cfg.secrets == (PASSWORD, "second-station-password", "Bearer abcdef123456", "MASTER-CARD-77")
    assert default_config("station").secrets == ("reference-password-01",)


def test_to_dict_redacts(tmp_path):
    cfg = _config_with_secrets(tmp_path)
    d = cfg.to_dict()
    text = json.dumps(d)
    for secret in cfg.secrets:
        assert secret not in text
    assert d["connection"]["password"] == "***"
    assert d["connection"]["extra_stations"] == [{"identity": "CS-TEST-2", "password": "***"}]
    assert d["actions"]["headers"] == {"Authorization": "***"}
    assert d["id_tokens"]["master_pass"]["id_token"] == "***"
    assert d["id_tokens"]["master_pass"]["group_id_token"] == "MP"
    assert d["id_tokens"]["valid"]["id_token"] == "AABBCCDD"  # not secret
    assert d["actions"]["url"] == "https://csms.example.com/hooks?key=***"
    assert d["source"] == cfg.source
    raw = cfg.to_dict(redact=False)
    assert raw["connection"]["password"] == PASSWORD
    assert raw["actions"]["headers"] == {"Authorization": "Bearer abcdef123456"}


def test_to_dict_round_trips(tmp_path):
    cfg = _config_with_secrets(tmp_path)
    raw = cfg.to_dict(redact=False)
    raw.pop("source")

    def toml_value(v):
        if isinstance(v, dict):
            return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items() if x is not None) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(toml_value(x) for x in v) + "]"
        return json.dumps(v)  # strings, numbers and booleans are spelled the same in JSON and TOML

    path = write(tmp_path, "\n".join(f"{k} = {toml_value(v)}" for k, v in raw.items()), "snapshot.toml")
    assert load_config(path, env={}) == cfg


# --------------------------------------------------------------------------------------
# Timing, unsupported settings, helpers
# --------------------------------------------------------------------------------------


def test_time_scale_scales_waits_not_wire_intervals(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL_STATION), env=ENV, overrides=["timing.time_scale=2.5"])
    t = cfg.timing
    assert t.scaled(t.message_timeout) == 75.0
    assert t.scaled(4) == 10.0
    assert t.heartbeat_interval == 300  # sent on the wire as is
    assert Timing().scaled(7.0) == 7.0


def test_security_profiles_2_and_3_are_accepted_but_unsupported(tmp_path):
    for profile in (2, 3):
        cfg = load_config(write(tmp_path, MINIMAL_CSMS), env=ENV, overrides=[
            f"connection.security_profile={profile}", "connection.csms_url=wss://csms.example.com/ocpp"])
        [line] = cfg.unsupported()
        assert line.startswith("connection.security_profile: ") and "TLS" in line
    cfg = load_config(write(tmp_path, MINIMAL_CSMS), env={}, overrides=["connection.security_profile=0"])
    assert cfg.connection.password is None and cfg.unsupported() == []


def test_with_csms_url():
    cfg = default_config("csms")
    moved = cfg.with_csms_url("ws://127.0.0.1:40123/ocpp")
    assert moved.connection.csms_url == "ws://127.0.0.1:40123/ocpp" and cfg.connection.csms_url is None
    assert moved.connection.station_url("CS002") == "ws://127.0.0.1:40123/ocpp/CS002"
    assert dataclasses.replace(moved.connection, csms_url=None) == cfg.connection


def test_connection_helpers():
    c = Connection(identity="CS|1", csms_url="ws://h/ocpp/")
    assert c.station_url() == "ws://h/ocpp/CS%7C1"
    assert c.station_url("CS2", base="ws://127.0.0.1:5555/ocpp") == "ws://127.0.0.1:5555/ocpp/CS2"
    assert c.station_path() == "/ocpp/CS%7C1"
    assert Connection().stations.all == (StationIdentity("CS001"),)


def test_direct_construction_freezes_containers():
    p = Pics(["C-01"], {"HFS-1": True}, {})
    assert isinstance(p.features, frozenset) and p.hardware == {"HFS-1": True} and p.profiles == {"Core"}
    hash(p)
    e = Evse(1, [1, 2])
    assert e.connectors == (1, 2)
    tokens = IdTokens(IdTokenSpec("A"), IdTokenSpec("B"))
    assert [n for n, _ in tokens.items()] == ["valid", "invalid"]


# Part 5 errata (2025-09): removed and renumbered ids are errors naming the id to use now.


def test_removed_feature_iso_3_names_its_replacement(tmp_path):
    error = expect_problem("pics.features", "removed from Part 5 by erratum 5.6",
                           path=write(tmp_path, MINIMAL_STATION), overrides=['pics.features=["C-01", "ISO-3"]'])
    assert "AQ-11" in str(error)


@pytest.mark.parametrize("old, new, errata", [("AQ-6", "AQ-16", "5.22"), ("AQ-1", "AQ-17", "5.22, 5.23"),
                                              ("AQ-2", "AQ-12", "5.22"), ("AQ-11", "AQ-17", "5.23")])
def test_renumbered_csms_question_names_the_new_id(tmp_path, old, new, errata):
    error = expect_problem(f"pics.answers.{old}", f"is {new} since Part 5 errata {errata}",
                           path=write(tmp_path, MINIMAL_CSMS), overrides=[f"pics.answers.{old}=true"])
    assert f"write {new} = ... instead" in str(error)


def test_renumbered_csms_ids_are_accepted_and_station_ids_unchanged(tmp_path):
    expect_problem("pics.answers.AQ-13", 'quote ids with a dot in TOML: "AQ-13.1" = ...',
                   path=write(tmp_path, MINIMAL_CSMS), overrides=["pics.answers.AQ-13.1=true"])
    text = MINIMAL_CSMS.replace('[pics]\nfeatures = ["C-01"]\n',
                                '[pics]\nfeatures = ["C-01"]\n[pics.answers]\nAQ-16 = true\n"AQ-13.1" = true\n')
    cfg = load_config(write(tmp_path, text), env=ENV)
    assert cfg.pics.answers == {"AQ-16": True, "AQ-13.1": True}
    assert "AQ-16" in cfg.pics.supported()
    station = load_config(write(tmp_path, MINIMAL_STATION, "station.toml"), env=ENV,
                          overrides=["pics.answers.AQ-6=true", "pics.answers.AQ-11=false"])
    assert station.pics.answers == {"AQ-6": True, "AQ-11": False}  # station AQ-6 / AQ-11 are station questions


def test_reference_csms_answers_use_the_renumbered_ids():
    answers = default_config("csms").pics.answers
    assert answers == {"AQ-17": True, "AQ-12": True, "AQ-16": True}
    assert load_config(FIXTURES / "reference-csms.toml", env={}, role="csms").pics.answers == answers
