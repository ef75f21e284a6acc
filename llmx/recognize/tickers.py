"""Ticker recognizer: every exchange listing printed in a text, with its exact span.

A listing is a symbol tied to an exchange: "(Nasdaq: IMGN)", "NYSE:XYZ", "(TSX.V: UCU)",
several in one parenthesis ("NASDAQ: AAA; TSX: AAA", "TSXV: ABC | OTCQB: ABCDF"), several
symbols after one exchange inside parentheses ("(NYSE: BRK.A, BRK.B)"), and the prose forms
"listed on the NYSE (NMAX)" / "trades on Nasdaq under the symbol "ABC"". A bare upper-case
word is never a ticker.

Exchange labels are matched leniently (case, spacing, dots and hyphens ignored; OCR letter
confusions undone; rapidfuzz for the rest: "Nasdag", "NASDAO", "NYSE Arnerican") and mapped
to canonical names: NASDAQ (all tiers), NYSE, NYSE American, OTC (OTCQB/OTCQX/OTC Pink/
OTCMKTS/OTCID), TSX, TSXV, CSE, ASX, LSE, AIM, CBOE, FSE; other known exchanges keep the
printed name. Labels that are not exchanges ("Source: ABC", "NOTE: THE") are rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from rapidfuzz import fuzz, process

from llmx.recognize.text import find_all, label_key, normalize, ocr_fold_key

__all__ = ["CANONICAL_EXCHANGES", "MARKET_SUFFIXES", "TickerMention", "canonical_exchange", "find_tickers"]


@dataclass(frozen=True, slots=True)
class TickerMention:
    symbol: str
    exchange: str
    text: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "ticker", "symbol": self.symbol, "exchange": self.exchange, "text": self.text, "span": list(self.span)}


_CANONICAL_LABELS: dict[str, tuple[str, ...]] = {
    "NASDAQ": (
        "NASDAQ", "NASDAQGS", "NASDAQGM", "NASDAQCM", "NASDAQGSM", "NASDAQNM", "NASDAQGLOBALSELECTMARKET",
        "NASDAQGLOBALSELECT", "NASDAQGLOBALMARKET", "NASDAQGLOBAL", "NASDAQCAPITALMARKET", "NASDAQCAPITAL",
        "NASDAQSTOCKMARKET", "NASDAQSTOCKEXCHANGE", "THENASDAQSTOCKMARKET",
    ),
    "NYSE": ("NYSE", "NEWYORKSTOCKEXCHANGE", "THENEWYORKSTOCKEXCHANGE"),
    "NYSE American": ("NYSEAMERICAN", "NYSEAMERICANLLC", "NYSEMKT", "NYSEAMEX", "AMEX", "AMERICANSTOCKEXCHANGE", "NYSEA"),
    "OTC": (
        "OTC", "OTCQB", "OTCQX", "OTCPINK", "OTCMKTS", "OTCMARKETS", "OTCMARKET", "OTCID", "OTCBB", "PINK",
        "PINKSHEETS", "OTCPINKSHEETS", "OTCQBVENTUREMARKET", "OTCQXBESTMARKET", "OTCMARKETSGROUP", "OTCEXPERT",
        "OTCM", "OTCPK", "USOTC", "OVERTHECOUNTER", "OVERTHECOUNTERMARKET", "OTCQBUS", "OTCQXUS", "OTCQBUSTIER", "OTCQXUSTIER",
    ),
    "TSX": ("TSX", "TORONTOSTOCKEXCHANGE", "TSXEXCHANGE"),
    "TSXV": ("TSXV", "TSXVENTURE", "TSXVENTUREEXCHANGE", "TSXVE", "VENTUREEXCHANGE", "CDNX", "CVE"),
    "CSE": ("CSE", "CNSX", "CNX", "CANADIANSECURITIESEXCHANGE", "CANADIANSTOCKEXCHANGE"),
    "ASX": ("ASX", "AUSTRALIANSECURITIESEXCHANGE"),
    "LSE": ("LSE", "LON", "LONDONSTOCKEXCHANGE", "LSEMAINMARKET"),
    "AIM": ("AIM", "LSEAIM", "AIMLSE", "LSE/AIM", "AIM/LSE", "LONAIM"),
    "CBOE": ("CBOE", "CBOECANADA", "CBOECA", "CBOEBZX", "CBOEUS", "BATS", "NEO", "NEOEXCHANGE"),
    "FSE": (
        "FSE", "FRANKFURT", "FRA", "FWB", "XETRA", "XETR", "ETR", "BF", "FRANKFURTSTOCKEXCHANGE", "BORSEFRANKFURT",
        "BOERSEFRANKFURT", "FRANKFURTERWERTPAPIERBORSE", "XFRA",
    ),
    "HKEX": (
        "HKEX", "SEHK", "HKSE", "HONGKONGSTOCKEXCHANGE", "HONGKONGEXCHANGE", "STOCKEXCHANGEOFHONGKONG",
        "THESTOCKEXCHANGEOFHONGKONG", "HKEXMAINBOARD",
    ),
}
# Other exchanges seen in releases; reported with the label as printed.
_OTHER_EXCHANGES = frozenset(
    "TASE SGX NZX JSE SIX SIXSWISSEXCHANGE EURONEXT EURONEXTPARIS EURONEXTBRUSSELS EURONEXTAMSTERDAM EURONEXTGROWTH "
    "EURONEXTLISBON EURONEXTDUBLIN EURONEXTOSLO ARCA NASDAQSTOCKHOLM NASDAQHELSINKI NASDAQCOPENHAGEN "
    "NASDAQFIRSTNORTH TSE TYO KOSDAQ KRX BSE NSE TWSE SZSE NYSEARCA BMV BOVESPA WSE MOEX "
    # European venues seen beside Frankfurt listings, and Euronext/Oslo/Milan names
    "BORSESTUTTGART STUTTGARTSTOCKEXCHANGE TRADEGATE BORSEMUNCHEN MUNICHSTOCKEXCHANGE VIENNASTOCKEXCHANGE "
    "WIENERBORSE BORSAITALIANA EURONEXTMILAN EURONEXTGROWTHPARIS EURONEXTGROWTHOSLO EURONEXTGROWTHMILAN "
    "EURONEXTGROWTHBRUSSELS EURONEXTACCESS OSLOBORS OSLOBØRS".split()
)
# The exchanges the annotation guide normalises to (a listing under one of them is on it alone).
CANONICAL_EXCHANGES = frozenset(_CANONICAL_LABELS)
_LEXICON: dict[str, str] = {label_key(key): canonical for canonical, keys in _CANONICAL_LABELS.items() for key in keys}
_FUZZY_KEYS = tuple(key for key in _LEXICON if len(key) >= 5)
_FUZZY_CUTOFF = 80.0


@lru_cache(maxsize=4096)
def canonical_exchange(label: str, fuzzy: bool = True) -> str | None:
    """The canonical exchange for a printed label, or None when the label is not an exchange.

    >>> canonical_exchange("Nasdag"), canonical_exchange("TSX.V"), canonical_exchange("NYSE Arnerican")
    ('NASDAQ', 'TSXV', 'NYSE American')
    """
    key = label_key(label).replace("*", "")
    if not key:
        return None
    for candidate in (key, ocr_fold_key(key), key.replace("/", "")):
        if candidate in _LEXICON:
            return _LEXICON[candidate]
        if candidate in _OTHER_EXCHANGES:
            return " ".join(label.split()).strip("*")
    if "/" in key:  # "NYSE-A/TSX", "NYSE/LSE": several exchanges, the first printed one counts
        parts = [canonical_exchange(part, False) for part in label.split("/")]
        if all(parts):
            return parts[0]
    folded = ocr_fold_key(key)
    if not fuzzy or len(folded) < 5:
        return None
    best = process.extractOne(folded, _FUZZY_KEYS, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    if best is None or best[0][:2] != folded[:2]:
        return None  # same first letters: keeps "Markets" from fuzzing into "OTC Markets"
    return _LEXICON[best[0]]


# Letter-led symbols ("ABC", "BRK.B", "A1B"), numeric codes ("0700", "7203.T") and digit-led
# alphanumerics ("9GM", "1AE", "130A"). The last two exist only on some exchanges; see
# `_symbol_fits_exchange`.
_SYMBOL = (
    r"(?:[A-Z][A-Z0-9]{0,5}(?:[.\-/][A-Z0-9]{1,3})?|\d{3,6}(?:\.[A-Z]{1,2})?|\d{1,3}[A-Z][A-Z0-9]{0,3}(?:\.[A-Z]{2})?)"
    r"(?![A-Za-z0-9]|[\-/][A-Za-z0-9]|\.(?![A-Z][a-z])[A-Za-z0-9])"  # "NBBI.This": a sentence glued on
)
# North American markets (and OTC) use letter-only symbols, so "NYSE: 2024" or "Nasdaq: 3Q"
# is not a listing; Frankfurt/Xetra, London, ASX, Hong Kong, Tokyo, etc. also issue digit-led
# codes.
_LETTER_SYMBOL_EXCHANGES = frozenset({"NASDAQ", "NYSE", "NYSE American", "OTC", "TSX", "TSXV", "CSE", "CBOE"})
# "LABEL: SYM" - the label is read backwards from the colon (see _label_before).
# A line break after the colon counts only inside parentheses: "(OTC:\nHYDI)" wrapped by a PDF layout.
# A cashtag counts as the symbol it tags: "(OTC: $ABCD)", "OTCQB:$ABCD" (letter-led only, so
# "ASX: $120 million" is no listing).
_CASHTAG = r"(?:\$(?=[A-Z]))?"
_COLON_LISTING = re.compile(
    rf":[ \t]*(?P<wrap>\n[ \t]*)?(?:\*\*[ \t]*)?{_CASHTAG}(?P<sym>{_SYMBOL})"  # "**Nasdaq:** ABC" (Markdown bold)
)
_MORE_SYMBOLS = re.compile(rf"[ \t]*(?:,|;|&|and)[ \t]*{_CASHTAG}(?P<sym>{_SYMBOL})(?=[ \t]*(?:[);,&]|and\b))")
_LABEL_STOP = re.compile(r"[(\[{,;|\"“”'\n)]")
# A warrant, unit, right or preferred symbol may be printed with its suffix after a space, as
# NYSE and NYSE American write them ("ABC WS", "ABC WT", "ABC PRA"); only inside quotes.
_QUOTED_SUFFIX = r"(?:[ \t](?:WS|WT|UN|U|RT|R|PR[A-Z]?)(?=[\"”]))?"
# "listed on the NYSE (NMAX)", "trades on the Nasdaq Capital Market under the symbol "ABCD"".
_PROSE_LISTING = re.compile(
    r"(?<![A-Za-z])(?i:listed|trades?|traded|trading|quoted)[ \t]+(?:on|under)[ \t]+(?:the[ \t]+)?"
    r"(?P<label>[A-Z][\w.\-/]*(?:[ \t]+[A-Z][\w.\-/]*){0,3}?)[ \t]*"
    rf"(?:\([ \t]*(?:(?:ticker|symbol|ticker symbol)[ \t]*:?[ \t]*)?[\"“]?(?P<sym>{_SYMBOL})[\"”]?[ \t]*\)"
    rf"|,?[ \t]+under[ \t]+the[ \t]+(?:ticker[ \t]+)?(?:symbol|ticker)[ \t]+[\"“]?(?P<sym2>{_SYMBOL}{_QUOTED_SUFFIX})[\"”]?)"
)
_MAX_LABEL_WORDS = 4
_WORD = re.compile(r"\S+")


def find_tickers(text: str) -> list[TickerMention]:
    """Every exchange listing in `text` (one mention per listing printed), in text order."""
    normalized = normalize(text)
    norm = normalized.text
    found: dict[tuple[int, int], tuple[str, str]] = {}
    if ":" in norm:
        for colon in find_all(norm, ":"):
            match = _COLON_LISTING.match(norm, colon)
            label = None if match is None else (
                _label_before(norm, colon)
                or _exchange_before_code_label(norm, colon)
                or _code_only_label(norm, colon, match["sym"])
                or _share_class_label(norm, colon, match["sym"])
            )
            if match is None or label is None:
                reversed_listing = _reversed_listing(norm, colon)
                if reversed_listing is not None:
                    found[reversed_listing[0]] = reversed_listing[1]
                continue
            label_start, exchange = label
            if match["wrap"] and not _inside_parentheses(norm, label_start):
                continue
            if not _symbol_fits_exchange(match["sym"], exchange):
                continue
            found[(label_start, match.end("sym"))] = (_without_market_suffix(match["sym"], exchange), exchange)
            if _inside_parentheses(norm, label_start):
                for more in _iter_more_symbols(norm, match.end()):
                    if _symbol_fits_exchange(more["sym"], exchange) and canonical_exchange(more["sym"], False) is None:
                        found[more.span("sym")] = (more["sym"], exchange)
    verbs = _VerbStems(norm)
    for match in _prose_listings(norm, verbs):
        exchange = canonical_exchange(match["label"])
        symbol = match["sym"] or match["sym2"]
        if canonical_exchange(symbol, False) is not None:
            continue  # "traded on the New York Stock Exchange (NYSE)" names the exchange twice
        if exchange is not None and _symbol_fits_exchange(symbol, exchange) and not any(s <= match.start("label") < e for s, e in found):
            found[(match.start("label"), match.end())] = (_without_market_suffix(symbol, exchange), exchange)
    for span, listing in _spaced_listings(norm):
        if not any(s < span[1] and span[0] < e for s, e in found):
            found[span] = listing
    unders = find_all(norm, " under ")
    for passes in (_under_symbol_listings(norm, unders), _symbol_is_listed_on(norm, verbs), _suffix_listings(norm)):
        for span, listing in passes:
            if not any(s < span[1] and span[0] < e for s, e in found):
                found[span] = listing
    if unders and found:
        for span, listing in _derived_listings(norm, found, unders):
            if not any(s < span[1] and span[0] < e for s, e in found):
                found[span] = listing
    mentions = []
    for (start, end), (symbol, exchange) in sorted(found.items()):
        o_start, o_end = normalized.span(start, end)
        mentions.append(TickerMention(symbol, exchange, text[o_start:o_end], (o_start, o_end)))
    return mentions


class _VerbStems:
    """Offsets of the listing verbs' stems in one text, each stem searched once (C-speed `str.find`;
    each search is a scan of the whole text): "isted" (listed/Listed), "rade" (trade, trades, traded,
    trading), "uoted" (quoted). The prose listings and "(SYM) is listed" read them."""

    __slots__ = ("listed", "trade", "quoted")

    def __init__(self, text: str) -> None:
        self.listed, self.trade, self.quoted = find_all(text, "isted"), find_all(text, "rade"), find_all(text, "uoted")


def _prose_listings(text: str, verbs: _VerbStems) -> Iterator[re.Match[str]]:
    """Matches of `_PROSE_LISTING`, tried one character before "isted ", "rade" and "uoted "."""
    spaced = [pos for pos in (*verbs.listed, *verbs.quoted) if text.startswith(" ", pos + 5)]
    starts = sorted({pos - 1 for pos in (*spaced, *verbs.trade) if pos >= 1})
    for start in starts:
        match = _PROSE_LISTING.match(text, start)
        if match is not None:
            yield match



def _symbol_fits_exchange(symbol: str, exchange: str) -> bool:
    """False for a digit-led symbol on an exchange whose symbols are all letter-led."""
    return symbol[0].isalpha() or exchange not in _LETTER_SYMBOL_EXCHANGES


_TICKER_WORD_AFTER = re.compile(r"(?i)[ \t]+(?:(?:ticker|stock|trading)[ \t]+)?(?:ticker|symbol)[ \t]*\Z")


def _label_before(text: str, colon: int) -> tuple[int, str] | None:
    """(start, canonical exchange) of the longest exchange label ending at `colon`, if any."""
    window_start = max(0, colon - 48)
    stop = None
    for stop in _LABEL_STOP.finditer(text, window_start, colon):
        pass
    begin = stop.end() if stop else window_start
    starts = [word.start() for word in _WORD.finditer(text, begin, colon)][-_MAX_LABEL_WORDS:]
    tail = text[max(begin, colon - 7) : colon].rstrip().lower()
    named = _TICKER_WORD_AFTER.search(text, begin, colon) if tail.endswith(("ticker", "symbol")) else None
    label_end = named.start() if named is not None else colon  # "Nasdaq ticker: ABCD"
    for fuzzy in (False, True):  # an exact reading of a shorter label beats a fuzzy longer one
        for start in starts:
            if start >= label_end:
                continue
            label = text[start:label_end]
            exchange = canonical_exchange(label, fuzzy)
            if exchange is not None:
                first = _exchange_listed_first(text, start)
                if first is not None:
                    return first
                return start + len(label) - len(label.lstrip("*")), exchange  # no Markdown bold in the span
    return None


_FIRST_OF_EXCHANGES = re.compile(r"[ \t]*(?P<first>[A-Za-z][\w.\-]*(?:[ \t]+[A-Za-z][\w.\-]*){0,2}?)[ \t]*(?:,|&|and)[ \t]*\Z")


def _exchange_listed_first(text: str, start: int) -> tuple[int, str] | None:
    """"(NYSE, Nasdaq: VZ)", "(NYSE and TSX: ABC)": the exchange printed first counts (dual listings)."""
    opening = text.rfind("(", max(0, start - 30), start)
    if opening < 0:
        return None
    m = _FIRST_OF_EXCHANGES.match(text, opening + 1, start)
    exchange = canonical_exchange(m["first"], False) if m is not None else None
    return None if exchange is None else (m.start("first"), exchange)


# "(Stock code: 0775)", "(ticker symbol: IFNNY)": a label that names no exchange; the exchange
# is the one named right before the parenthesis ("Hong Kong Stock Exchange (Stock code: 0775)").
_CODE_LABEL = re.compile(r"(?i)\([ \t]*(?:stock[ \t]+code|stock[ \t]+symbol|ticker[ \t]+symbol|ticker|symbol|code)[ \t]*\Z")


def _exchange_before_code_label(text: str, colon: int) -> tuple[int, str] | None:
    """(start, exchange) for "EXCHANGE (Stock code: SYM)"; None without an exchange before it."""
    code = _CODE_LABEL.search(text, max(0, colon - 20), colon)
    if code is None:
        return None
    exchange = _exchange_ending_at(text, code.start())
    if exchange is None:  # "(Stock Code: 2318.HK)": the suffix names the exchange
        suffixed = _CODE_SUFFIX.match(text, colon)
        if suffixed is not None and suffixed["suffix"] in MARKET_SUFFIXES:
            return code.start() + 1, MARKET_SUFFIXES[suffixed["suffix"]][0]
    return exchange


_CODE_SUFFIX = re.compile(r":[ \t]*(?:[A-Z][A-Z0-9]{1,5}|\d{3,6})\.(?P<suffix>[A-Z]{1,2})\b")


def _exchange_ending_at(text: str, end: int) -> tuple[int, str] | None:
    """(start, canonical exchange) of the longest exchange name of up to 6 words ending at `end`."""
    stop = text.rfind("\n", max(0, end - 60), end)
    words = [word.start() for word in _WORD.finditer(text, stop + 1 if stop >= 0 else max(0, end - 60), end)][-6:]
    for fuzzy in (False, True):
        for start in words:
            exchange = canonical_exchange(text[start:end].strip(), fuzzy)
            if exchange is not None:
                return start, exchange
    return None


_REVERSED = re.compile(rf"\([ \t]*(?P<sym>{_SYMBOL})[ \t]*:[ \t]*(?P<label>[A-Za-z][\w .\-]{{0,28}}?)[ \t]*\)")


def _reversed_listing(text: str, colon: int) -> tuple[tuple[int, int], tuple[str, str]] | None:
    """"(UUU: CSE)", "(SL5: Frankfurt)": the symbol first, the exchange after the colon."""
    opening = text.rfind("(", max(0, colon - 10), colon)
    if opening < 0:
        return None
    m = _REVERSED.match(text, opening)
    if m is None or m.end("sym") > colon:
        return None
    exchange = canonical_exchange(m["label"], False)
    if exchange is None or canonical_exchange(m["sym"], False) is not None or not _symbol_fits_exchange(m["sym"], exchange):
        return None
    return (m.start("sym"), m.end("label")), (m["sym"], exchange)


# "... on the TSX Venture Exchange under the symbol "ABC"", "OTC Markets under the ticker ABCD",
# "will trade under its existing symbol of ABCD",
# "Nasdaq under the ticker symbols "DAIC" and "DAICW"": the exchange is named right before "under".
_UNDER_SYMBOL = re.compile(
    r"[ \t]*,?[ \t]+under[ \t]+(?:the[ \t]+|its[ \t]+)?(?:(?:new|trading|common|stock|existing|current)[ \t]+)?(?:ticker[ \t]+)?"
    rf"(?:symbols?|tickers?)[ \t]+(?:of[ \t]+)?[\"“]?(?P<sym>{_SYMBOL}{_QUOTED_SUFFIX}),?[\"”]?"
)
# The further symbols of a list: 'the symbols "ABC" and "ABC WS"', '"ABC," "ABCU" and "ABCW"'
# (joined by "and"/"&", or by a comma when quoted).
_NEXT_LISTED_SYMBOL = re.compile(
    rf"(?P<gap>[ \t,\"”]{{0,4}}?(?:(?:and|&)[ \t]+)?)(?P<open>[\"“])?(?P<sym>{_SYMBOL}{_QUOTED_SUFFIX}),?[\"”]?"
)


def _listed_symbols(text: str, first: re.Match[str]) -> Iterator[tuple[tuple[int, int], str]]:
    """(span, symbol) of the first symbol after "under the symbol(s)" and of the list it opens."""
    yield first.span("sym"), first["sym"]
    pos, last_end = first.end(), first.end("sym")
    while (m := _NEXT_LISTED_SYMBOL.match(text, pos)) is not None:
        if not (m["gap"].rstrip().endswith(("and", "&")) or ("," in text[last_end : m.start("sym")] and m["open"])):
            return
        yield m.span("sym"), m["sym"]
        pos, last_end = m.end(), m.end("sym")


def _under_symbol_listings(text: str, unders: list[int]) -> Iterator[tuple[tuple[int, int], tuple[str, str]]]:
    """`unders`: the offsets of " under " in `text`."""
    for pos in unders:
        m = _UNDER_SYMBOL.match(text, pos)
        if m is None:
            continue
        label_end = pos
        while label_end > 0 and text[label_end - 1] in " \t,":
            label_end -= 1
        exchange = (
            _exchange_ending_at(text, label_end) or _exchange_after(text, m.end()) or _trading_on_before(text, pos)
            or _trading_on_next_sentence(text, m.end())
        )
        if exchange is None:
            continue
        start, canonical = exchange
        # An exchange that heads an earlier "under the symbol" of the clause ("listed on the NYSE under
        # the symbol "ABC.U" and the warrants under the symbol "ABC WS""): the symbol alone is the span.
        start = m.start("sym") if " under " in text[start:pos] else min(start, m.start("sym"))
        for span, symbol in _listed_symbols(text, m):
            if canonical_exchange(symbol, False) is None and _symbol_fits_exchange(symbol, canonical):
                yield ((start, span[1]) if span[0] == m.start("sym") else span), (_without_market_suffix(symbol, canonical), canonical)


# A warrant, unit, right or preferred symbol built on a listed symbol: "ABCW", "ABC WS", "ABC.U",
# "ABC-WT", "ABC PRA".
_DERIVED_SUFFIX = re.compile(r"(?:[ .\-/]?(?:WS|WT|W|UN|U|RT|R)|[ .\-/]PR?[A-Z]?)\Z")


def _derived_listings(
    text: str, found: dict[tuple[int, int], tuple[str, str]], unders: list[int]
) -> Iterator[tuple[tuple[int, int], tuple[str, str]]]:
    """"the warrants, listed under the ticker symbol "ABC WS"" with no exchange in reach: a warrant
    (unit, right, preferred) symbol of a symbol the text lists is on that symbol's exchange."""
    exchange_of = {symbol: exchange for symbol, exchange in found.values()}
    for pos in unders:
        m = _UNDER_SYMBOL.match(text, pos)
        if m is None:
            continue
        for span, symbol in _listed_symbols(text, m):
            suffix = _DERIVED_SUFFIX.search(symbol, 1)
            base = symbol[: suffix.start()] if suffix is not None else None
            if base in exchange_of and symbol not in exchange_of:
                yield span, (symbol, exchange_of[base])


