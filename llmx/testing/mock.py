"""`llmx serve-mock`: an OpenAI-compatible server on 127.0.0.1 that answers without any model.

For trying the openai path offline and for testing pipelines built on llmx: every chat request
gets a minimal valid instance of the schema it asked for (first enum member, null where allowed),
or the canned replies of a file, after an optional latency and with optional injected faults
(rate limits, 5xx, resets, truncated bodies...). It is `llmx.testing.LoopbackServer` as a command.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


from llmx.testing import Faults, LoopbackServer, Responder, Scripted, schema_responder, structured_reply, text_reply

__all__ = ["replies_from_file", "serve"]


def replies_from_file(path: Path) -> Responder:
    """Canned replies: a .json object (every request gets it) or a .jsonl (one per request, in
    order, the last repeated); objects are sent as structured replies, strings as plain text."""
    try:
        lines = path.read_text(encoding="utf-8")
        items = [json.loads(line) for line in lines.splitlines() if line.strip()] if path.suffix == ".jsonl" else [json.loads(lines)]
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read canned replies ({exc})") from exc
    if not items:
        raise ValueError(f"{path}: no replies")
    replies = [text_reply(item) if isinstance(item, str) else structured_reply(item) for item in items]
    return Scripted(replies, repeat_last=True)


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve(
    *,
    port: int = 8000,
    latency: float = 0.0,
    replies: Path | None = None,
    fault_rate: float = 0.0,
    fault_kinds: Sequence[str] = (),
    seed: int = 0,
    duration: float | None = None,
    announce: Any = print,
) -> dict[str, Any]:
    """Serve on 127.0.0.1:`port` until Ctrl-C (or `duration` seconds); returns request counts."""
    responder = replies_from_file(replies) if replies is not None else schema_responder
    faults = None
    if fault_rate > 0:
        from llmx.testing import TRANSIENT_FAULTS

        faults = Faults(rate=fault_rate, seed=seed, kinds=tuple(fault_kinds) or TRANSIENT_FAULTS)  # type: ignore[arg-type]
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_sigterm)  # `kill` stops it like Ctrl-C: counts are printed
    with LoopbackServer(responder, latency=latency, faults=faults, port=port) as server:
        announce(f"llmx mock server on {server.base_url} (latency {latency * 1000:.0f} ms, faults {fault_rate:.0%}); Ctrl-C stops it")
        deadline = None if duration is None else time.monotonic() + duration
        try:
            while deadline is None or time.monotonic() < deadline:
                time.sleep(0.1)
        except KeyboardInterrupt:
            pass
        return {"requests": server.count, "faults": server.faults_injected}
