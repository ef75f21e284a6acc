"""The loopback server: an OpenAI-compatible HTTP server on 127.0.0.1 (chat, files, batches) for tests and benchmarks."""

from __future__ import annotations

import itertools
import json
import math
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from llmx.testing.faults import Fault, FaultKind, Faults
from llmx.testing.replies import ChatReply, Reply, Responder, structured_reply, text_reply


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received, with what it answered."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: Any  # parsed JSON for JSON requests, else None
    status: int | None  # None when the connection was reset or the reply never finished
    fault: FaultKind | None
    prompt_tokens: int = 0  # usage the server reported (0 when it reported none)
    completion_tokens: int = 0


class ResponderError(AssertionError):
    """The responder raised; the server answered 400 and re-raises this when the `with` block ends."""


@dataclass
class _File:
    id: str
    filename: str
    purpose: str
    content: bytes
    created_at: int


@dataclass
class _Batch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    created_at: int
    status: str = "validating"
    polls: int = 0
    timestamps: dict[str, int] = field(default_factory=dict)
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"total": 0, "completed": 0, "failed": 0})
    errors: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "created_at": self.created_at,
            "expires_at": self.created_at + 86400,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "request_counts": dict(self.counts),
            "metadata": self.metadata,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            **{f"{name}_at": stamp for name, stamp in self.timestamps.items()},
        }