_EXCHANGE_WORDS = re.compile(r"[A-Z][\w.\-/&]*(?:[ \t]+[A-Z][\w.\-/&]*){0,5}")


def _exchange_starting_at(text: str, start: int) -> tuple[int, str] | None:
    """(end, canonical exchange) of the longest exchange name of up to 6 capitalised words at `start`."""
    m = _EXCHANGE_WORDS.match(text, start)
    if m is None:
        return None
    ends = [word.end() for word in _WORD.finditer(text, start, m.end())]
    for fuzzy in (False, True):
        for end in reversed(ends):
            while end > start and text[end - 1] in ".,;:":
                end -= 1
            exchange = canonical_exchange(text[start:end], fuzzy)
            if exchange is not None:
                return end, exchange
    return None


_ON_EXCHANGE = re.compile(r"[ \t]+(?:on|in)[ \t]+(?:the[ \t]+)?")


def _exchange_after(text: str, pos: int) -> tuple[int, str] | None:
    """(start, exchange) for "... under the symbol X on the Nasdaq Global Market": the exchange follows."""
    on = _ON_EXCHANGE.match(text, pos)
    if on is None:
        return None
    exchange = _exchange_starting_at(text, on.end())
    return None if exchange is None else (pos, exchange[1])


# "begin trading on Nasdaq shortly after closing under the symbols ...", "trade on Nasdaq on June
# 23, 2025, under the symbols ...": the exchange is named after a trading verb earlier in the clause.
_TRADING_ON = re.compile(r"(?<![A-Za-z])(?:trade|trades|traded|trading|listed|quoted)[ \t]+on[ \t]+(?:the[ \t]+)?")
_CLAUSE_END = re.compile(r"[.;!?:][ \t]|\n|[.;!?:]\Z")
_CLAUSE_WINDOW = 80


