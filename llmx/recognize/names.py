"""Company names as one key: two spellings of a company ("The Xcel Brands, Inc.", "Xcel Brands") share it.

The rules (de-duplicating candidates), the validator (matching a ticker's company to the
registry) and the eval harness (matching gold names) all compare names through `company_key`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal-form words dropped from the end of company names before comparing them
# ("Xcel Brands, Inc." == "Xcel Brands"). Kept to forms that never carry meaning on their own.
LEGAL_SUFFIXES: frozenset[str] = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
        "llp", "lp", "plc", "ag", "nv", "bv", "sa", "se", "spa", "gmbh", "kgaa", "oyj", "ab",
        "asa", "as", "pty", "pte", "srl", "sarl", "kk", "bhd", "tbk",
    }
)
_NON_WORD = re.compile(r"[^\w]+")
_DOTTED_FORM = re.compile(r"\b([a-z])\.(?=[a-z]\b)")  # "n.v." -> "nv." so it reads as one word


@lru_cache(maxsize=65536)
def normalise_text(value: str) -> str:
    """Case-folded, accent-stripped, punctuation-free text with single spaces."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


@lru_cache(maxsize=65536)
def company_key(name: str) -> str:
    """Company name without case, punctuation, a leading "the" or trailing legal forms.

    "The Cannaisseur Group, Inc." -> "cannaisseur group"; "Koninklijke Philips N.V." ->
    "koninklijke philips". A name made only of legal words is kept as is rather than emptied.
    """
    folded = _DOTTED_FORM.sub(r"\1", name.casefold())
    words = normalise_text(folded).split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words) if words else normalise_text(name)
