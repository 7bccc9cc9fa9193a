import pytest
from pydantic import ValidationError

from factlint.config import load_settings


def test_defaults_from_config_file():
    s = load_settings(env={})
    assert s.model.name == "packaged"
    assert s.server.port == 8000 and s.server.host == "127.0.0.1"
    assert 0 < s.check.min_related < s.check.min_supported <= 1


def test_env_overrides_and_cli_overrides_win(tmp_path):
    extra = tmp_path / "site.toml"
    extra.write_text("[check]\ntop_k = 7\n[server]\nworkers = 3\n")
    env = {"FACTLINT_CONFIG": str(extra), "FACTLINT_SERVER_WORKERS": "4", "FACTLINT_DATA_DIR": "/tmp/x"}
    s = load_settings(env=env)
    assert s.check.top_k == 7  # from the site file
    assert s.server.workers == 4  # env over file
    assert s.store.data_dir == "/tmp/x"
    s = load_settings(env=env, server={"workers": 1, "port": None})
    assert s.server.workers == 1 and s.server.port == 8000  # None means "not given"


def test_bad_values_are_rejected():
    with pytest.raises(ValidationError):
        load_settings(env={"FACTLINT_SERVER_PORT": "eighty"})