def _trading_on_before(text: str, pos: int) -> tuple[int, str] | None:
    """(start, exchange) of the last "trading on EXCHANGE" within the clause ending at `pos`."""
    window = max(0, pos - _CLAUSE_WINDOW)
    last = None
    for last in _TRADING_ON.finditer(text, window, pos):
        pass
    if last is None:
        return None
    exchange = _exchange_starting_at(text, last.end())
    if exchange is None or _CLAUSE_END.search(text, exchange[0], pos) is not None:
        return None
    return last.end(), exchange[1]


_SENTENCE_BREAK = re.compile(r"[ \t]*[.;][ \t]+")
# The subject of the next sentence: a pronoun for the symbol's company, or a name (checked against the
# symbol's sentence), then an optional adverb, right before the trading verb.
_NEXT_SUBJECT = re.compile(
    r"(?:(?P<pronoun>It|Its[ \t]+(?:common[ \t]+)?(?:stock|shares)|The[ \t]+[Cc]ompany(?:['’]s[ \t]+(?:common[ \t]+)?(?:stock|shares))?)"
    r"|(?P<name>[A-Z][^\n;:!?]{1,60}?))[ \t]+(?:(?:currently|also|now|already)[ \t]+)?\Z"
)
_NEXT_SENTENCE_WINDOW = 80
_SYMBOL_SENTENCE_WINDOW = 300


