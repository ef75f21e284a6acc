"""Readings of printed amounts and listings that the recognizers leave out, for the validator.

The recognizers pick one reading of each printed value, and some printed forms they do not read
at all. A correct record may hold a value the text supports in such a form, and the validator
must not call it an error (issue #11: false alarms on gold). The validator therefore accepts
these extra readings beside the recognizers' mentions; it never picks between them.

Amounts (each re-read by the money recognizer once the characters hiding it are dropped, so
number and scale grammar stay in one place):

- a sign between the currency and the number: "EUR -0.1 million", "USD +2 million", "$ -3.1
  million" (values are magnitudes);
- "approximately" between a currency code and a dollar sign: "CAD ~$2.35M", "AUD ≈ $4 million"
  read in the code's currency (the bare "$" reading stays too);
- a scale word after accounting parentheses around sign and number: "($1.2) million" is
  1,200,000 (the "$1.2" reading stays too);
- a range's unscaled lower bound with the upper bound's scale even when its number is the larger
  one, as losses print it: "$(7.4)–$(6.8)M" is 7,400,000 to 6,800,000 (the recognizer lends the
  scale only to a smaller lower bound, and reads "$(7.4)" as 7.4; both readings are kept);
- a spelled number with words after its scale word: "one thousand seven hundred USD" is 1,700
  (the recognizer reads only "seven hundred USD").

Listings: a symbol after the label of a market the ticker recognizer does not know ("(SHE:
000538)", "(BIT: ENI)", "(Euronext Milan: ENI.MI)"), and a symbol printed with a market suffix ("600690.SH / 06690.HK", "ENI.MI", "7203.T")
is a listing on that market even without an exchange label; a record may hold it with or
without the suffix ("600690.SH" or "600690", "06690.HK" or "6690") and name the market by any
of its usual names ("Shanghai Stock Exchange", "SSE", "SH"), or not at all.
"""

from __future__ import annotations

import math
import re
import string
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from llmx.recognize import MoneyMention, TickerMention, find_money
from llmx.recognize.text import label_key
from llmx.recognize.tickers import CANONICAL_EXCHANGES, MARKET_SUFFIXES

__all__ = ["amount_readings", "labelled_listings", "market_matches", "suffix_listings", "symbol_keys"]

_WINDOW = 48  # characters after the dropped ones that a re-read amount may use
# Each form: `drop` finds the characters that hide an amount, scanned only when the text holds
# `needle` (every pattern starts with that literal, which `re` scans fast); `head` must end right
# before them (skipping one space), its last character one of `last`, and its group "head" is
# where the amount starts; `joiner` goes between the head and what follows the dropped characters.
class _Form(NamedTuple):
    needle: str
    drop: re.Pattern[str]
    head: re.Pattern[str]
    joiner: str
    last: frozenset[str]


_SIGNED_HEAD = re.compile(r"(?P<head>(?<![A-Za-z])[A-Z]{3}|[$€£¥])[ \t]?\Z")
_CODE_HEAD = re.compile(r"(?P<head>(?<![A-Za-z])[A-Z]{3})[ \t]?\Z")
_AMOUNT_FORMS = (
    *(
        _Form(sign, re.compile(rf"{re.escape(sign)}[ \t]?(?=\.?\d)"), _SIGNED_HEAD, "", frozenset(string.ascii_uppercase + "$€£¥"))
        for sign in "-+−–"
    ),
    *(
        _Form(sign, re.compile(rf"{sign}[ \t]?(?=\$[ \t]?\d)"), _CODE_HEAD, " ", frozenset(string.ascii_uppercase))
        for sign in "~≈"
    ),
    _Form(
        ")",
        re.compile(r"\)(?=[ \t]?(?i:thousand|million|billion|trillion|mn|bn|mln)\b)"),
        re.compile(r"\((?P<head>[^()\n\d]{1,4}[ \t]?\d[\d.,]*)\Z"),
        "",
        frozenset(string.digits),
    ),
)
_HEAD_REACH = 24  # how far before the dropped characters a head may start


