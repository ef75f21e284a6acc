"""The SQLite response cache, alone and behind OpenAIBackend over real HTTP."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import BaseModel

from support import Deal

from llmx.backends.cache import CACHE_FILENAME, ResponseCache, cache_key, default_cache_dir, public_url, resolve_cache
from llmx.testing import structured_reply


class Other(BaseModel):
    amount: float
    currency: str = "USD"


MESSAGES = [{"role": "user", "content": "Acme pays 25 million."}]


def key(**overrides) -> str:
    recipe = dict(endpoint="http://localhost:8000/v1", model="m", messages=MESSAGES, response_model=Deal, mode="tools",
                  params={"temperature": 0.0})
    recipe.update(overrides)
    return cache_key(**recipe)


# -- keys ------------------------------------------------------------------------------------


def test_key_is_stable_and_depends_on_everything_that_shapes_the_reply():
    assert key() == key()
    assert len(key()) == 64 and int(key(), 16) >= 0
    variants = [
        key(model="m2"),
        key(messages=[{"role": "user", "content": "Acme pays 26 million."}]),
        key(response_model=Other),
        key(mode="json_schema"),
        key(params={"temperature": 0.7}),
        key(params={"temperature": 0.0, "max_tokens": 10}),
        key(endpoint="http://otherhost:8000/v1"),
    ]
    assert len({key(), *variants}) == len(variants) + 1


def test_key_ignores_credentials_in_the_endpoint():
    assert key(endpoint="http://user:secret@localhost:8000/v1?api-key=abc") == key(endpoint="http://localhost:8000/v1/")
    assert public_url("https://user:pw@host.example:8443/v1/?key=s3cret") == "https://host.example:8443/v1"


# -- storage ---------------------------------------------------------------------------------


def test_put_get_delete_clear(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    assert cache.get("k") is None and len(cache) == 0
    cache.put("k", value='{"amount": 1.0}', raw='{"amount": 1}', model="m", schema_name="Deal")
    hit = cache.get("k")
    assert (hit.value, hit.raw) == ('{"amount": 1.0}', '{"amount": 1}')
    cache.put("k", value='{"amount": 2.0}', raw=None, model="m", schema_name="Deal")  # replaces
    assert cache.get("k").value == '{"amount": 2.0}' and len(cache) == 1
    cache.delete("k")
    assert cache.get("k") is None
    cache.put("a", value="{}", raw=None, model="m", schema_name="Deal")
    cache.clear()
    assert len(cache) == 0
    cache.close()


def test_entries_survive_reopening_and_use_wal(tmp_path):
    path = tmp_path / "nested" / "dir" / "c.sqlite3"
    first = ResponseCache(path)
    first.put("k", value="{}", raw="r", model="m", schema_name="Deal")
    first.close()
    second = ResponseCache(path)
    assert second.get("k").raw == "r"
    mode = second._connection().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    second.close()


def test_concurrent_threads_share_one_cache(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")

    def work(worker: int) -> int:
        for i in range(50):
            cache.put(f"{worker}-{i}", value=str(i), raw=None, model="m", schema_name="Deal")
            assert cache.get(f"{worker}-{i}").value == str(i)
        return worker

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(work, range(8))) == list(range(8))
    assert len(cache) == 400


def test_separate_connections_share_the_file(tmp_path):
    path = tmp_path / "c.sqlite3"
    writer, reader = ResponseCache(path), ResponseCache(path)  # as two processes would
    writer.put("k", value="{}", raw=None, model="m", schema_name="Deal")
    assert reader.get("k") is not None
    writer.close()
    reader.close()


def test_default_location_and_accepted_forms(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMX_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"
    assert resolve_cache(True).path == tmp_path / "here" / CACHE_FILENAME
    assert resolve_cache(None) is None and resolve_cache(False) is None
    assert resolve_cache(tmp_path).path == tmp_path / CACHE_FILENAME  # an existing directory
    assert resolve_cache(str(tmp_path / "x.db")).path == tmp_path / "x.db"
    explicit = ResponseCache(tmp_path / "y.db")
    assert resolve_cache(explicit) is explicit
    with pytest.raises(TypeError, match="cache must be"):
        resolve_cache(42)  # type: ignore[arg-type]
    monkeypatch.delenv("LLMX_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() in (tmp_path / "xdg" / "llmx", Path.home() / "Library" / "Caches" / "llmx",
                                   Path.home() / "AppData" / "Local" / "llmx")


# -- behind the backend ----------------------------------------------------------------------


def test_cache_hit_costs_zero_calls(loopback, make_backend, tmp_path):
    server = loopback(lambda body: structured_reply({"amount": 25}))
    backend = make_backend(server, cache=tmp_path / "c.sqlite3")
    first = backend.complete(MESSAGES, Deal)
    second = backend.complete(MESSAGES, Deal)
    assert first.usage.calls == 1 and first.usage.cached is False
    assert second.value == first.value == Deal(amount=25)
    assert type(second.value) is Deal
    assert second.raw == first.raw
    assert (second.usage.calls, second.usage.prompt_tokens, second.usage.cached) == (0, 0, True)
    assert server.count == 1


def test_cache_is_shared_across_backends_with_different_keys_and_never_stores_them(loopback, make_backend, tmp_path, api_key):
    server = loopback(lambda body: structured_reply({"amount": 25}))
    path = tmp_path / "c.sqlite3"
    make_backend(server, cache=path, api_key=api_key).complete(MESSAGES, Deal)
    again = make_backend(server, cache=path, api_key="sk-another-key-5678").complete(MESSAGES, Deal)
    assert again.usage.cached and server.count == 1
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("c.sqlite3"))
    assert b"amount" in stored  # the reply is really in there (file or WAL)
    assert api_key.encode() not in stored and b"sk-another-key-5678" not in stored


def test_hit_is_revalidated_with_the_current_context(loopback, make_backend, tmp_path):
    replies = iter([{"amount": 30}, {"amount": 25}])
    server = loopback(lambda body: structured_reply(next(replies)))
    backend = make_backend(server, cache=tmp_path / "c.sqlite3")
    assert backend.complete(MESSAGES, Deal).value.amount == 30  # no context: accepted and cached
    checked = backend.complete(MESSAGES, Deal, validation_context={"source": "Acme pays 25 million."})
    assert checked.value.amount == 25  # the stale 30 failed validation, so the model was asked
    assert not checked.usage.cached and server.count == 2


def test_cache_disabled_by_default(loopback, make_backend):
    server = loopback(lambda body: structured_reply({"amount": 25}))
    backend = make_backend(server)
    assert backend.cache is None
    backend.complete(MESSAGES, Deal)
    backend.complete(MESSAGES, Deal)
    assert server.count == 2


def test_async_calls_use_the_cache(loopback, make_backend, tmp_path):
    server = loopback(lambda body: structured_reply({"amount": 25}))
    backend = make_backend(server, cache=tmp_path / "c.sqlite3")

    async def run():
        first = await backend.acomplete(MESSAGES, Deal)
        rest = await asyncio.gather(*(backend.acomplete(MESSAGES, Deal) for _ in range(5)))
        return first, rest

    first, rest = asyncio.run(run())
    assert not first.usage.cached
    assert all(r.usage.cached and r.value == first.value for r in rest)
    assert server.count == 1
