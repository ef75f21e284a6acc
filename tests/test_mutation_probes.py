"""The mutation probes (scripts/mutate.py) run in CI and fail it when a planted bug goes unnoticed."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from support import ROOT

UNIQUE = "SHELL := /bin/bash"  # a line the Makefile has once: a "mutant" that changes nothing


def _mutate_module():
    spec = importlib.util.spec_from_file_location("llmx_mutate_script", ROOT / "scripts" / "mutate.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _recipe(makefile: str, target: str) -> list[str]:
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
    assert match, f"no {target} target in the Makefile"
    return [line.strip() for line in match.group(1).splitlines()]


def test_make_test_runs_every_mutant():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(MAKE) --no-print-directory mutants" in _recipe(makefile, "test")
    assert _recipe(makefile, "mutants") == ["$(PY) scripts/mutate.py"]  # all of them: no -k subset
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize(
    ("command", "timeout", "result"),
    [("{python} -c pass", 60.0, "SURVIVED"), ("{python} -c 'import time; time.sleep(30)'", 0.5, "undecided (timeout)")],
)
def test_a_survivor_or_a_timeout_fails_the_probe_run(monkeypatch, capsys, command, timeout, result):
    mutate = _mutate_module()
    harmless = mutate.Mutant("probe of the probes", "Makefile", UNIQUE, UNIQUE, command)
    monkeypatch.setattr(mutate, "MUTANTS", (harmless,))
    assert mutate.main(["--skip-clean", "--timeout", str(timeout)]) == 1
    assert f"| {result} |" in capsys.readouterr().out


def test_a_caught_mutant_passes_and_a_stale_one_fails(monkeypatch, capsys):
    mutate = _mutate_module()
    caught = mutate.Mutant("caught", "Makefile", UNIQUE, UNIQUE, "{python} -c 'raise SystemExit(3)'")
    monkeypatch.setattr(mutate, "MUTANTS", (caught,))
    assert mutate.main(["--skip-clean"]) == 0
    stale = mutate.Mutant("stale", "llmx/__init__.py", "no such snippet anywhere", "x", "{python} -c 'raise SystemExit(3)'")
    monkeypatch.setattr(mutate, "MUTANTS", (stale,))
    assert mutate.main(["--skip-clean"]) == 1
    assert "stale (0 matches)" in capsys.readouterr().out