def amount_readings(text: str, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """Amounts the text prints in the forms above that no mention already reads the same way."""
    known = {(m.value, m.currency, m.span[0]) for m in mentions}
    readings: list[MoneyMention] = []
    for form in _AMOUNT_FORMS:
        if form.needle not in text:
            continue
        for match in form.drop.finditer(text):
            drop_start, drop_end = match.span()
            last = drop_start - 2 if drop_start > 1 and text[drop_start - 1] in " \t" else drop_start - 1
            if last < 0 or text[last] not in form.last:
                continue  # a cheap test before the head's regex
            head_match = form.head.search(text, max(0, drop_start - _HEAD_REACH), drop_start)
            if head_match is None:
                continue
            start = head_match.start("head")
            head = text[start:drop_start]
            head += form.joiner if form.joiner and not head.endswith(form.joiner) else ""
            found = find_money(head + text[drop_end : drop_end + _WINDOW])
            if not found or found[0].span[0] != 0 or found[0].span[1] <= len(head):
                continue
            end = drop_end + found[0].span[1] - len(head)
            reading = MoneyMention(found[0].value, found[0].currency, text[start:end], (start, end))
            if (reading.value, reading.currency, start) not in known:
                known.add((reading.value, reading.currency, start))
                readings.append(reading)
    readings += _shared_scale_readings(text, mentions, known)
    readings += _spelled_scale_readings(text, mentions, known)
    return sorted(readings, key=lambda m: m.span)


_SCALE_WORDS = {"thousand": 3, "million": 6, "billion": 9}
_SCALE_BEFORE = re.compile(r"(?i)\b(?:thousand|million|billion)[ \t]+(?:and[ \t]+)?\Z")


def _spelled_scale_readings(
    text: str, mentions: list[MoneyMention], known: set[tuple[float, str, int]]
) -> list[MoneyMention]:
    """"one thousand seven hundred USD": the recognizer reads the words after the scale word
    ("seven hundred USD", 700); the whole number is the spelled head at its scale plus that."""
    readings = []
    for mention in mentions:
        if not mention.text[:1].isalpha():
            continue
        start = mention.span[0]
        scale = _SCALE_BEFORE.search(text, max(0, start - 12), start)
        if scale is None or mention.value >= 10 ** _SCALE_WORDS[scale.group().split()[0].lower()]:
            continue
        window = max(0, scale.start() - _WINDOW)
        head = text[window : scale.start()] + scale.group().split()[0] + " dollars"
        found = [m for m in find_money(head) if m.span[1] == len(head) and m.text[:1].isalpha()]
        if not found:
            continue
        value = found[0].value + mention.value
        begin = window + found[0].span[0]
        if (value, mention.currency, begin) not in known:
            known.add((value, mention.currency, begin))
            readings.append(MoneyMention(value, mention.currency, text[begin : mention.span[1]], (begin, mention.span[1])))
    return readings


_RANGE_GAP = re.compile(r"[ \t]*(?:-|–|—|to|through)[ \t]*\Z")
_PRINTED_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALE_MARK = re.compile(r"(?i)(?:\d|\))[ \t]*(?:thousand|million|billion|trillion|mln|bln|mn|bn|[kmb]{1,2})\)?\Z")


def _shared_scale_readings(
    text: str, mentions: list[MoneyMention], known: set[tuple[float, str, int]]
) -> list[MoneyMention]:
    """A range's unscaled lower bound read with the upper bound's scale: "$(7.4)–$(6.8)M".

    The recognizer lends the scale only when the lower bound is not the larger number; for losses
    printed as accounting negatives the larger magnitude comes first, and both readings are kept.
    """
    readings = []
    for low, high in zip(mentions, mentions[1:]):
        if low.currency != high.currency or low.value >= 1000 or "," in low.text or _SCALE_MARK.search(low.text):
            continue
        if not _RANGE_GAP.match(text[low.span[1] : high.span[0]]) or not _SCALE_MARK.search(high.text):
            continue
        number = _PRINTED_NUMBER.search(high.text)
        printed = float(number.group().replace(",", "")) if number else 0.0
        if not printed or high.value <= printed:
            continue
        exponent = round(math.log10(high.value / printed))
        value = float(Decimal(repr(low.value)).scaleb(exponent))  # 8.2 -> 8200000.0 exactly
        if (value, low.currency, low.span[0]) not in known:
            known.add((value, low.currency, low.span[0]))
            readings.append(MoneyMention(value, low.currency, low.text, low.span))
    return readings


# `MARKET_SUFFIXES` (the ticker recognizer's table): suffix -> the usual names of that market, the
# first one reported. A record's exchange matches when its `label_key` (upper case, no spacing) is
# the key of one of the names or contains the key of a longer one ("Shanghai Stock Exchange STAR
# Market" holds "SHANGHAI").
_LONG_NAME = 5  # names at least this long also match inside a longer exchange name
_NAME_KEYS = {suffix: frozenset(label_key(name) for name in names) for suffix, names in MARKET_SUFFIXES.items()}
# "NGA.TO." ends a sentence. Every suffix is upper case: the lookahead turns away the sentence ends
# ("end. The") before the 37 alternatives are tried.
_SUFFIX = re.compile(rf"\.(?=[A-Z])(?P<suffix>{'|'.join(sorted(MARKET_SUFFIXES, key=len, reverse=True))})(?!\w|\.\w)")
_SUFFIX_BASE = re.compile(r"(?<![\w.])(?:\d{3,6}|[A-Z][A-Z0-9]{0,5}|\d{1,3}[A-Z][A-Z0-9]{0,3})\Z")  # "690D.DE" too


def symbol_keys(symbol: str) -> set[str]:
    """Index keys of a suffixed symbol: '06690.HK' -> {'06690.HK', '06690', '6690.HK', '6690'}."""
    base, suffix = symbol.rsplit(".", 1)
    keys = {symbol, base}
    if base.isdigit():
        unpadded = base.lstrip("0") or "0"
        keys |= {unpadded, f"{unpadded}.{suffix}"}
    return keys


def suffix_listings(text: str) -> list[TickerMention]:
    """Symbols printed with a market suffix, as listings on that market (exchange: its first name)."""
    found = []
    for match in _SUFFIX.finditer(text):
        base = _SUFFIX_BASE.search(text, max(0, match.start() - 7), match.start())
        if base is not None:
            symbol = text[base.start() : match.end()]
            found.append(TickerMention(symbol, MARKET_SUFFIXES[match["suffix"]][0], symbol, (base.start(), match.end())))
    return found


_COLON_SYMBOL = re.compile(r":[ \t]*(?P<sym>\d{3,6}(?:\.[A-Z]{1,2})?|[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?)(?![\w]|\.\w)")
_LABEL = re.compile(r"[A-Z][A-Za-z]*(?:[ \t]+[A-Z][A-Za-z]*){0,3}")
_LABEL_STOPS = "([{,;|\n\"“'"
_MIN_LABEL = 3  # suffix codes themselves ("CO", "ST", "T") are not labels: "CO: ABC" is no listing


def labelled_listings(text: str) -> list[TickerMention]:
    """'(SHE: 000538)', '(BIT: ENI)', '(Euronext Milan: ENI.MI)': a symbol after the name of a market
    in `MARKET_SUFFIXES` that the ticker recognizer does not know (exchange: the label as printed)."""
    found = []
    for match in _COLON_SYMBOL.finditer(text):
        window_start = max(0, match.start() - 40)
        window = text[window_start : match.start()]
        cut = max(window.rfind(stop) for stop in _LABEL_STOPS) + 1
        label = window[cut:].strip()
        if label and label[0].isupper() and _market_of(label) is not None and _LABEL.fullmatch(label):
            start = window_start + window.index(label, cut)
            found.append(TickerMention(match["sym"], " ".join(label.split()), text[start : match.end()], (start, match.end())))
    return found


@lru_cache(maxsize=1024)
def _market_of(label: str) -> str | None:
    """The suffix of the market `label` names ('Shanghai Stock Exchange' -> 'SH'), if any."""
    key = label_key(label)
    if len(key) < _MIN_LABEL:
        return None
    return next((suffix for suffix, names in _NAME_KEYS.items() if _names_market(key, names)), None)


def _names_market(key: str, names: frozenset[str]) -> bool:
    return key in names or any(len(name) >= _LONG_NAME and name in key for name in names)


def market_matches(listing: TickerMention, exchange: str) -> bool:
    """True when `exchange` names the market of a suffix or labelled listing ('SSE' for '.SH' or 'SHA:')."""
    suffix = listing.symbol.rsplit(".", 1)[-1] if "." in listing.symbol else None
    if suffix is None and listing.exchange in CANONICAL_EXCHANGES:
        return False  # "AIM: ACME" is on AIM alone: the market's other names (LSE) are another exchange
    names = _NAME_KEYS.get(suffix or "") or _NAME_KEYS.get(_market_of(listing.exchange) or "")
    return names is not None and _names_market(label_key(exchange), names)
