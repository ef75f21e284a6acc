#!/usr/bin/env python3
"""Mutation probes: plant known bugs in a COPY of the tree and check a named test or gate catches each.

Each mutant is (name, file, exact original snippet, replacement, command). The tree is copied
once to a temporary directory (never the worktree itself); for every mutant the snippet is
replaced there, the command runs in the copy (PYTHONPATH = the copy), and the file is restored.
The original snippet must occur exactly once, so a mutant that no longer applies is reported
as "stale" instead of silently passing, and a command that times out leaves its mutant
"undecided": only a failing command catches one. `make test` (so CI) runs every mutant. First every distinct command runs on the clean copy:
a command that fails without any bug proves nothing.

    scripts/mutate.py              # all mutants, table on stdout; exit 1 if one survived
    scripts/mutate.py -k gate      # only mutants whose name contains "gate"
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST = "{python} -m pytest -q -x -p no:cacheprovider"
RULES_GATE = "{python} -m llmx.cli eval evals/press_releases --backend rules"


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    original: str
    replacement: str
    command: str


MUTANTS: tuple[Mutant, ...] = (
    Mutant("recognizer: OCR 'rnillion' no longer a scale word", "llmx/recognize/money.py",
           "(?:m|rn|b|tr)[il1|]{2}", "(?:m|b|tr)[il1|]{2}",
           f"{RULES_GATE} --fail-over hallucination_rate=0"),
    Mutant("recognizer: range lower bound borrows scale the wrong way", "llmx/recognize/money.py",
           'and "," not in m["num1"] and first <= second:', 'and "," not in m["num1"] and first >= second:',
           f"{PYTEST} tests/recognize/test_money.py -k ranges"),
    Mutant("recognizer: prose listing naming the exchange twice", "llmx/recognize/tickers.py",
           "        if canonical_exchange(symbol, False) is not None:\n            continue",
           "        if False:\n            continue",
           f"{PYTEST} tests/recognize/test_tickers.py -k prose"),
    Mutant("validator: scale hints only at x1000", "llmx/validation/checks.py",
           "for exponent in (3, -3, 6, -6, 9, -9, 12, -12):", "for exponent in (3, -3):",
           f"{PYTEST} tests/validation/test_scale_hints.py"),
    Mutant("validator: 'too large' / 'too small' inverted", "llmx/validation/checks.py",
           'direction = "large" if exponent > 0 else "small"', 'direction = "small" if exponent > 0 else "large"',
           f"{PYTEST} tests/validation/test_scale_hints.py"),
    Mutant("validator: ticker missing from the text accepted", "llmx/validation/checks.py",
           "    if not listings:\n        return [_not_in_text(symbol, source, paths)]",
           "    if not listings:\n        return []",
           f"{PYTEST} tests/validation/test_checks.py"),
    Mutant("validator: a suffix listing accepts any exchange", "llmx/validation/readings.py",
           "    return names is not None and _names_market(label_key(exchange), names)",
           "    return True",
           f"{PYTEST} tests/validation/test_readings.py"),
    Mutant("validator: a reading keeps the sign's currency, not the code's", "llmx/validation/readings.py",
           "            head += form.joiner if form.joiner and not head.endswith(form.joiner) else \"\"",
           "            head = \"\" if form.joiner else head",
           f"{PYTEST} tests/validation/test_readings.py"),
    Mutant("money: a list's scale applied to grouped items", "llmx/recognize/money.py",
           'return not amount.scaled and amount.value < 1000 and "," not in text[amount.start : amount.end]', "return not amount.scaled",
           f"{PYTEST} tests/recognize/test_money.py -k list"),
    Mutant("rules: 'upfront' cue lost", "llmx/rules/cues.py",
           '("upfront", r"up[- ]?front|initial payment', '("upfront", r"initial payment',
           f"{RULES_GATE} --baseline evals/baselines/own-rules.json --max-drop 0"),
    Mutant("batch: rerun no longer skips finished documents", "llmx/batch/run.py",
           "        if (doc.id, digest, key) in done:\n            return \"skip\", None, {}",
           "        if (doc.id, digest, key) in done and False:\n            return \"skip\", None, {}",
           f"{PYTEST} tests/batch/test_run.py -k rerun_skips"),
    Mutant("gate: accuracies not compared to the baseline", "llmx/evaluate/gate.py",
           '_QUALITY_KEYS = ("precision", "recall", "f1", "accuracy")', '_QUALITY_KEYS = ("precision", "recall", "f1")',
           f"{PYTEST} tests/evaluate/test_gate_checks.py"),
    Mutant("gate: lower-is-better direction inverted", "llmx/evaluate/gate.py",
           "return now - before if name in LOWER_IS_BETTER else before - now",
           "return before - now if name in LOWER_IS_BETTER else now - before",
           f"{PYTEST} tests/evaluate/test_gate_checks.py"),
    Mutant("gate: document counts get the tolerance", "llmx/evaluate/gate.py",
           "allowed = 0.0 if name in COUNT_KEYS else max_drop", "allowed = max_drop",
           f"{PYTEST} tests/evaluate/test_gate_checks.py"),
    Mutant("gate: boundary off by 0.001", "llmx/evaluate/gate.py",
           "if change > allowed + 1e-12:", "if change > allowed + 0.001:",
           f"{PYTEST} tests/evaluate/test_gate_checks.py"),
    Mutant("gate: metric names checked only after extraction", "llmx/cli/evaluate.py",
           "        gate.check_names([*floors, *ceilings])", "        pass",
           f"{PYTEST} tests/evaluate/test_eval_provenance.py -k typo"),
    Mutant("hallucination check: a scaled number also prints its bare value", "llmx/evaluate/printed.py",
           "values = {value * 10 ** (number.scale or 0) for value in number.readings}",
           "values = {value * 10 ** (number.scale or 0) for value in number.readings} | number.readings",
           f"{PYTEST} tests/evaluate/test_printed_check.py"),
    Mutant("hallucination check: currency ignored", "llmx/evaluate/printed.py",
           'found = money.get(str(currency or "USD").upper(), [])',
           "found = [v for values in money.values() for v in values]",
           f"{PYTEST} tests/evaluate/test_printed_check.py"),
    Mutant("hallucination check: a code before '$' ignored", "llmx/evaluate/printed.py",
           "        if code is not None and code.group(1) in _CODES:", "        if False:",
           f"{PYTEST} tests/evaluate/test_printed_check.py -k code_may_touch"),
    Mutant("hallucination check: any number after a caption is a money cell", "llmx/evaluate/printed.py",
           "        elif number.start in cells and currencies:", "        elif currencies:",
           f"{PYTEST} tests/evaluate/test_printed_check.py -k table_cells"),
    Mutant("hallucination check: not run (rate from nothing)", "llmx/evaluate/scoring.py",
           "        printed=(printed or PrintedChecker()).check(doc.text, predicted),", "        printed=None,",
           f"{PYTEST} tests/evaluate/test_printed_check.py -k recognizer_bug"),
    Mutant("options: negative max_reasks accepted", "llmx/options.py",
           "if self.max_reasks < 0:", "if self.max_reasks < -1:",
           f"{PYTEST} tests/extraction/test_api.py -k bad_settings"),
    Mutant("backend policy: the backend's default labels ignored", "llmx/extraction/api.py",
           "options.labels if options.labels is not None else backend.default_labels",
           'options.labels if options.labels is not None else "model"',
           f"{PYTEST} tests/extraction/test_backend_policy.py"),
    Mutant("backend policy: parties asked of every backend", "llmx/extraction/api.py",
           "parties = job.backend.asks_for_parties", "parties = True",
           f"{PYTEST} tests/extraction/test_backend_policy.py"),
    Mutant("backend policy: the backend's default prompt ignored", "llmx/extraction/api.py",
           "    default = backend.template_for(mode)", "    default = mode if backend.asks_a_model else None",
           f"{PYTEST} tests/extraction/test_backend_policy.py"),
    Mutant("factory: OPENAI_BASE_URL no longer selects openai", "llmx/backends/factory.py",
           'or base_url or os.environ.get("OPENAI_BASE_URL"):', "or base_url:",
           f"{PYTEST} tests/extraction/test_api.py -k environment"),
    Mutant("eval: extraction ignores its ExtractOptions", "llmx/evaluate/run.py",
           "        options=options,\n    )", "        options=None,\n    )",
           f"{PYTEST} tests/evaluate/test_eval_provenance.py -k options"),
    Mutant("eval: --no-cache not handed to the options", "llmx/cli/evaluate.py",
           "cache=not no_cache", "cache=True",
           f"{PYTEST} tests/evaluate/test_eval_provenance.py -k no_cache"),
    Mutant("provenance: labels setting not recorded", "llmx/evaluate/provenance.py",
           '"labels": _setting_name(options.labels) if options else None,', '"labels": None,',
           f"{PYTEST} tests/evaluate/test_eval_provenance.py -k provenance"),
    Mutant("provenance: base URL keeps credentials", "llmx/evaluate/provenance.py",
           'return urlunsplit((parts.scheme, host, parts.path, "", ""))', "return url",
           f"{PYTEST} tests/evaluate/test_eval_provenance.py -k provenance"),
    Mutant("resume: a document tried again that fails keeps its old record", "llmx/batch/resume.py",
           "last = {key: offset for key, offset in last_offsets(file).items() if key not in drop}",
           "last = last_offsets(file)",
           f"{PYTEST} tests/batch/test_resume.py -k tried_again"),
    Mutant("batch API: rerun ignores the run key", "llmx/batch/batch_api.py",
           "key = run_key(extract_options)  # the key extract_many gives the same settings",
           'key = "same for every configuration"',
           f"{PYTEST} tests/batch/test_batch_api.py -k changed_configuration"),
    Mutant("workers: a worker's warnings stay in the worker", "llmx/batch/workers.py",
           "    _log_to_parent(lambda record: reply(_LOG, True, record))\n", "",
           f"{PYTEST} tests/batch/test_run.py -k warnings_are_emitted"),
)

_IGNORED = shutil.ignore_patterns(".git", ".venv", "reports", "__pycache__", ".pytest_cache", "*.pyc", ".mypy_cache")


def run(command: str, cwd: Path, timeout: float) -> tuple[int, float, str]:
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    args = shlex.split(command.format(python=shlex.quote(sys.executable)))
    started = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, time.perf_counter() - started, "timeout"
    tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or [""]
    return done.returncode, time.perf_counter() - started, tail[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="", help="only mutants whose name contains this")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per command")
    parser.add_argument("--skip-clean", action="store_true", help="do not first run each command on the unmutated copy")
    args = parser.parse_args(argv)
    mutants = [m for m in MUTANTS if args.k.lower() in m.name.lower()]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="llmx-mutants-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(ROOT, copy, ignore=_IGNORED)
        shared = ROOT.parent / "shared"
        if shared.is_dir():  # tests and gold dirs find the shared sets at ../shared, as beside the checkout
            (Path(tmp) / "shared").symlink_to(shared.resolve(), target_is_directory=True)
        broken = set()
        if not args.skip_clean:
            for command in dict.fromkeys(m.command for m in mutants):
                code, seconds, tail = run(command, copy, args.timeout)
                if code != 0:
                    broken.add(command)
                    print(f"clean run FAILS (exit {code}, {seconds:.0f} s): {command}\n  {tail}", file=sys.stderr)
        rows = []
        for mutant in mutants:
            path = copy / mutant.file
            source = path.read_text(encoding="utf-8")
            count = source.count(mutant.original)
            if count != 1:
                rows.append((mutant, f"stale ({count} matches)", 0.0))
                continue
            path.write_text(source.replace(mutant.original, mutant.replacement), encoding="utf-8")
            try:
                code, seconds, _ = run(mutant.command, copy, args.timeout)
            finally:
                path.write_text(source, encoding="utf-8")
            if mutant.command in broken:
                result = "invalid (fails clean)"
            elif code == -1:  # a slow machine is not a failing test
                result = "undecided (timeout)"
            else:
                result = "caught" if code != 0 else "SURVIVED"
            rows.append((mutant, result, seconds))
    width = max(len(m.name) for m, _, _ in rows) if rows else 10
    print(f"| {'mutant':<{width}} | caught by | result | s |")
    print(f"|{'-' * (width + 2)}|---|---|---|")
    for mutant, result, seconds in rows:
        shown = mutant.command.replace("{python} -m ", "").replace(" -q -x -p no:cacheprovider", "")
        print(f"| {mutant.name:<{width}} | `{shown}` ({mutant.file}) | {result} | {seconds:.0f} |")
    caught = sum(result == "caught" for _, result, _ in rows)
    print(f"\n{caught}/{len(rows)} mutants caught in {time.perf_counter() - started:.0f} s")
    return 0 if caught == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