def _trading_on_next_sentence(text: str, pos: int) -> tuple[int, str] | None:
    """(pos, exchange) for "Example Bancorp will trade under its existing symbol of ABCD. Example Bancorp
    currently trades on OTCQB": a symbol that ends its sentence, with no exchange in that clause, is on
    the exchange the next sentence trades on, when that sentence's subject is "it"/"the company" or a
    name printed in the 300 characters before the symbol, and its trading verb comes within its first
    80 characters."""
    gap = _SENTENCE_BREAK.match(text, pos)
    if gap is None:
        return None
    start = gap.end()
    verb = _TRADING_ON.search(text, start, start + _NEXT_SENTENCE_WINDOW)
    if verb is None:
        return None
    subject = _NEXT_SUBJECT.fullmatch(text, start, verb.start())
    if subject is None:
        return None
    if subject["name"] is not None:
        sentence = text[max(0, pos - _SYMBOL_SENTENCE_WINDOW) : pos]
        if subject["name"] not in sentence:
            return None
    exchange = _exchange_starting_at(text, verb.end())
    return None if exchange is None else (pos, exchange[1])


# "Centiel (CNTL) is listed on the SIX Swiss Exchange": the symbol in parentheses, then the listing verb.
_SYMBOL_IS_LISTED = re.compile(
    rf"\([ \t]*(?P<sym>{_SYMBOL})[ \t]*\)[ \t]+(?:is|are)[ \t]+(?:(?:also|now)[ \t]+)?(?:listed|traded|quoted)"
    r"[ \t]+(?:on|in)[ \t]+(?:the[ \t]+)?"
)


