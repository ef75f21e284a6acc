"""Print each distinct amount of the sampled documents in its context, for judging by hand.

Usage: python scripts/kinds_unseen2/contexts.py SAMPLE.tsv tune|check   (SAMPLE.tsv from sample.py)

Only the recognizers run (one amount per distinct (value, currency), first occurrence, as the
record has them), never the role rules, so the judge does not see the rules' labels. The output
holds corpus text: read it in the terminal, never commit it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from llmx.recognize import recognize

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout, or beside the folder holding it (a git worktree under wt/)
DOCS = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "corpus").is_dir()), ROOT.parent / "shared") / "corpus" / "press_releases" / "docs"


def main() -> None:
    sample, which = sys.argv[1], sys.argv[2]
    for line in open(sample):
        chosen, doc_id, topic, _ = line.rstrip("\n").split("\t")
        if chosen != which:
            continue
        text = (DOCS / f"{doc_id}.txt").read_text()
        print(f"=== {doc_id} [{topic}] {text.strip().splitlines()[0][:160]}")
        seen: dict[tuple[float, str], int] = {}
        money = sorted(recognize(text).money, key=lambda m: m.span)
        for m in money:
            key = (float(f"{m.value:.6g}"), m.currency.upper())
            seen[key] = seen.get(key, 0) + 1
        done = set()
        for m in money:
            key = (float(f"{m.value:.6g}"), m.currency.upper())
            if key in done:
                continue
            done.add(key)
            start, end = m.span
            before = " ".join(text[max(0, start - 220) : start].split())
            after = " ".join(text[end : end + 130].split())
            print(f"-- {m.text!r} {list(m.span)} x{seen[key]}: ...{before} [[{text[start:end]}]] {after}...")


if __name__ == "__main__":
    main()
