"""The package's top-level names are the functions (not same-named submodules), loaded lazily."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import llmx


def test_entry_points_are_callables() -> None:
    importlib.import_module("llmx.validation.checks")  # a loaded submodule must not shadow the function
    importlib.import_module("llmx.batch.run")
    from llmx import aextract, aextract_many, extract, extract_many, validate

    for function in (extract, aextract, extract_many, aextract_many, validate):
        assert callable(function) and not inspect.ismodule(function), function
    assert inspect.iscoroutinefunction(aextract) and inspect.iscoroutinefunction(aextract_many)
    assert extract_many.__module__ == aextract_many.__module__ == "llmx.batch.run"
    assert set(llmx.__all__) >= {"extract", "aextract", "extract_many", "aextract_many", "validate"}


def test_import_does_not_load_llm_clients() -> None:
    probe = "import sys, llmx; print(sorted(m for m in ('openai', 'instructor', 'llmx.batch.run', 'llmx.extraction.api') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_starting_a_batch_does_not_import_httpx() -> None:
    """Only `llmx tickers update` downloads with httpx; the CLI and the openai backend (aiohttp) never need it (~25 ms a start)."""
    probe = "import sys, llmx.cli.app, llmx.backends.openai.backend, llmx.validation.registry; print('httpx' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