# "Cactus Acquisition Corp. (CCTS), a NASDAQ-listed SPAC": the listing follows as an adjective.
_SYMBOL_EXCHANGE_LISTED = re.compile(
    rf"\([ \t]*(?P<sym>{_SYMBOL})[ \t]*\),?[ \t]+(?:a|an|the)[ \t]+(?P<label>[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){{0,3}}?)[ \t]*[- ]listed\b"
)


def _symbol_is_listed_on(text: str, verbs: _VerbStems) -> Iterator[tuple[tuple[int, int], tuple[str, str]]]:
    """Tried before each listing verb ("is listed", "NASDAQ-listed", "traded", "quoted"): the closing
    parenthesis of the symbol is looked for just before it."""
    closes = set()
    traded = [pos for pos in verbs.trade if text.startswith("raded", pos)]
    for needle_positions in (verbs.listed, traded, verbs.quoted):
        for pos in needle_positions:
            close = text.rfind(")", max(0, pos - 40), pos)
            if close >= 0:
                closes.add(close)
    for close in sorted(closes):
        opening = text.rfind("(", max(0, close - 14), close)  # "(SYM) is listed", "(SYM), a NASDAQ-listed"
        if opening < 0:
            continue
        if (m := _SYMBOL_IS_LISTED.match(text, opening)) is not None:
            exchange = _exchange_starting_at(text, m.end())
        elif (m := _SYMBOL_EXCHANGE_LISTED.match(text, opening)) is not None:
            label = canonical_exchange(m["label"], False)
            exchange = None if label is None else (m.end("label"), label)
        else:
            continue
        symbol = m["sym"]
        if exchange is None or canonical_exchange(symbol, False) is not None or not _symbol_fits_exchange(symbol, exchange[1]):
            continue
        yield (m.start("sym"), exchange[0]), (_without_market_suffix(symbol, exchange[1]), exchange[1])


