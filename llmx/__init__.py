"""llmx: grounded, validated extraction of money amounts, tickers and roles from press releases.

    from llmx import extract
    record = extract(text)            # no API key: the offline default
    record.amounts[0].value, record.amounts[0].span
    deal = extract(text, schema=MyDeal)          # your schema, grounded: values from the text
    options = ExtractOptions(backend="openai", model="gpt-4o-mini")
    record = extract(text, options=options)   # every setting in one typed object
"""

from llmx.recognize import Mentions, find_money, find_tickers, recognize
from llmx.schema import Amount, Company, Issuer, Money, PressRelease, Quote, Ticker

from llmx.validation.checks import validate

__all__ = [
    "Amount",
    "Company",
    "ExtractOptions",
    "Issuer",
    "Mentions",
    "Money",
    "PressRelease",
    "Quote",
    "Ticker",
    "aextract",
    "aextract_many",
    "extract",
    "extract_many",
    "find_money",
    "find_tickers",
    "recognize",
    "validate",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    """Import the heavier entry points (openai, instructor) only when used."""
    if name in ("extract", "aextract"):
        from llmx.extraction import api

        return getattr(api, name)
    if name == "ExtractOptions":
        from llmx.options import ExtractOptions

        return ExtractOptions
    if name in ("extract_many", "aextract_many"):
        from llmx.batch import run

        return getattr(run, name)
    raise AttributeError(f"module 'llmx' has no attribute {name!r}")
