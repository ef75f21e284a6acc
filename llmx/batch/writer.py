"""The one task that appends a batch's records and errors (group commit: one fsync per burst)."""

from __future__ import annotations

import asyncio
from typing import IO, Any

from pydantic import BaseModel

from llmx.batch.journal import Journal, dump_line
from llmx.batch.report import BatchReport


class Writer:
    """The single task that writes records and errors, so lines never interleave.

    It drains whatever is queued, writes it in one append and fsyncs once (group commit), so
    durability costs one fsync per burst of finished documents, not one per document.
    """

    def __init__(self, out: Journal | IO[str] | None, errors: Journal | None, report: BatchReport, *, maxsize: int = 0) -> None:
        self.out, self.errors, self.report = out, errors, report
        # Bounded (maxsize > 0): when the disk is slower than the model, workers wait instead of
        # piling finished records up in memory.
        self.queue: asyncio.Queue[tuple[str, Any] | None] = asyncio.Queue(maxsize=maxsize)

    async def run(self) -> None:
        finished = False
        while not finished:
            batch = [await self.queue.get()]
            while not self.queue.empty():
                batch.append(self.queue.get_nowait())
            finished = batch[-1] is None
            items = [item for item in batch if item is not None]
            records = [entry for kind, entry in items if kind == "record"]
            errors = [entry for kind, entry in items if kind == "error"]
            if records:
                await asyncio.to_thread(self._write_records, records)
            if errors and self.errors is not None:
                await asyncio.to_thread(self.errors.append, errors)

    def _write_records(self, records: list[tuple[dict[str, Any], BaseModel | None]]) -> None:
        if isinstance(self.out, Journal):
            self.out.append([entry for entry, _ in records])
        elif self.out is not None:
            self.out.write("".join(dump_line(entry) for entry, _ in records))
            self.out.flush()
        else:
            self.report.records.extend(record for _, record in records if record is not None)