# "(ECNL.MI)", "(0700.HK)": a symbol alone in parentheses with the suffix of its exchange (the
# quote-vendor form). The symbol is reported without the suffix, the exchange from the suffix.
# Market suffixes ("0700.HK", "ENI.MI", "SHOP.TO"): the first name is the exchange a suffixed
# listing is reported on; the others are the names a record may give that market (the validator's
# `market_matches`).
MARKET_SUFFIXES: dict[str, tuple[str, ...]] = {
    "SH": ("SSE", "SH", "SS", "SHA", "SHSE", "XSHG", "SHANGHAI"),
    "SS": ("SSE", "SH", "SS", "SHA", "SHSE", "XSHG", "SHANGHAI"),
    "SZ": ("SZSE", "SZ", "SHE", "SZE", "XSHE", "SHENZHEN"),
    "HK": ("HKEX", "HK", "SEHK", "HKSE", "HONG KONG"),
    "MI": ("Borsa Italiana", "MI", "BIT", "MTA", "MIL", "EXM", "EGM", "MILAN", "MILANO", "ITALIA", "ITALIAN"),
    "T": ("TSE", "T", "TYO", "TOKYO", "JPX"),
    "L": ("LSE", "L", "LON", "LONDON", "AIM"),
    "PA": ("Euronext Paris", "PA", "EPA", "PARIS"),
    "AS": ("Euronext Amsterdam", "AS", "AMS", "AMSTERDAM"),
    "BR": ("Euronext Brussels", "BR", "EBR", "BRUSSELS"),
    "LS": ("Euronext Lisbon", "LS", "ELI", "LISBON"),
    "MC": ("BME", "MC", "MADRID", "SPANISH"),
    "DE": ("FSE", "Xetra", "DE", "ETR", "FRANKFURT"),
    "F": ("FSE", "F", "FRA", "XETRA", "FRANKFURT"),
    "AX": ("ASX", "AX", "AUSTRALIA", "AUSTRALIAN"),
    "NZ": ("NZX", "NZ", "NEW ZEALAND"),
    "TO": ("TSX", "TO", "TORONTO"),
    "V": ("TSXV", "V", "CVE", "VENTURE"),
    "CN": ("CSE", "CN", "CANADIAN SECURITIES"),
    "NE": ("CBOE", "NE", "NEO", "CBOE CANADA"),
    "ST": ("Nasdaq Stockholm", "ST", "STO", "STOCKHOLM"),
    "HE": ("Nasdaq Helsinki", "HE", "HEL", "HELSINKI"),
    "CO": ("Nasdaq Copenhagen", "CO", "CPH", "COPENHAGEN"),
    "OL": ("Oslo Bors", "OL", "OSE", "OSLO"),
    "SW": ("SIX", "SW", "SWISS", "ZURICH"),
    "VI": ("Wiener Borse", "VI", "VIE", "VIENNA", "WIEN"),
    "WA": ("WSE", "WA", "GPW", "WARSAW", "WARSZAWA"),
    "KS": ("KRX", "KS", "KOSPI", "KOREA"),
    "KQ": ("KOSDAQ", "KQ", "KRX", "KOREA"),
    "TW": ("TWSE", "TW", "TAIWAN"),
    "SI": ("SGX", "SI", "SINGAPORE"),
    "TA": ("TASE", "TA", "TEL AVIV"),
    "JO": ("JSE", "JO", "JOHANNESBURG"),
    "NS": ("NSE", "NS", "NATIONAL STOCK EXCHANGE"),
    "BO": ("BSE", "BO", "BOMBAY"),
    "SA": ("B3", "SA", "BOVESPA"),
}
_SUFFIX_LISTING = re.compile(r"\([ \t]*(?P<sym>[A-Z][A-Z0-9]{1,5}|\d{3,6})\.(?P<suffix>[A-Z]{1,2})[ \t]*\)")


