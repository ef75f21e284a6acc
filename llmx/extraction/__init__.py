"""Extraction: one document in, one record out (api), in grounded or free mode, with prompts and input checks.

Named `extraction` rather than `extract` so that the package never shadows the `llmx.extract` function.
"""
