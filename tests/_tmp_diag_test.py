from collections import Counter
import time
import test_batch_faults as tbf
from batch_support import RemoteLoopback, schema_responder
from llmx.llm import client as cl
from llmx.testing import Faults

def test_diag(tmp_path, api_key, monkeypatch):
    seen = Counter()
    orig = cl._Tally.on_retry
    def on_retry(self, state):
        seen[type(state.outcome.exception()).__name__] += 1
        return orig(self, state)
    monkeypatch.setattr(cl._Tally, "on_retry", on_retry)
    orig_te = cl.OpenAIBackend._transport_error
    def te(self, exc, sent, tally):
        seen["final:" + type(exc).__name__ + ":" + str(getattr(exc, "status_code", ""))] += 1
        return orig_te(self, exc, sent, tally)
    monkeypatch.setattr(cl.OpenAIBackend, "_transport_error", te)
    with RemoteLoopback(schema_responder, faults=Faults(rate=0.2, seed=7, kinds=tbf.ALL_FAULTS)) as server:
        report, records, errors, stats = tbf.run(server, tmp_path, api_key)
        time.sleep(3)
        stats2 = server.stats()
    print("\nreport.calls", report.calls, "server", stats["count"], "after 3s", stats2["count"])
    print("client exceptions", dict(seen))
    print("server faults", stats2["faults"])
