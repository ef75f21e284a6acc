"""Settings: flags > environment > llmx.toml / [tool.llmx]; `llmx config` shows origins with keys masked."""

from __future__ import annotations

import json

import pytest
from support import write_corpus
from support import llama_cpp_like, response_format_types
from typer.testing import CliRunner

from llmx.cli import app
from llmx.config import BatchSettings, find_config_file, load_config, load_settings, mask
from llmx.errors import ConfigError
from llmx.options import ExtractOptions


def test_flags_beat_environment_beat_file(tmp_path):
    (tmp_path / "llmx.toml").write_text('model = "from-file"\nbase_url = "http://file:1/v1"\nconcurrency = 3\n')
    env = {"LLMX_MODEL": "from-env"}
    settings = load_settings({"model": None, "concurrency": 5}, cwd=tmp_path, environ=env)
    assert (settings["model"].value, settings["model"].origin) == ("from-env", "env LLMX_MODEL")
    assert (settings["concurrency"].value, settings["concurrency"].origin) == (5, "--concurrency")
    assert settings["base_url"].value == "http://file:1/v1" and settings["base_url"].origin.endswith("llmx.toml")
    assert settings["labels"].value is None and settings["labels"].origin == "default"


def test_pyproject_tool_table_is_found_from_a_subdirectory(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.llmx]\nllm_mode = "json"\nrpm = 60\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config_file(sub, {}) == (tmp_path / "pyproject.toml", True)
    settings = load_settings(cwd=sub, environ={})
    assert settings["llm_mode"].value == "json" and settings["rpm"].value == 60.0
    assert "[tool.llmx]" in settings["rpm"].origin


def test_a_pyproject_without_the_table_is_not_a_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config_file(tmp_path, {}) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('llm_mode = "grammar"\n', r"llm_mode from .* must be one of json_schema"),
        ("concurrency = 0\n", r"concurrency from .* must be a positive int"),
        ('api_key = "sk-in-a-file"\n', r"unknown setting\(s\) api_key \(the API key is read from OPENAI_API_KEY only\)"),
        ('modle = "x"\n', r"unknown setting\(s\) modle"),
    ],
)
def test_bad_file_settings_name_the_setting_and_the_file(tmp_path, text, message):
    (tmp_path / "llmx.toml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cwd=tmp_path, environ={})


def test_load_config_builds_extract_options_and_batch_settings(tmp_path):
    (tmp_path / "llmx.toml").write_text(
        'backend = "openai"\nbase_url = "http://127.0.0.1:9/v1"\nllm_mode = "json"\ntimeout = 90\n'
        'concurrency = 3\ntpm = 1000\ncache_dir = "cache-here"\n'
    )
    config = load_config({"model": "m", "rpm": 60}, ExtractOptions(max_reasks=0), cwd=tmp_path, environ={})
    options = config.options
    assert (options.backend, options.model, options.base_url) == ("openai", "m", "http://127.0.0.1:9/v1")
    assert (options.llm_mode, options.timeout, options.max_reasks) == ("json", 90.0, 0)
    assert str(options.cache).startswith("cache-here/")
    assert config.batch == BatchSettings(concurrency=3, rpm=60.0, tpm=1000.0)
    assert config.settings["rpm"].origin == "--rpm"


def test_a_configured_dialect_is_dropped_for_another_backend_but_a_flag_is_kept(tmp_path):
    (tmp_path / "llmx.toml").write_text('llm_mode = "json"\ntimeout = 90\n')
    quiet = load_config({"backend": "rules"}, cwd=tmp_path, environ={})
    assert (quiet.options.llm_mode, quiet.options.timeout) == (None, None)
    assert load_config({"backend": "rules"}, ExtractOptions(cache=False), cwd=tmp_path, environ={}).options.cache is False
    loud = load_config({"backend": "rules", "llm_mode": "tools"}, cwd=tmp_path, environ={})
    assert loud.options.llm_mode == "tools"
    with pytest.raises(ConfigError, match="setting of the openai backend"):
        from llmx.extraction.api import bind

        bind(loud.options)


def test_mask_never_shows_more_than_five_characters():
    key = "sk-abcdefghijklmnopqrstuvwxyz0123"
    assert mask(key) == "sk-***23" and mask("short") == "***"


def test_config_command_prints_origins_and_masks_the_key(tmp_path, monkeypatch, api_key):
    (tmp_path / "llmx.toml").write_text('backend = "openai"\nbase_url = "http://user:pw@127.0.0.1:9/v1"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", api_key)
    monkeypatch.setenv("LLMX_MODEL", "qwen2.5")
    result = CliRunner().invoke(app, ["config", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows["model"] == {"value": "qwen2.5", "origin": "env LLMX_MODEL"}
    assert rows["backend"]["origin"] == str(tmp_path / "llmx.toml")
    assert rows["base_url"]["value"] == "http://127.0.0.1:9/v1"  # credentials in the URL hidden
    assert api_key not in result.stdout and "pw" not in result.stdout
    assert rows["api_key"]["origin"] == "env OPENAI_API_KEY"


def test_extract_takes_backend_and_mode_from_the_config_file(tmp_path, monkeypatch, loopback):
    server = loopback(llama_cpp_like)
    (tmp_path / "llmx.toml").write_text(
        f'backend = "openai"\nbase_url = "{server.base_url}"\nmodel = "m"\nllm_mode = "json"\n'
    )
    [path] = write_corpus(tmp_path / "docs", 1)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["extract", str(path), "--no-cache"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["meta"]["backend"] == "openai"
    assert response_format_types(server) == ["json_object"]
    # a flag wins over the file
    rules = CliRunner().invoke(app, ["extract", str(path), "--backend", "rules"])
    assert rules.exit_code == 0, rules.stderr
    assert json.loads(rules.stdout)["meta"]["backend"] == "rules" and server.count == 1


@pytest.mark.parametrize("where", ["flag", "file"])
def test_timeout_setting_reaches_the_openai_backend(tmp_path, monkeypatch, loopback, where):
    from llmx.backends.openai import backend as client
    from llmx.backends.openai.retry import RetryPolicy

    monkeypatch.setattr(client, "RetryPolicy", lambda: RetryPolicy(max_attempts=1))  # fail on the first timeout
    server = loopback(llama_cpp_like, latency=0.5)
    [path] = write_corpus(tmp_path / "docs", 1)
    args = ["extract", str(path), "--backend", "openai", "--base-url", server.base_url, "--no-cache"]
    if where == "flag":
        result = CliRunner().invoke(app, [*args, "--timeout", "0.1"])
    else:
        (tmp_path / "llmx.toml").write_text("timeout = 0.1\n")
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and "APITimeoutError" in result.stderr
    result = CliRunner().invoke(app, [*args, "--timeout", "5"])  # a flag beats the file
    assert result.exit_code == 0, result.stderr
