"""Validation: rule-based findings on a record against its source text (checks) and the SEC ticker registry."""
