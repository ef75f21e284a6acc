"""Garbage-collector settings for the duration of a batch (and in its worker processes)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Allocations between young-generation collections during a batch (Python's default is 700).
BATCH_GC_THRESHOLD = (20_000, 20, 20)


@contextlib.contextmanager
def batch_gc() -> Iterator[None]:
    """Collect garbage less often, and never scan what existed before the run, while a batch runs.

    A document allocates thousands of short-lived objects (pydantic models, dicts, regex
    matches), so the default thresholds collect hundreds of times a second, and every full
    collection walks all the SDKs' module objects: 0.7 s of a 13 s run, with 150 ms stalls
    of the event loop that delay every reply in flight (benchmarks/bench_batch.py). Objects
    made before the run are frozen (`gc.freeze`) and the young generation is collected every
    20,000 allocations instead of 700; both are undone when the run ends.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
