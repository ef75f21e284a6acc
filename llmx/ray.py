"""Extraction on Ray Data: the same records as `extract_many`, on as many machines as Ray has.

    import ray, llmx.ray
    ds = ray.data.read_parquet("s3://bucket/releases/")           # columns: id, text
    out = llmx.ray.extract_dataset(ds, backend="openai", base_url="http://vllm:8000/v1", concurrency=8)
    out.write_parquet("s3://bucket/records/")

    llmx.ray.extract_to("releases/", "records/")                 # files in, resumable Parquet out

Each actor of the pool holds one extractor (backend with its client, cache and rate limiter,
prompt template) built once, and runs the documents of a batch concurrently on its own event
loop, through the very function `extract_many` uses per document (`llmx.batch._process`), so
records, error entries and usage are the same. A document that fails becomes a row with an
`error` and never fails the job. Rate limits hold for the whole pool: each of the `concurrency`
actors gets an equal share of `rpm` / `tpm`.

Output rows: `id`, `content_hash`, `run_key` (`llmx.batch.resume.run_key`), the record's fields as typed columns (amounts and tickers as
lists of structs with spans; free-form dicts such as `meta` as JSON text), `record` (the whole
record as JSON, exactly the line `extract_many` writes) and `error` (the error entry as JSON,
null for a record).
"""

from __future__ import annotations

import asyncio
import json
import os
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from typing_extensions import Unpack

from llmx.options import ExtractOptions, ExtractSettings

if typing.TYPE_CHECKING:  # ray and pyarrow are the `llmx[ray]` extra
    import pyarrow as pa
    import ray.data

OutputFormat = Literal["parquet", "jsonl"]
DEFAULT_IN_FLIGHT = 16  # documents in flight per actor: one actor keeps ~16 HTTP requests busy
_FIXED_COLUMNS = ("id", "content_hash", "run_key", "record", "error")


def _require_ray() -> Any:
    try:
        import ray.data  # binds `ray`; every caller uses Ray Data
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from llmx.errors import ConfigError

        raise ConfigError("llmx.ray needs Ray Data: pip install 'llmx[ray]'") from exc
    return ray


# ----------------------------------------------------------------------------- arrow types


def arrow_type(annotation: Any) -> "pa.DataType":
    """The Arrow type of a pydantic field annotation (models -> structs, lists -> lists).

    Anything without a natural column type (dicts, `Any`, unions of several types) is stored
    as JSON text, so every batch has the same schema whatever its records contain.
    """
    import pyarrow as pa

    origin = typing.get_origin(annotation)
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return arrow_type(args[0]) if len(args) == 1 else pa.string()
    if origin is typing.Literal:
        return pa.string()
    if origin in (list, tuple, Sequence, set, frozenset) and args:
        items = {arg for arg in args if arg is not Ellipsis}
        return pa.list_(arrow_type(items.pop()) if len(items) == 1 else pa.string())
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([pa.field(name, arrow_type(field.annotation)) for name, field in annotation.model_fields.items()])
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    return simple.get(annotation, pa.string())


def output_schema(schema: type[BaseModel]) -> "pa.Schema":
    """Columns of `extract_dataset`'s rows for records of `schema`."""
    import pyarrow as pa

    fields = [pa.field("id", pa.string()), pa.field("content_hash", pa.string()), pa.field("run_key", pa.string())]
    fields += [
        pa.field(name, arrow_type(field.annotation))
        for name, field in schema.model_fields.items()
        if name not in _FIXED_COLUMNS
    ]
    fields += [pa.field("record", pa.string()), pa.field("error", pa.string())]
    return pa.schema(fields)


