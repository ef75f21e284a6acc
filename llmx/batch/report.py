"""What a batch run writes and reports: record and error lines, usage counts, the `BatchReport`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from llmx._secrets import redact
from llmx.batch.documents import Doc
from llmx.errors import InputError


@dataclass
class BatchReport:
    """What a run did. `records` holds this run's records only when no output file was given."""

    total: int = 0
    written: int = 0
    skipped: int = 0  # already in OUT with the same content hash
    failed: int = 0
    duplicates: int = 0  # the same document given twice
    resolved: int = 0  # documents that had failed in an earlier run and succeeded now
    rules_fallbacks: int = 0  # records whose model answer was unusable, so the rules filled in (meta.fallback)
    calls: int = 0
    retries: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    rate_limited_s: float = 0.0
    elapsed_s: float = 0.0
    interrupted: bool = False
    workers: int = 1  # processes that ran the pipeline
    out: Path | None = None
    errors_path: Path | None = None
    outstanding: list[str] = field(default_factory=list)  # ids without a record after this run
    removed: list[str] = field(default_factory=list)  # failed ids whose old record (other text or configuration) was removed
    records: list[BaseModel] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # this run's error entries

    @property
    def done(self) -> int:
        return self.written + self.skipped + self.failed

    @property
    def docs_per_s(self) -> float:
        return self.written / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def summary_lines(self) -> list[str]:
        lines = [
            f"{self.total} documents: {self.written} extracted, {self.skipped} already done, {self.failed} failed"
            + (f", {self.duplicates} duplicates ignored" if self.duplicates else "")
            + (f", {self.resolved} earlier failures now fixed" if self.resolved else ""),
            f"{self.calls} model calls ({self.retries} transport retries, {self.reasks} re-asks), "
            f"{self.prompt_tokens + self.completion_tokens} tokens, {self.elapsed_s:.1f} s"
            + (f", {self.docs_per_s:.1f} docs/s" if self.written else "")
            + (f", {self.rate_limited_s:.1f} s waiting for rate limits" if self.rate_limited_s else ""),
        ]
        if self.rules_fallbacks:
            lines.append(
                f"{self.rules_fallbacks} record{'s' if self.rules_fallbacks > 1 else ''}: the model's answer was unusable, "
                "the rules filled in (meta.fallback; --strict makes this an error)"
            )
        if self.removed:
            count = len(self.removed)
            shown = ", ".join(self.removed[:10]) + (" ..." if count > 10 else "")
            lines.append(
                f"{count} old record{'s' if count > 1 else ''} removed: the text or the configuration changed and "
                f"extracting again failed, so the old record no longer matched the input: {shown}"
            )
        if self.out is not None:
            lines.append(f"records: {self.out}")
        if self.outstanding:
            shown = ", ".join(self.outstanding[:10]) + (" ..." if len(self.outstanding) > 10 else "")
            where = f" (details in {self.errors_path})" if self.errors_path else ""
            count = len(self.outstanding)
            lines.append(f"{count} document{'s have' if count > 1 else ' has'} no record yet{where}: {shown}")
            lines.append("rerun the same command to retry them")
        if self.interrupted:
            lines.append("interrupted: finished records are saved; rerun the same command to continue")
        return lines

    def remove_stale(self, error: dict[str, Any], previous: tuple[str, str, str | None] | None) -> None:
        """A failed document that has an older record in OUT: name that record in its error line and
        list the id in `removed`, so compaction drops it (the record was for another text or configuration)."""
        if previous is None:
            return
        error["removed_record"] = {"content_hash": previous[1], "run_key": previous[2]}
        self.removed.append(error["id"])


def record_entry(record: BaseModel, doc_id: str, digest: str) -> dict[str, Any]:
    """The JSON line for a record, guaranteed to carry the id and content hash resume relies on."""
    entry = record.model_dump(mode="json")
    if entry.get("id") is None:
        entry["id"] = doc_id
    meta = entry.get("meta")
    if not isinstance(meta, dict):
        meta = entry["meta"] = {}
    meta["content_hash"] = digest
    return entry


def error_entry(doc: Doc, exc: BaseException, digest: str | None, secrets: Iterable[str | None], **more: Any) -> dict[str, Any]:
    """The errors-file line for a document that failed: what, why, after how many model calls."""
    stats = usage_of(exc)
    return {
        "id": doc.id,
        "source": str(doc.path) if doc.path is not None else None,
        "content_hash": digest,
        "error": redact(str(exc) or repr(exc), secrets),
        "error_type": type(exc).__name__,
        "attempts": _attempts_of(exc, stats),
        "retries": stats.get("retries", 0),
        "reasks": stats.get("reasks", 0),
        **more,
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def usage_of(obj: object) -> dict[str, int]:
    """Usage counts from a record's meta, or from an exception that carries a `usage` attribute."""
    meta = getattr(obj, "meta", None)
    usage = getattr(meta, "usage", None) if meta is not None else getattr(obj, "usage", None)
    if usage is None:
        return {}
    prompt, completion = getattr(usage, "prompt_tokens", 0), getattr(usage, "completion_tokens", 0)
    return {
        "calls": getattr(usage, "calls", 0),
        "retries": getattr(usage, "retries", 0),
        "reasks": getattr(usage, "reasks", 0),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "tokens": prompt + completion,
    }


def _attempts_of(exc: BaseException, stats: dict[str, int]) -> int | None:
    """Model calls spent on the document before giving up: 0 if it never reached the model, None if unknown."""
    if isinstance(exc, InputError):
        return 0
    if "calls" in stats:
        return stats["calls"]
    value = getattr(exc, "attempts", None)
    return value if isinstance(value, int) else None


def is_fallback(entry: Mapping[str, Any]) -> bool:
    """Whether a record line was filled in by the rules because the model's answer was unusable."""
    meta = entry.get("meta")
    return isinstance(meta, dict) and bool(meta.get("fallback"))


def add_usage(report: BatchReport, stats: dict[str, int]) -> None:
    report.calls += stats.get("calls", 0)
    report.retries += stats.get("retries", 0)
    report.reasks += stats.get("reasks", 0)
    report.prompt_tokens += stats.get("prompt_tokens", 0)
    report.completion_tokens += stats.get("completion_tokens", 0)
