"""Deterministic extraction heuristics behind the `rules` backend (`llmx.rules.record`).

`cues` is the vocabulary (cue patterns and weights), `roles` labels money mentions with it,
`parties` finds the issuer and companies, `dates` reads the dateline, and `text` holds the
sentence geometry they share. Score the backend with `llmx eval GOLD_DIR --backend rules`.
"""
