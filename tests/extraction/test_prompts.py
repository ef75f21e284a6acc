"""Prompt templates: built-ins load and render, user templates can extend them, hashes track changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmx.errors import ConfigError
from llmx.extraction.grounded import ground, prompt_variables
from llmx.extraction.inputs import Chunk
from llmx.rules.record import rules_record
from llmx.extraction.prompts import builtin_templates, load_template
from llmx.schema import KINDS

TEXT = (
    "AUSTIN, Texas, June 2, 2026 -- Pellworth Systems Inc. (NYSE: PLW) won a $14 million contract from "
    "Granary Logistics. Pellworth expects revenue of $60 million for 2026.\n"
)


def grounded_variables(text: str = TEXT, parties: bool = True) -> dict:
    grounding = ground(text, rules_record(text), {})
    return prompt_variables(grounding, Chunk(0, len(text), text), grounding.amounts, grounding.tickers, parties=parties)


def test_builtin_templates_are_packaged():
    assert {"grounded", "grounded-compact", "free"} <= set(builtin_templates())


def test_grounded_prompt_lists_every_mention_with_its_id_and_context():
    system, user = load_template("grounded").render(**grounded_variables())
    assert (system["role"], user["role"]) == ("system", "user")
    assert all(kind in system["content"] for kind in KINDS)
    assert TEXT.strip() in user["content"]
    assert 'M1: "$14 million"' in user["content"] and 'M2: "$60 million"' in user["content"]
    assert "[[$14 million]] contract from Granary" in user["content"]
    assert "T1: PLW on NYSE" in user["content"]


def test_compact_prompt_omits_the_body_and_the_worked_example():
    text = TEXT + "The company also described its products at length. " * 40 + "Closing words only the full prompt shows."
    variables = grounded_variables(text, parties=False)
    full_system, full_user = load_template("grounded").render(**{**variables, "parties": True})
    system, user = load_template("grounded-compact").render(**variables)
    assert "Closing words" in full_user["content"] and "Closing words" not in user["content"]
    assert TEXT.strip() in user["content"]  # the opening of the release is kept
    assert "Example." in full_system["content"] and "Example." not in system["content"]
    assert "payer and payee" not in system["content"]
    assert 'M1: "$14 million"' in user["content"]
    assert len(system["content"]) + len(user["content"]) < len(full_system["content"]) + len(full_user["content"])


def test_free_prompt_carries_the_text():
    system, user = load_template("free").render(text=TEXT)
    assert "JSON" in system["content"] and TEXT.strip() in user["content"]


def test_hash_is_stable_and_changes_with_the_source(tmp_path):
    assert load_template("grounded").hash == load_template("grounded").hash
    assert len({load_template(name).hash for name in ("grounded", "grounded-compact", "free")}) == 3
    path = tmp_path / "mine.j2"
    path.write_text("{% block system %}Label amounts.{% endblock %}{% block user %}{{ text }}{% endblock %}")
    first = load_template(path).hash
    path.write_text("{% block system %}Label all amounts.{% endblock %}{% block user %}{{ text }}{% endblock %}")
    assert load_template(path).hash != first


def test_user_template_can_extend_a_builtin_and_override_one_block(tmp_path):
    path = tmp_path / "terse.j2"
    path.write_text('{% extends "grounded.j2" %}{% block example %}Be brief.{% endblock %}')
    template = load_template(path)
    system, user = template.render(**grounded_variables())
    assert "Be brief." in system["content"] and "Example." not in system["content"]
    assert 'M1: "$14 million"' in user["content"]
    assert template.hash != load_template("grounded").hash


def test_hash_of_a_child_template_covers_its_parent(tmp_path):
    """Same child, three parents: the built-in grounded.j2, an identical copy, an edited copy
    (a user directory's grounded.j2 shadows the built-in one). Fresh directories keep the
    compiled-template cache from answering for an earlier parent."""
    child = '{% extends "grounded.j2" %}{% block example %}Be brief.{% endblock %}'
    builtin_source = (Path(__file__).resolve().parents[2] / "prompts" / "grounded.j2").read_text(encoding="utf-8")
    hashes = {}
    for name, parent in (("builtin", None), ("copy", builtin_source), ("edited", builtin_source.replace("kind", "type", 1))):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "terse.j2").write_text(child)
        if parent is not None:
            (folder / "grounded.j2").write_text(parent)
        hashes[name] = load_template(folder / "terse.j2").hash
    assert "kind" in builtin_source
    assert hashes["copy"] == hashes["builtin"]  # the hash is of the sources, not of the paths
    assert hashes["edited"] != hashes["builtin"]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% block system %}only a system block{% endblock %}", "missing: user"),
        ("{% block system %}{% if %}{% endblock %}{% block user %}{% endblock %}", "line 1"),
    ],
)
def test_broken_user_templates_are_config_errors(tmp_path, source, message):
    path = tmp_path / "broken.j2"
    path.write_text(source)
    with pytest.raises(ConfigError, match=message):
        load_template(path)


def test_unknown_names_and_missing_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="built-in templates: free, grounded"):
        load_template("nonexistent")
    with pytest.raises(ConfigError, match="does not exist"):
        load_template(tmp_path / "absent.j2")


def test_undefined_variables_fail_loudly():
    with pytest.raises(Exception, match="text"):
        load_template("free").render()