def _suffix_listings(text: str) -> Iterator[tuple[tuple[int, int], tuple[str, str]]]:
    for close in find_all(text, ")"):
        if "." not in text[close - 4 : close]:
            continue  # cheap test: the suffix ".X" / ".XX" sits right before the parenthesis closes
        opening = text.rfind("(", max(0, close - 12), close)
        m = _SUFFIX_LISTING.match(text, opening) if opening >= 0 else None
        if m is not None and (names := MARKET_SUFFIXES.get(m["suffix"])) is not None:
            yield (m.start("sym"), m.end("suffix")), (m["sym"], names[0])


# "(SHE: 000538)", "(SHA: 600519)": Shenzhen/Shanghai labels too common as words to be exchanges
# anywhere else; they count only before a six-digit code. Kept as printed.
_CODE_ONLY_LABELS = frozenset({"SHE", "SHA", "SSE", "SZSE", "SEHK"})
_SIX_DIGITS = re.compile(r"\d{6}")


# "(A-share: 600690.SH; H-share: 06690.HK; D-share: 690D.DE)": a share-class label names no
# exchange; the symbol's market suffix does.
_SHARE_CLASS_LABEL = re.compile(r"(?<![A-Za-z])[A-Z][ \t-]?[Ss]hares?[ \t]*\Z")
_MARKET_SUFFIX = re.compile(r"\.(?P<suffix>[A-Z]{1,2})\Z")


