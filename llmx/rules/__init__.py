"""Deterministic extraction heuristics behind the `rules` backend (`llmx.llm.rules`).

`cues` is the vocabulary (cue patterns and weights), `roles` labels money mentions with it,
`parties` finds the issuer and companies, `dates` reads the dateline, `text` holds the sentence
geometry they share, and `gold_mentions` rebuilds mentions from gold for scoring the rules alone.
"""