class LoopbackServer:
    """A threaded OpenAI-compatible HTTP server on 127.0.0.1; use as a context manager.

    `latency` is added to every chat completion (server-side, per request, concurrently).
    `batch_polls` is how many `GET /v1/batches/{id}` polls each batch status lasts
    (validating -> in_progress -> completed), so batch progress is deterministic.
    """

    def __init__(
        self,
        responder: Responder,
        *,
        latency: float = 0.0,
        faults: Faults | None = None,
        batch_polls: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if latency < 0:
            raise ValueError("latency must be >= 0")
        self.responder = responder
        self.latency = latency
        self.faults = faults
        self.batch_polls = max(1, batch_polls)
        self._host = host
        self._port = port  # 0: any free port
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._requests: list[RecordedRequest] = []
        self._http_log: list[RecordedRequest] = []
        self._injected: Counter[str] = Counter()
        self._errors: list[BaseException] = []
        self._ids = itertools.count(1)
        self._files: dict[str, _File] = {}
        self._batches: dict[str, _Batch] = {}
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> "LoopbackServer":
        if self._httpd is not None:
            raise RuntimeError("LoopbackServer already started")
        self._stopping.clear()
        self._httpd = _HTTPServer((self._host, self._port), _Handler, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="llmx-loopback", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections (idempotent)."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join()
        self._httpd = None

    def __enter__(self) -> "LoopbackServer":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if exc is None and self._errors:
            raise ResponderError(f"the loopback responder raised: {self._errors[0]!r}") from self._errors[0]

    # -- inspection --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. http://127.0.0.1:53211/v1."""
        if self._httpd is None:
            raise RuntimeError("LoopbackServer is not running; use it as a context manager or call start()")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Chat-completion requests received so far (a snapshot), in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def http_log(self) -> list[RecordedRequest]:
        """Every request received on any endpoint (a snapshot)."""
        with self._lock:
            return list(self._http_log)

    @property
    def count(self) -> int:
        """How many chat-completion requests arrived (faulted ones included)."""
        with self._lock:
            return len(self._requests)

    @property
    def faults_injected(self) -> dict[str, int]:
        """How many faults of each kind were injected, scripted and random alike."""
        with self._lock:
            return dict(self._injected)

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised by the responder (each answered with a 400)."""
        with self._lock:
            return list(self._errors)

    def file_content(self, file_id: str) -> bytes:
        """The bytes of an uploaded or generated file."""
        with self._lock:
            return self._files[file_id].content

    # -- request handling (called on server threads) -----------------------------------------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-loopback-{next(self._ids)}"

    def _record(self, request: RecordedRequest, *, chat: bool) -> None:
        with self._lock:
            self._http_log.append(request)
            if chat:
                self._requests.append(request)
            if request.fault is not None:
                self._injected[request.fault] += 1

    def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up when the server stops so threads never outlive it by much."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def _chat(self, handler: "_Handler", body: Any) -> None:
        fault = self.faults.draw("chat") if self.faults else None
        reply: Reply | None = fault
        if reply is None:
            try:
                reply = self.responder(body)
            except Exception as exc:  # a bug in the test's responder: surface it, don't retry it
                with self._lock:
                    self._errors.append(exc)
                reply = Fault("http_error", status=400, message=f"loopback responder raised {exc!r}")
        self._sleep(self.latency)
        if isinstance(reply, Fault):
            self._send_fault(handler, reply, body, chat=True)
            return
        completion = self._completion(reply, body)
        usage = completion.get("usage") or {}
        # Record before replying, so a client that has its reply always finds it recorded.
        self._record(
            handler.recorded(body, 200, None, usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)),
            chat=True,
        )
        handler.send_json(200, completion)

    def _send_fault(self, handler: "_Handler", fault: Fault, body: Any, *, chat: bool) -> None:
        """Record `fault`, then act it out on the connection."""
        kind = fault.kind
        headers: dict[str, str] = {}
        if kind == "rate_limit" and fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        if kind == "rate_limit" and fault.retry_after_ms is not None:
            headers["retry-after-ms"] = f"{fault.retry_after_ms:g}"
        errors = {
            "rate_limit": (429, "Rate limit reached (injected)", "rate_limit_exceeded"),
            "rate_limit_no_retry_after": (429, "Rate limit reached (injected)", "rate_limit_exceeded"),
            "server_error": (500, "The server had an error (injected)", "server_error"),
            "unavailable": (503, "The server is overloaded (injected)", "server_error"),
            "http_error": (fault.status, fault.message, "invalid_request_error"),
        }
        if kind in errors:
            status, message, error_type = errors[kind]
            self._record(handler.recorded(body, status, kind), chat=chat)
            handler.send_error_json(status, message, error_type, headers)
        elif kind in ("reset", "slow"):
            self._record(handler.recorded(body, None, kind), chat=chat)
            handler.close_connection = True
            if kind == "slow":
                self._sleep(fault.delay)  # the client gives up meanwhile; nothing useful to send
            else:
                handler.reset()
        elif kind == "truncated":
            completion = self._completion(structured_reply({"truncated": True}), body if chat else {})
            raw = json.dumps(completion).encode()
            self._record(handler.recorded(body, 200, kind), chat=chat)
            handler.send_bytes(200, raw[: len(raw) // 2], "application/json")
        elif kind in ("schema_invalid", "empty_choices"):
            completion = self._completion(structured_reply('"not an object"'), body)
            if kind == "empty_choices":
                completion["choices"] = []
            usage = completion["usage"]
            self._record(
                handler.recorded(body, 200, kind, usage["prompt_tokens"], usage["completion_tokens"]), chat=chat
            )
            handler.send_json(200, completion)
        else:  # pragma: no cover - the Literal exhausts the kinds
            raise ValueError(f"unknown fault kind {kind!r}")

    def _completion(self, reply: Reply, body: Mapping[str, Any]) -> dict[str, Any]:
        """Render a reply as an OpenAI chat completion for request `body`."""
        if isinstance(reply, dict):
            return reply
        if isinstance(reply, str):
            reply = text_reply(reply)
        if not isinstance(reply, ChatReply):
            raise TypeError(f"a responder must return ChatReply, Fault, str or dict, not {type(reply).__name__}")
        as_tool = reply.shape == "tool_call" or (reply.shape == "auto" and bool(body.get("tools")))
        message: dict[str, Any] = {"role": "assistant", "content": None if as_tool else reply.payload}
        if as_tool:
            message["tool_calls"] = [
                {
                    "id": self._new_id("call"),
                    "type": "function",
                    "function": {"name": reply.tool_name or _requested_tool(body), "arguments": reply.payload or ""},
                }
            ]
        prompt_tokens = reply.prompt_tokens
        if prompt_tokens is None:
            prompt_tokens = _estimate_tokens(json.dumps(body.get("messages", [])))
        completion_tokens = reply.completion_tokens
        if completion_tokens is None:
            completion_tokens = _estimate_tokens(reply.payload or "")
        return {
            "id": self._new_id("chatcmpl"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "loopback"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": reply.finish_reason or ("tool_calls" if as_tool else "stop"),
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }

    def _other_fault(self, handler: "_Handler", endpoint: str, body: Any) -> bool:
        """Inject a random fault on a files/batches endpoint; True if one was sent."""
        fault = self.faults.draw(endpoint) if self.faults else None
        if fault is None:
            return False
        self._send_fault(handler, fault, body, chat=False)
        return True

    # files ---------------------------------------------------------------------------------

    def _upload_file(self, handler: "_Handler", raw: bytes) -> None:
        if self._other_fault(handler, "files", None):
            return
        fields = _parse_multipart(handler.headers.get("Content-Type", ""), raw)
        upload = fields.get("file")
        purpose = fields.get("purpose")
        if upload is None or purpose is None:
            self._record(handler.recorded(None, 400, None), chat=False)
            handler.send_error_json(400, "multipart upload needs 'file' and 'purpose' fields", "invalid_request_error")
            return
        filename, content = upload
        file = _File(self._new_id("file"), filename or "upload.jsonl", purpose[1].decode(), content, int(time.time()))
        with self._lock:
            self._files[file.id] = file
        self._record(handler.recorded(None, 200, None), chat=False)
        handler.send_json(200, _file_json(file))

    def _get_file(self, handler: "_Handler", file_id: str, *, content: bool) -> None:
        if self._other_fault(handler, "files", None):
            return
        with self._lock:
            file = self._files.get(file_id)
        self._record(handler.recorded(None, 404 if file is None else 200, None), chat=False)
        if file is None:
            handler.send_error_json(404, f"No such File object: {file_id}", "invalid_request_error")
        elif content:
            handler.send_bytes(200, file.content, "application/octet-stream")
        else:
            handler.send_json(200, _file_json(file))

    # batches -------------------------------------------------------------------------------

    def _create_batch(self, handler: "_Handler", body: Any) -> None:
        if self._other_fault(handler, "batches", body):
            return
        input_file_id = (body or {}).get("input_file_id")
        with self._lock:
            known = input_file_id in self._files
        if not known:
            self._record(handler.recorded(body, 400, None), chat=False)
            handler.send_error_json(400, f"input_file_id {input_file_id!r} was not uploaded", "invalid_request_error")
            return
        batch = _Batch(
            id=self._new_id("batch"),
            input_file_id=input_file_id,
            endpoint=body.get("endpoint", "/v1/chat/completions"),
            completion_window=body.get("completion_window", "24h"),
            metadata=body.get("metadata"),
            created_at=int(time.time()),
        )
        with self._lock:
            self._batches[batch.id] = batch
            snapshot = batch.to_json()
        self._record(handler.recorded(body, 200, None), chat=False)
        handler.send_json(200, snapshot)

    def _get_batch(self, handler: "_Handler", batch_id: str, *, cancel: bool) -> None:
        if self._other_fault(handler, "batches", None):
            return
        with self._lock:
            batch = self._batches.get(batch_id)
        if batch is None:
            self._record(handler.recorded(None, 404, None), chat=False)
            handler.send_error_json(404, f"No such Batch object: {batch_id}", "invalid_request_error")
            return
        finish = False
        with self._lock:  # status transitions happen under the lock; the work happens outside it
            if cancel and batch.status in ("validating", "in_progress"):
                batch.status = "cancelling"
                batch.timestamps["cancelling"] = int(time.time())
            elif not cancel:
                batch.polls += 1
                if batch.polls >= self.batch_polls:
                    batch.polls = 0
                    if batch.status == "validating":
                        batch.status = "in_progress"
                        batch.timestamps["in_progress"] = int(time.time())
                    elif batch.status == "in_progress":
                        batch.status, finish = "finalizing", True
                    elif batch.status == "cancelling":
                        batch.status = "cancelled"
                        batch.timestamps["cancelled"] = int(time.time())
        if finish:
            self._run_batch(batch)
        with self._lock:
            snapshot = batch.to_json()
        self._record(handler.recorded(None, 200, None), chat=False)
        handler.send_json(200, snapshot)

    def _run_batch(self, batch: _Batch) -> None:
        """Answer every line of the input file with the responder and write the output files."""
        with self._lock:
            lines = self._files[batch.input_file_id].content.decode("utf-8").splitlines()
        outputs: list[str] = []
        failures: list[str] = []
        errors: list[dict[str, Any]] = []
        seen: set[str] = set()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                custom_id = item["custom_id"]
                request_body = item["body"]
            except (ValueError, KeyError, TypeError) as exc:
                errors.append({"code": "invalid_json_line", "message": f"line {number}: {exc}", "line": number})
                continue
            if custom_id in seen:
                errors.append({"code": "duplicate_custom_id", "message": f"duplicate custom_id {custom_id!r}", "line": number})
                continue
            seen.add(custom_id)
            outcome = self._batch_line(custom_id, request_body)
            (outputs if outcome["response"]["status_code"] == 200 else failures).append(json.dumps(outcome))
        now = int(time.time())
        with self._lock:
            if errors:
                batch.status, batch.errors = "failed", errors
                batch.timestamps["failed"] = now
                return
            batch.counts = {"total": len(outputs) + len(failures), "completed": len(outputs), "failed": len(failures)}
            for kind, rows in (("output", outputs), ("error", failures)):
                if rows:
                    file = _File(self._new_id("file"), f"{batch.id}_{kind}.jsonl", "batch_output",
                                 ("\n".join(rows) + "\n").encode(), now)
                    self._files[file.id] = file
                    setattr(batch, f"{kind}_file_id", file.id)
            batch.status = "completed"
            batch.timestamps.update(finalizing=now, completed=now)

    def _batch_line(self, custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
        request_id = self._new_id("req")
        try:
            reply = self.responder(body)
        except Exception as exc:
            with self._lock:
                self._errors.append(exc)
            reply = Fault("http_error", status=400, message=f"loopback responder raised {exc!r}")
        if isinstance(reply, Fault):
            status = {"rate_limit": 429, "rate_limit_no_retry_after": 429, "http_error": reply.status}.get(reply.kind, 500)
            with self._lock:
                self._injected[reply.kind] += 1
            response = {"status_code": status, "request_id": request_id,
                        "body": {"error": {"message": f"injected {reply.kind}", "type": "server_error"}}}
        else:
            response = {"status_code": 200, "request_id": request_id, "body": self._completion(reply, body)}
        return {"id": self._new_id("batch_req"), "custom_id": custom_id, "response": response, "error": None}


def _requested_tool(body: Mapping[str, Any]) -> str:
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return choice.get("function", {}).get("name", "tool")
    tools = body.get("tools") or []
    return tools[0].get("function", {}).get("name", "tool") if tools else "tool"


def _estimate_tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


def _file_json(file: _File) -> dict[str, Any]:
    return {
        "id": file.id,
        "object": "file",
        "bytes": len(file.content),
        "created_at": file.created_at,
        "filename": file.filename,
        "purpose": file.purpose,
        "status": "processed",
    }


def _parse_multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Form fields of a multipart/form-data body: name -> (filename, bytes)."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    fields: dict[str, tuple[str | None, bytes]] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[str(name)] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return fields


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default backlog of 5 stalls bursts of concurrent clients
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], app: LoopbackServer):
        self.app = app
        super().__init__(address, handler)


_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"/v1/chat/completions"), "chat"),
    ("POST", re.compile(r"/v1/files"), "upload"),
    ("GET", re.compile(r"/v1/files/(?P<id>[^/]+)/content"), "file_content"),
    ("GET", re.compile(r"/v1/files/(?P<id>[^/]+)"), "file"),
    ("POST", re.compile(r"/v1/batches"), "create_batch"),
    ("GET", re.compile(r"/v1/batches/(?P<id>[^/]+)"), "batch"),
    ("POST", re.compile(r"/v1/batches/(?P<id>[^/]+)/cancel"), "cancel_batch"),
]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API; every reply sets Content-Length
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every keep-alive reply.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.app._lock:
            self.server.app._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.app._lock:
                self.server.app._connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature is fixed
        """Stay quiet: tests and benchmarks read the recorded requests instead."""

    def do_GET(self) -> None:
        self._dispatch("GET", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._dispatch("POST", self.rfile.read(length) if length else b"")

    def _dispatch(self, method: str, raw: bytes) -> None:
        app = self.server.app
        path = self.path.split("?", 1)[0].rstrip("/")
        for route_method, pattern, name in _ROUTES:
            match = pattern.fullmatch(path)
            if route_method == method and match:
                break
        else:
            app._record(self.recorded(None, 404, None), chat=False)
            self.send_error_json(404, f"loopback server has no route {method} {path}", "invalid_request_error")
            return
        body: Any = None
        if raw and "json" in (self.headers.get("Content-Type") or ""):
            try:
                body = json.loads(raw)
            except ValueError:
                app._record(self.recorded(None, 400, None), chat=name == "chat")
                self.send_error_json(400, "request body is not valid JSON", "invalid_request_error")
                return
        try:
            if name == "chat":
                app._chat(self, body or {})
            elif name == "upload":
                app._upload_file(self, raw)
            elif name in ("file", "file_content"):
                app._get_file(self, match["id"], content=name == "file_content")
            elif name == "create_batch":
                app._create_batch(self, body)
            else:
                app._get_batch(self, match["id"], cancel=name == "cancel_batch")
        except OSError:  # the client went away (e.g. after its own timeout)
            self.close_connection = True

    # -- replies -----------------------------------------------------------------------------

    def recorded(self, body: Any, status: int | None, fault: FaultKind | None,
                 prompt_tokens: int = 0, completion_tokens: int = 0) -> RecordedRequest:
        return RecordedRequest(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            status=status,
            fault=fault,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
        )

    def send_bytes(self, status: int, payload: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def send_json(self, status: int, obj: Any, headers: Mapping[str, str] | None = None) -> None:
        self.send_bytes(status, json.dumps(obj).encode(), "application/json", headers)

    def send_error_json(self, status: int, message: str, error_type: str, headers: Mapping[str, str] | None = None) -> None:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        body = {"error": {"message": message, "type": error_type, "param": None, "code": phrase.lower().replace(" ", "_")}}
        self.send_json(status, body, headers)

    def reset(self) -> None:
        """Abort the connection with a TCP RST instead of a reply."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()
