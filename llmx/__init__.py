"""llmx: grounded, validated extraction of money amounts, tickers and roles from press releases.

    from llmx import extract
    record = extract(text)            # no API key: the offline default
    record.amounts[0].value, record.amounts[0].span
"""

from llmx.recognize import Mentions, find_money, find_tickers, recognize
from llmx.schema import Amount, Company, Issuer, Money, PressRelease, Quote, Ticker

# Imported eagerly (it is light: no openai or instructor): the import system binds a loaded
# submodule to the package attribute of the same name, so a lazy `llmx.validate` would turn
# into the module `llmx.validate` as soon as anything imported that module.
from llmx.validate import validate

__all__ = [
    "Amount",
    "Company",
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
        from llmx import pipeline

        return getattr(pipeline, name)
    if name in ("extract_many", "aextract_many"):
        from llmx import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'llmx' has no attribute {name!r}")
