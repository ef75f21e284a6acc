"""Independent hallucination check: is a predicted amount or ticker printed in the source text?

The recognizer-based check (`llmx.evaluate.grounding`) asks llmx's own money recognizer, which
also produced every amount of a grounded run, so it cannot see the recognizer's mistakes. This
module decides with code that shares nothing with `llmx.recognize` (it imports nothing from
llmx), so a recognizer bug that reads "$35 rnillion" as 35 shows up as a hallucination.

The rule, stated once (docs/evaluation.md repeats it):

- An amount is printed when some number in the text that stands next to a currency marker,
  read with the scale word written right after it, equals the amount's magnitude within 0.5 %
  in the amount's currency. Markers: a sign or code before the number ("$", "US$", "C$", "€",
  "USD", "CHF", with optional space, "(" or "-" between), or a code or currency word after
  the number and its scale ("5,000 USD", "1.2 million euros").
- Numbers: grouping with "," "." "'" or a non-breaking space; "1,500" is 1500 and "1.500" is
  1.5 unless the text writes decimal commas ("€1,5"), then both; accounting parentheses, OCR
  look-alikes O/o/l/I between digits. Scale words: thousand/million/billion/trillion in any
  case and with the OCR confusions rn->m, 1/I/|->l, 0->o (one further edit tolerated), a
  hyphenated line break ("mil-\\nlion"), and the short forms k, M, MM, mn, mln, m, B, bn, bln, tn.
  A number with a scale word is *not* printed as its bare value: "$2 million" does not print 2.
  A "+" between the number and its scale word ("$3+ billion", "$900+ million") is a lower bound
  and leaves the scale word the number's.
- Ranges: in "$10-12 million" / "$10 to $12 million" / "$20 – $30k" (hyphen, en or em dash) both ends carry the currency, and an
  unscaled first end is read in the second end's scale when its number is not the larger
  ("$500,000 to $2 million" keeps 500,000).
- Percentages ("5%", "2 percent") are never money.
- Tables: when the text has a caption "in thousands|millions|billions" or "($000s)", numbers
  printed without a scale word may also be read in that unit; after the caption, a number alone
  on its line (a cell, maybe in parentheses) takes the currency of the last marked cell before
  it. A sign may stand on the line before its number ("$\n5,873", cells one per line).
- A currency code may touch its number ("RMB92.1 million", "USD5,000"); a code before a "$"
  names that dollar ("CAD ~$2.35M").
- A bare "$" is USD, or the dollar a "<country> dollars" phrase in the text names.
- A ticker is printed when its symbol occurs in the text as a whole upper-case token.

Spelled-out numbers ("two million dollars") are not read: such an amount counts as unprinted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

from rapidfuzz.distance import Levenshtein

REL_TOL = 0.005

# Signs and sign-like prefixes before a number, longest first when compiled.
_PREFIX_SIGNS: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "USD$": "USD", "C$": "CAD", "CA$": "CAD", "CAD$": "CAD", "CDN$": "CAD",
    "Cdn$": "CAD", "Can$": "CAD", "A$": "AUD", "AU$": "AUD", "AUD$": "AUD", "NZ$": "NZD", "HK$": "HKD",
    "S$": "SGD", "SG$": "SGD", "NT$": "TWD", "MX$": "MXN", "R$": "BRL", "$": "$", "€": "EUR", "£": "GBP",
    "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₽": "RUB", "₺": "TRY", "₦": "NGN", "₫": "VND",
}
_CODES = frozenset(
    "USD CAD AUD NZD HKD SGD TWD MXN BRL EUR GBP JPY CNY RMB INR KRW CHF SEK NOK DKK ISK PLN CZK HUF "
    "ZAR ILS AED SAR TRY RUB NGN THB IDR MYR VND".split()
)
_CODE_ALIASES = {"RMB": "CNY"}
_WORDS_AFTER: dict[str, str] = {
    "dollar": "$", "dollars": "$", "euro": "EUR", "euros": "EUR", "yen": "JPY", "yuan": "CNY",
    "renminbi": "CNY", "sterling": "GBP", "pounds": "GBP", "pound": "GBP", "franc": "CHF", "francs": "CHF",
    "rupees": "INR", "won": "KRW",
}
_DOLLAR_COUNTRIES: dict[str, str] = {
    "us": "USD", "u.s.": "USD", "american": "USD", "canadian": "CAD", "australian": "AUD",
    "new zealand": "NZD", "hong kong": "HKD", "singapore": "SGD", "taiwan": "TWD", "new taiwan": "TWD",
}

_SCALE_WORDS = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "lakh": 5, "crore": 7}
_SHORT_SCALES = {
    "k": 3, "K": 3, "m": 6, "M": 6, "mm": 6, "MM": 6, "mn": 6, "Mn": 6, "mln": 6, "mil": 6, "mio": 6,
    "b": 9, "B": 9, "bn": 9, "Bn": 9, "bln": 9, "tn": 12, "T": 12,
}
_CAPTION = re.compile(r"(?i)\bin\s+(thousands|millions|billions)\b|\((?:[$€£]|US\$|C\$)\s?'?(000s?|000,000)\)")
_CAPTION_UNITS = {"thousands": 3, "millions": 6, "billions": 9, "000": 3, "000s": 3, "000,000": 6}

_NUMBER = re.compile(r"(?<![0-9a-z_.,])[0-9](?:[0-9OolI]*[0-9O])?(?:[,.'\u00a0\u202f][0-9]{3}(?![0-9]))*(?:[.,][0-9]+)?")
_PREFIX_BEFORE = re.compile(
    "(?:" + "|".join(re.escape(s) for s in sorted(_PREFIX_SIGNS, key=len, reverse=True)) + r"|\b(?:" + "|".join(sorted(_CODES)) + r"))"
    r"(?:[ \t\u00a0]?-?[ \t\u00a0]?\(?[ \t\u00a0]?|[ \t\u00a0]*\r?\n\s*\(?)\Z"
)
_CODE_BEFORE_SIGN = re.compile(r"\b([A-Z]{3})[ \t\u00a0]*~?[ \t\u00a0]*\Z")
# A number alone on its line, maybe in parentheses: a table cell (one cell per line in extracted tables).
_CELL = re.compile(r"(?m)^[ \t\u00a0]*\(?[ \t\u00a0]*(?P<num>[0-9][0-9,.'\u00a0]*)[ \t\u00a0]*\)?[ \t\u00a0]*$")
_SCALE_AFTER = re.compile(r"\)?\+?(?:[ \t\u00a0-]|\r?\n)?(?P<word>[A-Za-z|][A-Za-z0-9|]*(?:-[ \t]*\r?\n[ \t]*[A-Za-z0-9|]+)?)")
_CONNECTOR = re.compile(r"\)?[ \t\u00a0]*(?:[-\u2013\u2014]|to|and|or|through)[ \t\u00a0]*(?:[A-Z]{0,3}\$|[€£¥]|[A-Z]{3}\b)?[ \t\u00a0]*\(?\Z")
_WORDS = re.compile(r"[ \t\u00a0]*([A-Za-z.]+)(?:[ \t\u00a0]+([A-Za-z.]+))?(?:[ \t\u00a0]+([A-Za-z.]+))?")
_PERCENT = re.compile(r"[ \t\u00a0]?(?:%|per ?cent\b|pct\b)", re.IGNORECASE)
_OCR_WORD = str.maketrans({"1": "l", "|": "l", "I": "l", "0": "o"})
_OCR_DIGITS = str.maketrans("OolI", "0011")
# A comma followed by one or two digits after a currency sign: the text writes decimal commas ("€1,5 Mio.").
_DECIMAL_COMMA = re.compile(r"[$€£¥]\s?[0-9]+,[0-9]{1,2}(?![0-9])")


@dataclass
class PrintedCheck:
    """Per predicted item, whether it is printed in the source (same order as the record)."""

    amounts: list[bool] = field(default_factory=list)
    tickers: list[bool] = field(default_factory=list)

    @property
    def unprinted_amounts(self) -> list[int]:
        return [i for i, ok in enumerate(self.amounts) if not ok]

    @property
    def unprinted_tickers(self) -> list[int]:
        return [i for i, ok in enumerate(self.tickers) if not ok]

    def to_dict(self) -> dict[str, Any]:
        return {"unprinted_amounts": self.unprinted_amounts, "unprinted_tickers": self.unprinted_tickers}


@dataclass
class _Number:
    start: int
    end: int  # after the number (and its closing parenthesis)
    readings: set[float]
    scale: int | None  # exponent of the scale word after it
    after: int  # end of the number plus its scale word
    currencies: set[str] = field(default_factory=set)


def read_number(token: str, decimal_comma: bool = False) -> set[float]:
    """Every plausible reading of a printed number: '1,500' -> {1500}; '1.234,5' -> {1234.5}.

    A single separator followed by three digits is a thousands separator when it is a comma
    and a decimal point when it is a point, unless the text writes decimal commas
    (`decimal_comma`): then both readings count.
    """
    token = token.translate(_OCR_DIGITS).replace("'", ",").replace("\u00a0", ",").replace("\u202f", ",")
    seps = [c for c in token if c in ",."]
    if not seps:
        return {float(token)}
    if len(set(seps)) == 2:
        decimal = token[max(token.rfind(","), token.rfind("."))]
        grouping = "." if decimal == "," else ","
        return {float(token.replace(grouping, "").replace(decimal, "."))}
    sep = seps[0]
    if len(seps) > 1:
        return {float(token.replace(sep, ""))}
    head, tail = token.split(sep)
    if len(tail) != 3:
        return {float(f"{head}.{tail}")}
    if decimal_comma:
        return {float(f"{head}.{tail}"), float(head + tail)}
    return {float(head + tail)} if sep == "," else {float(f"{head}.{tail}")}


@lru_cache(maxsize=4096)
def scale_of(word: str) -> int | None:
    """The exponent a scale word stands for, OCR-tolerant: 'rnillion' -> 6, 'Mi11ion' -> 6."""
    if word in _SHORT_SCALES:
        return _SHORT_SCALES[word]
    joined = re.sub(r"-\s*\n\s*", "", word)
    if len(joined) < 4:
        return None
    folded = joined.replace("rn", "m").translate(_OCR_WORD).lower().removesuffix("s")
    if folded in _SCALE_WORDS:
        return _SCALE_WORDS[folded]
    close = [exp for name, exp in _SCALE_WORDS.items() if len(name) >= 6 and Levenshtein.distance(folded, name) <= 1]
    return close[0] if len(close) == 1 else None


def _prefix_currency(text: str, start: int) -> str | None:
    match = _PREFIX_BEFORE.search(text, max(0, start - 16), start)
    if match is None:
        return None
    marker = re.sub(r"[\s(-]+\Z", "", match.group(0))
    if marker == "$":  # "CAD $2.35M", "CAD ~$2.35M": a code before the sign names its dollar
        code = _CODE_BEFORE_SIGN.search(text, max(0, start - 24), start - len(match.group(0)))
        if code is not None and code.group(1) in _CODES:
            return _CODE_ALIASES.get(code.group(1), code.group(1))
    if marker in _PREFIX_SIGNS:
        return _PREFIX_SIGNS[marker]
    return _CODE_ALIASES.get(marker, marker) if marker in _CODES else None


def _suffix_currency(text: str, pos: int) -> str | None:
    """The currency named by the words right after a number: "USD", "euros", "Canadian dollars"."""
    match = _WORDS.match(text, pos, min(len(text), pos + 40))
    if match is None:
        return None
    words = [w.rstrip(".,") if w and w.rstrip(".,").isupper() else (w or "") for w in match.groups()]
    first, second, third = words
    if first in _CODES:
        return _CODE_ALIASES.get(first, first)
    for qualifier, word in ((first.lower(), second.lower()), (f"{first} {second}".lower(), third.lower())):
        if word.rstrip(".,") in ("dollar", "dollars") and qualifier in _DOLLAR_COUNTRIES:
            return _DOLLAR_COUNTRIES[qualifier]
    for word in (first, second):
        currency = _WORDS_AFTER.get(word.lower().rstrip(".,"))
        if currency is not None:
            return currency
    return None


def _dollar_currencies(text: str) -> set[str]:
    """What a bare "$" may mean here: USD, or a dollar the text names ("in Canadian dollars")."""
    named = {code for country, code in _DOLLAR_COUNTRIES.items() if re.search(rf"(?i)\b{re.escape(country)}\s+dollars?\b", text)}
    return {"USD", *named}


def _numbers(text: str) -> list[_Number]:
    decimal_comma = _DECIMAL_COMMA.search(text) is not None
    numbers = []
    for match in _NUMBER.finditer(text):
        if _PERCENT.match(text, match.end()):
            continue  # "2 percent", "5%": never money
        end = match.end()
        if end < len(text) and text[end] == ")":
            end += 1
        scale, after = None, end
        word = _SCALE_AFTER.match(text, match.end())
        if word is not None:
            exponent = scale_of(word.group("word"))
            if exponent is not None:
                scale, after = exponent, word.end()
        numbers.append(_Number(match.start(), end, read_number(match.group(0), decimal_comma), scale, after))
    return numbers


@dataclass
class _Facts:
    money: dict[str, list[float]]
    text: str
    tokens: dict[str, bool] = field(default_factory=dict)


def printed_amounts(text: str) -> dict[str, list[float]]:
    """currency -> every value the text prints as money (all readings), sorted."""
    numbers = _numbers(text)
    dollars = _dollar_currencies(text)
    for number in numbers:
        for currency in filter(None, (_prefix_currency(text, number.start), _suffix_currency(text, number.after))):
            number.currencies |= dollars if currency == "$" else {currency}
    for first, second in zip(numbers, numbers[1:]):
        if second.start - first.after > 12 or _CONNECTOR.match(text, first.after, second.start) is None:
            continue
        if first.currencies and not second.currencies:
            second.currencies = set(first.currencies)
        elif second.currencies and not first.currencies:
            first.currencies = set(second.currencies)
        if first.scale is None and second.scale is not None and max(first.readings) <= max(second.readings):
            first.scale = second.scale
    caption_matches = list(_CAPTION.finditer(text))
    captions = {_CAPTION_UNITS[(m.group(1) or m.group(2)).lower()] for m in caption_matches}
    if caption_matches:
        _table_cells(text, numbers, caption_matches[0].end())
    money: dict[str, set[float]] = {}
    for number in numbers:
        if not number.currencies:
            continue
        values = {value * 10 ** (number.scale or 0) for value in number.readings}
        if number.scale is None:
            values |= {value * 10**exponent for value in number.readings for exponent in captions}
        for currency in number.currencies:
            money.setdefault(currency, set()).update(values)
    return {currency: sorted(values) for currency, values in money.items()}


def _table_cells(text: str, numbers: list[_Number], table_start: int) -> None:
    """Cells after a units caption that stand alone on their line take the currency of the last
    marked number before them: "$\n5,873\n(114)\n3" under "(In thousands)" are all dollars."""
    cells = {m.start("num") for m in _CELL.finditer(text, table_start)}
    currencies: set[str] = set()
    for number in numbers:
        if number.start < table_start:
            continue
        if number.currencies:
            currencies = number.currencies
        elif number.start in cells and currencies:
            number.currencies = set(currencies)


def amount_is_printed(value: Any, currency: Any, money: Mapping[str, list[float]], rel_tol: float = REL_TOL) -> bool:
    """True when the text prints this magnitude, in this currency, within `rel_tol`."""
    try:
        target = abs(float(value))
    except (TypeError, ValueError):
        return False
    found = money.get(str(currency or "USD").upper(), [])
    return any(abs(candidate - target) <= rel_tol * max(abs(candidate), target) for candidate in found)


def ticker_is_printed(symbol: str, text: str) -> bool:
    """True when `symbol` occurs as a whole upper-case token (not inside a longer word or symbol)."""
    symbol = symbol.strip().upper()
    return bool(symbol) and re.search(rf"(?<![A-Za-z0-9.]){re.escape(symbol)}(?![A-Za-z0-9]|\.[A-Za-z0-9])", text) is not None


class PrintedChecker:
    """Checks records against their source text; what a text prints is computed once per text."""

    def __init__(self, rel_tol: float = REL_TOL) -> None:
        self._rel_tol = rel_tol
        self._facts: dict[str, _Facts] = {}

    def _facts_for(self, text: str) -> _Facts:
        facts = self._facts.get(text)
        if facts is None:
            facts = self._facts[text] = _Facts(money=printed_amounts(text), text=text)
        return facts

    def check(self, text: str, record: Mapping[str, Any]) -> PrintedCheck:
        """Whether every predicted amount and ticker of `record` is printed in `text`."""
        facts = self._facts_for(text)
        amounts = [amount_is_printed(a.get("value"), a.get("currency"), facts.money, self._rel_tol) for a in record.get("amounts") or []]
        tickers = []
        for ticker in record.get("tickers") or []:
            symbol = str(ticker.get("symbol") or "")
            if symbol not in facts.tokens:
                facts.tokens[symbol] = ticker_is_printed(symbol, text)
            tickers.append(facts.tokens[symbol])
        return PrintedCheck(amounts=amounts, tickers=tickers)