def _share_class_label(text: str, colon: int, symbol: str) -> tuple[int, str] | None:
    suffix = _MARKET_SUFFIX.search(symbol)
    if suffix is None or suffix["suffix"] not in MARKET_SUFFIXES:
        return None
    label = _SHARE_CLASS_LABEL.search(text, max(0, colon - 10), colon)
    return (label.start(), MARKET_SUFFIXES[suffix["suffix"]][0]) if label is not None else None


def _without_market_suffix(symbol: str, exchange: str) -> str:
    """"HKEX: 2318.HK" -> "2318": the guide writes symbols without the exchange, and a suffix naming
    the listing's own market is the exchange again. Any other ending is part of the symbol (a class
    letter: "NYSE: BRK.B", "NASDAQ: AA.F")."""
    suffix = _MARKET_SUFFIX.search(symbol)
    if suffix is None or exchange not in MARKET_SUFFIXES.get(suffix["suffix"], ()):
        return symbol
    return symbol[: suffix.start()]


def _code_only_label(text: str, colon: int, symbol: str) -> tuple[int, str] | None:
    if not _SIX_DIGITS.fullmatch(symbol):
        return None
    start = colon
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    label = text[start:colon]
    return (start, label) if label in _CODE_ONLY_LABELS else None


# "(TSX.V YEG)", "(NYSE DHR; TSX DHR)": an exchange label and a symbol inside parentheses with
# no colon. The label must read as an exchange exactly (no fuzzy match), the symbol must not be
# an exchange or a tier ("(NASDAQ GS)", "(LSE AIM)"), and the listing must close the parenthesis
# or be followed by ; , or | (so "(NYSE ABC shares rose)" is not one).
_SPACED_LISTING = re.compile(rf"[(;|,][ \t]*(?P<label>[A-Za-z][A-Za-z.\-]{{1,11}})[ \t]+(?P<sym>{_SYMBOL})[ \t]*(?=[);,|])")


def _spaced_listings(text: str) -> Iterator[tuple[tuple[int, int], tuple[str, str]]]:
    for opening in find_all(text, "("):
        pos = opening
        while (m := _SPACED_LISTING.match(text, pos)) is not None:
            label, symbol = m["label"], m["sym"]
            exchange = canonical_exchange(label, False)
            if (
                exchange is None
                or canonical_exchange(symbol, False) is not None
                or canonical_exchange(f"{label} {symbol}", False) is not None
                or not _symbol_fits_exchange(symbol, exchange)
            ):
                break
            yield (m.start("label"), m.end("sym")), (symbol, exchange)
            pos = m.end()


def _inside_parentheses(text: str, pos: int) -> bool:
    opening = text.rfind("(", max(0, pos - 4), pos + 1)
    return opening >= 0 and text[opening + 1 : pos].strip() == ""


def _iter_more_symbols(text: str, pos: int) -> Iterator[re.Match[str]]:
    while (more := _MORE_SYMBOLS.match(text, pos)) is not None:
        yield more
        pos = more.end()