def _to_arrow_value(value: Any, kind: "pa.DataType") -> Any:
    """A JSON value shaped for `kind` (dicts and other free-form values become JSON text)."""
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_struct(kind):
        if not isinstance(value, Mapping):
            return None
        return {field.name: _to_arrow_value(value.get(field.name), field.type) for field in kind}
    if pa.types.is_list(kind):
        return [_to_arrow_value(item, kind.value_type) for item in value] if isinstance(value, list) else None
    if pa.types.is_string(kind):
        return value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _row(
    schema: "pa.Schema", doc_id: str, digest: str | None, entry: dict[str, Any] | None, error: dict[str, Any] | None,
    key: str | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {"id": doc_id, "content_hash": digest, "run_key": key}
    for field in schema:
        if field.name not in _FIXED_COLUMNS:
            row[field.name] = _to_arrow_value(entry.get(field.name), field.type) if entry else None
    row["record"] = json.dumps(entry, ensure_ascii=False) if entry is not None else None
    row["error"] = json.dumps(error, ensure_ascii=False) if error is not None else None
    return row


# ----------------------------------------------------------------------------- the actor


@dataclass(frozen=True)
class _ActorConfig:
    """What every actor needs to build its extractor; pickled once into the pool."""

    backend: dict[str, Any]  # `make_backend` keywords (may hold the API key: never printed)
    options: ExtractOptions  # the extraction settings, without the backend instance and API key
    text_column: str
    id_column: str
    path_column: str | None
    in_flight: int
    rpm: float | None
    tpm: float | None
    done: frozenset[tuple[str, str, str | None]]  # (id, content hash, run key) of reusable records


class _Extractor:
    """A Ray Data actor: one llmx extractor, its own event loop, documents of a batch in parallel."""

    def __init__(self, config: _ActorConfig) -> None:
        from llmx.batch.gc import batch_gc
        from llmx.batch.ratelimit import RateLimiter
        from llmx.batch.run import _bound_extractor
        from llmx.extraction import api as pipeline

        self._config = config
        self._schema = output_schema(config.options.schema)
        self._loop = asyncio.new_event_loop()
        self._limiter = RateLimiter(rpm=config.rpm, tpm=config.tpm)
        self._backend = pipeline.make_backend(**config.backend)
        options = config.options.replace(backend=self._backend)
        self._extract, _, self._key = _bound_extractor(options)
        self._secrets = [config.backend.get("api_key"), os.environ.get("OPENAI_API_KEY")]
        self._gc = batch_gc()
        self._gc.__enter__()  # the actor lives for the whole job: collect as a batch run does

    def __call__(self, batch: "pa.Table") -> "pa.Table":
        import pyarrow as pa

        rows = self._loop.run_until_complete(self._extract_rows(batch.to_pylist()))
        return pa.Table.from_pylist(rows, schema=self._schema)

    async def _extract_rows(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from llmx.batch.documents import Doc
        from llmx.batch.run import _process

        config = self._config
        gate = asyncio.Semaphore(config.in_flight)

        async def one(item: dict[str, Any]) -> dict[str, Any] | None:
            doc_id = str(item[config.id_column])
            path = item.get(config.path_column) if config.path_column else None
            doc = Doc(id=doc_id, path=Path(path)) if path else Doc(id=doc_id, text=item.get(config.text_column))
            async with gate:
                kind, entry, _ = await _process(doc, self._extract, self._limiter, config.done, self._secrets, self._key)
            if kind == "skip":
                return None
            if kind == "record":
                record_entry = entry[0]
                return _row(self._schema, doc_id, record_entry["meta"]["content_hash"], record_entry, None, self._key)
            return _row(self._schema, doc_id, entry.get("content_hash"), None, entry, self._key)

        rows = await asyncio.gather(*(one(item) for item in items))
        return [row for row in rows if row is not None]

    def __del__(self) -> None:  # the actor is going away with its process; release what it opened
        backend = getattr(self, "_backend", None)
        if backend is not None and hasattr(backend, "close"):
            try:
                backend.close()
            except Exception:  # noqa: BLE001 - nothing to report to at interpreter teardown
                pass


# ----------------------------------------------------------------------------- public API


def extract_dataset(
    ds: "ray.data.Dataset",
    *,
    text_column: str = "text",
    id_column: str = "id",
    path_column: str | None = None,
    concurrency: int = 2,
    in_flight: int = DEFAULT_IN_FLIGHT,
    batch_size: int | None = None,
    num_cpus: float = 1.0,
    rpm: float | None = None,
    tpm: float | None = None,
    skip: Iterable[tuple[str, str, str | None]] = (),
    options: ExtractOptions | None = None,
    **settings: Unpack[ExtractSettings],
) -> "ray.data.Dataset":
    """Map `ds` (rows with `id_column` and `text_column`, or `path_column` naming files) to records.

    `concurrency` actors each run `in_flight` documents at once; `rpm` / `tpm` are budgets for the
    whole pool, split evenly between the actors. `skip` is a set of (id, content hash, run key) triples whose
    documents produce no row (resume). The extraction settings are `llmx.extract`'s: `options=`
    (an `ExtractOptions`) and/or its fields as keywords (schema, backend, mode, model, ...).
    Returns a lazy dataset of rows as described in the module docstring.
    """
    ray = _require_ray()
    if concurrency < 1 or in_flight < 1:
        raise ValueError("concurrency and in_flight must be at least 1")
    resolved = ExtractOptions.build(options, **settings)
    resolved.check()
    backend = _backend_settings(resolved)
    config = _ActorConfig(
        backend=backend,
        options=resolved.replace(backend=None, api_key=None),  # the actor builds its backend from `backend`
        text_column=text_column,
        id_column=id_column,
        path_column=path_column,
        in_flight=in_flight,
        rpm=rpm / concurrency if rpm else None,
        tpm=tpm / concurrency if tpm else None,
        done=frozenset(skip),
    )
    return ds.map_batches(
        _Extractor,
        fn_constructor_args=(config,),
        batch_size=batch_size or 4 * in_flight,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=concurrency),  # a fixed pool; `concurrency=` is deprecated in Ray 2.60
        num_cpus=num_cpus,
    )


def _backend_settings(options: ExtractOptions) -> dict[str, Any]:
    """`make_backend` keywords for the actors: each actor builds its own backend (clients and
    caches do not travel between processes)."""
    from llmx.extraction import api as pipeline

    backend = options.backend
    args = {key: getattr(options, key) for key in ("model", "base_url", "api_key", "llm_mode", "timeout")}
    if backend is None or isinstance(backend, str):
        return {"name": pipeline.resolve_backend_name(backend, args["base_url"]), **args, "cache": options.cache}
    rebuilt = backend.worker_settings() if hasattr(backend, "worker_settings") else None
    if rebuilt is not None:
        return rebuilt
    raise TypeError(f"the {type(backend).__name__} instance cannot be rebuilt in Ray actors; pass backend settings")


def done_keys(out: str | Path) -> set[tuple[str, str, str | None]]:
    """(id, content hash, run key) of the newest record (not error) of each id in an output folder."""
    records, _ = read_output(out, columns=["id", "content_hash", "run_key", "error"])
    return {(row["id"], row["content_hash"], row.get("run_key")) for row in records}


def read_output(out: str | Path, columns: list[str] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(records, errors) of an output folder: one record per id, and the latest error of each id
    that has no current record (see `_current_rows`). Files a killed run left unreadable are moved
    to `OUT/.incomplete/`. Rows hold `columns` plus id, content_hash, run_key and error."""
    import pyarrow.parquet as pq

    root = Path(out)
    if not root.is_dir():
        return [], []
    if columns:  # the columns that decide which rows are current are always read
        columns = [*columns, *(name for name in ("id", "content_hash", "run_key", "error") if name not in columns)]
    rows: list[dict[str, Any]] = []
    for path in sorted(_part_files(root), key=lambda part: (part.stat().st_mtime_ns, part.name)):  # later runs' parts last
        try:
            if path.suffix == ".parquet":
                names = pq.read_schema(path).names  # parts written before a column existed lack it
                wanted = [name for name in columns if name in names] if columns else None
                rows.extend(pq.read_table(path, columns=wanted).to_pylist())
            elif path.suffix in (".json", ".jsonl"):
                with path.open(encoding="utf-8") as handle:
                    part = [json.loads(line) for line in handle if line.strip()]
                rows.extend({key: row.get(key) for key in columns} if columns else row for row in part)
        except (OSError, ValueError) as exc:  # a part a killed run did not finish writing
            if isinstance(exc, FileNotFoundError):
                continue
            (root / ".incomplete").mkdir(exist_ok=True)
            path.rename(root / ".incomplete" / path.name)
    return _current_rows(rows)


def _part_files(root: Path) -> set[Path]:
    """The part files of an output folder (hidden entries, such as `.incomplete/`, are not parts)."""
    if not root.is_dir():
        return set()
    return {path for path in root.iterdir() if not path.name.startswith(".") and path.is_file()}


def _row_count(path: Path) -> int:
    """Rows in one part file, from the Parquet footer or the JSON lines (records are not parsed)."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


def _current_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(records, errors) from rows oldest first: what the folder holds for its current inputs.

    The newest record of an id wins. An id whose newest row is an error made for another text or
    configuration than its record (content hash or run key differ) loses that record: it was made
    from an input that is no longer the input, as `llmx extract`'s compaction drops it. The error
    row then names it under `removed_record`. A rerun reaching that document again replaces both.
    """
    records: dict[str, dict[str, Any]] = {}
    errors: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get("error") is None:
            records[row["id"]] = row  # the newest record of an id (a changed text or configuration)
            errors.pop(row["id"], None)
        else:
            errors[row["id"]] = row
    for doc_id, error in errors.items():
        record = records.get(doc_id)
        if record is None:
            continue
        made_for = (record.get("content_hash"), record.get("run_key"))
        if made_for != (error.get("content_hash"), error.get("run_key")):
            del records[doc_id]
            errors[doc_id] = {**error, "removed_record": {"content_hash": made_for[0], "run_key": made_for[1]}}
    return list(records.values()), [row for doc_id, row in errors.items() if doc_id not in records]


def input_dataset(inputs: Sequence[str | Path], *, text_field: str = "text", id_field: str = "id") -> tuple["ray.data.Dataset", str | None]:
    """A dataset of documents from files, directories, globs, `.jsonl` or `.parquet` files.

    Text files keep `extract_many`'s ids (their stems) and are read by the actors; JSONL and
    Parquet rows bring their own `id_field` and `text_field`. Returns (dataset, path column).
    """
    ray = _require_ray()
    from llmx.batch.documents import collect_docs, expand_paths

    paths = expand_paths(inputs)
    tables = [p for p in paths if p.suffix in (".jsonl", ".parquet")]
    if tables and len(tables) != len(paths):
        raise ValueError("mix of text files and JSONL/Parquet inputs: pass one kind at a time")
    if not tables:
        docs, _ = collect_docs(paths)
        return ray.data.from_items([{"id": doc.id, "path": str(doc.path)} for doc in docs]), "path"
    readers = {".jsonl": ray.data.read_json, ".parquet": ray.data.read_parquet}
    parts = [readers[p.suffix](str(p)) for p in tables]
    ds = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    if (text_field, id_field) != ("text", "id"):
        ds = ds.rename_columns({text_field: "text", id_field: "id"})
    return ds, None


def extract_to(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    output_format: OutputFormat = "parquet",
    text_field: str = "text",
    id_field: str = "id",
    blocks: int | None = None,
    options: ExtractOptions | None = None,
    **settings: Any,
) -> dict[str, int]:
    """Extract files into an output folder, resumably: a rerun skips every (id, content hash, run key)
    that already has a record there (see `llmx.batch.resume.run_key`) and retries the documents that failed.

    `options` and the other keywords are `extract_dataset`'s. Returns counts: documents, skipped, records, errors, and
    removed (errors whose document's old record no longer matched its text or settings, see `read_output`).
    """
    ds, path_column = input_dataset(inputs, text_field=text_field, id_field=id_field)
    total = ds.count()
    done = done_keys(out)
    earlier_parts = _part_files(Path(out))
    # Several blocks, so records land in several files as they finish: a killed run keeps them.
    ds = ds.repartition(blocks or max(1, min(1000, total // 50)))
    result = extract_dataset(ds, path_column=path_column, skip=done, options=options, **settings)
    Path(out).mkdir(parents=True, exist_ok=True)
    if output_format == "parquet":
        result.write_parquet(str(out))
    elif output_format == "jsonl":
        result.write_json(str(out))
    else:
        raise ValueError(f"unknown output format {output_format!r}; use 'parquet' or 'jsonl'")
    # A document whose (id, content hash, run key) has a record produces no row: whatever this
    # run wrote is what it extracted, and the rest was reused.
    written = sum(_row_count(path) for path in _part_files(Path(out)) - earlier_parts)
    records, errors = read_output(out, columns=["id", "content_hash", "error"])
    removed = sum(1 for row in errors if "removed_record" in row)
    return {"documents": total, "skipped": total - written, "records": len(records), "errors": len(errors), "removed": removed}


def init_local(num_cpus: int | None = None, address: str | None = None) -> None:
    """Connect to Ray at `address`, or start a local instance bound to loopback with usage stats off."""
    ray = _require_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():
        return
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=num_cpus, _node_ip_address="127.0.0.1", include_dashboard=False, log_to_driver=False)
