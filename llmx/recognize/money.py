"""Money recognizer: every currency amount in a text, with its value and exact span.

What counts as money: a number tied to a currency, either by a sign or code before it
("$2 million", "US$1.2B", "USD 5,000,000", "C$4.5 million", "€50M", "CHF 3 million") or by a
currency word or code after it ("1.2 million euros", "two million dollars", "5,000 USD").
Numbers without a currency (percentages, share counts, years, dates, phone numbers) are
never money. Scale words and suffixes (thousand/k, million/M/MM/mn/mln, billion/B/bn/bln,
trillion/tn/trn) multiply the value, so "$1.5 billion" and "$1.5 million" differ.

Rules worth knowing:
- Ranges yield one mention per bound: "$10-12 million" -> 10,000,000 ("$10") and 12,000,000
  ("12 million"). An unscaled lower bound borrows the upper bound's scale only when it is
  not larger than the upper bound's printed number ("$10 to $12 million"), never for
  "$500,000 to $2 million". Lists share a scale printed once at their end the same way:
  "$1.2, $3.4 and $5.6 million" -> 1,200,000, 3,400,000, 5,600,000. Bound spans never overlap (the role rules read the words around
  each bound), so they can be shorter than a gold `text` that repeats the shared sign/scale.
- A bare "$" is USD unless the document states otherwise ("all amounts are in Canadian
  dollars", "expressed in C$"); then it takes that currency.
- Tables: a caption such as "(in thousands)", "(in millions of US dollars)", "($000s)"
  scales the currency-marked amounts of the table (Markdown '|' rows) that follows it, or of
  its own paragraph when no table follows. Rows mentioning "per share" are not scaled when
  the caption says "except per share". A mention's value is the scaled value; its text and
  span are still exactly what is printed.
- Values are magnitudes: "($1,234)", "-$5 million" and accounting negatives with the
  parentheses after the sign ("$(0.21)", "€ (1,234)", "$(9.4) million") give positive values;
  the latter keep both parentheses in their text. A minus after the sign ("EUR -4.9m") too.
- A dollar named after a bare "$" amount wins over the document's dollar: "$25 million
  Canadian", "$2.1 million (CAD)" (see `_dollar_named_after`).
- Par values and per-unit prices ("$0.01 par value", "$2.50 per unit") never take a caption's scale.
- Currency words after a number: dollars (with an optional country: "Canadian dollars"),
  euros, yen, yuan, francs, sterling/"pounds sterling"; bare "pounds" is weight unless
  qualified ("British pounds"). Spelled numbers work with them ("two million dollars").
- Minor units: "25 cents", "twelve cents", "an 8-cent stock" are hundredths of the document's
  dollar; "1.2 pence" and "23.97p per share" hundredths of a pound (see `_minor_unit_amounts`).
- Amounts inside URLs are ignored; OCR look-alike letters inside a number ("$1O.5") and in
  scale words ("rnillion") are read as the digits/words they stand for.

Speed: Python's `re` scans text at roughly 50 MB/s per pattern, and much slower for patterns
that start with an alternation, so no big pattern is ever run over the whole text. Cheap
C-level searches (`str.find` for signs and word stems, one `[A-Z][A-Z]+` scan for ISO codes)
locate candidate positions and the full grammar is matched only there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from llmx.recognize.tables import find_table_cells, is_per_unit_amount, table_exponent
from llmx.recognize.text import IGNORECASE_ASCII_FOLDS, find_all, normalize

__all__ = ["MoneyMention", "find_money"]


@dataclass(frozen=True, slots=True)
class MoneyMention:
    value: float
    currency: str
    text: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {"type": "money", "value": value, "currency": self.currency, "text": self.text, "span": list(self.span)}


# --- currency lexicon ----------------------------------------------------------------------

# ISO 4217 codes recognised before ("USD 5 million") and after ("5,000 USD") a number.
_ISO_CODES = frozenset(
    "USD CAD AUD NZD HKD SGD TWD MXN BRL EUR GBP JPY CNY INR KRW CHF SEK NOK DKK ISK PLN CZK HUF ZAR ILS "
    "AED SAR TRY RUB NGN THB IDR MYR VND".split()
)
# Signs, and letter+sign prefixes, before a number. "$" alone is the document's dollar.
_SIGNS: dict[str, str] = {
    "$": "$", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₽": "RUB",
    "₺": "TRY", "₦": "NGN", "₫": "VND",
}
_LETTER_SIGNS: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "USD$": "USD", "US $": "USD",
    "C$": "CAD", "CA$": "CAD", "CAD$": "CAD", "CDN$": "CAD", "Cdn$": "CAD", "Can$": "CAD",
    "A$": "AUD", "AU$": "AUD", "AUD$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "SG$": "SGD",
    "NT$": "TWD", "MX$": "MXN", "R$": "BRL", "CN¥": "CNY", "RMB¥": "CNY",
    # Spaced forms that cannot be an English word before "$" ("A $5 million" and "C $" can).
    "AU $": "AUD", "HK $": "HKD", "NZ $": "NZD",
}
_PREFIX_CURRENCY: dict[str, str] = {**_SIGNS, **_LETTER_SIGNS, **{code: code for code in _ISO_CODES}, "RMB": "CNY"}
# Words naming a currency after the number; "dollars" takes its country from a qualifier.
_QUALIFIERS: dict[str, str] = {
    "us": "USD", "u.s.": "USD", "united states": "USD", "american": "USD", "canadian": "CAD", "cdn": "CAD",
    "australian": "AUD", "new zealand": "NZD", "hong kong": "HKD", "singapore": "SGD", "new taiwan": "TWD",
    "taiwan": "TWD", "british": "GBP", "swiss": "CHF", "swedish": "SEK", "norwegian": "NOK", "danish": "DKK",
}
_CURRENCY_WORDS: dict[str, str | None] = {
    "dollar": "$", "dollars": "$", "euro": "EUR", "euros": "EUR", "yen": "JPY", "yuan": "CNY",
    "sterling": "GBP", "pounds sterling": "GBP", "pounds": None, "franc": "CHF", "francs": "CHF",
}  # None: only with a qualifier ("15 million pounds" of lead is weight; "British pounds" is money)
# Literal needles (fast C `str.find`) locating the currency words, with the offset of the word
# start; the regex below confirms each hit. Case variants are covered by leaving out letter one.
_WORD_NEEDLES = {"ollar": 1, "uro": 1, "terling": 2, "ounds": 1, "ranc": 1, "yen": 0, "Yen": 0, "yuan": 0, "Yuan": 0}
_CODE_WORDS = _ISO_CODES | {"RMB"}  # three-letter currency codes: ISO plus RMB (the renminbi, CNY)
# A code counts with no letter either side ("5 USD," not "USDC"), so it is a run of exactly three
# ASCII capitals. Such runs are found in a copy of the text with one byte per character (ASCII
# capitals -> "A", lower-case ASCII letters -> "a", everything else -> " "), where they print as
# " AAA ": a C-level byte search, where a regex would be tried at every capital of the text.
_LETTER_CLASSES = bytes(65 if 65 <= byte <= 90 else 97 if 97 <= byte <= 122 else 32 for byte in range(256))
# Bare "¥" is the yen unless the text names the yuan and never the yen.
_YUAN_NAMED = re.compile(r"\b(?:RMB|CNY|[Yy]uan|[Rr]enminbi)\b")
_YEN_NAMED = re.compile(r"\b(?:JPY|[Yy]en)\b")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# --- number grammar ------------------------------------------------------------------------

# Digits with OCR look-alikes (O/o for 0, l/I for 1) allowed only next to a real digit.
_D = r"(?:\d|(?<=\d)[OolI]|[OolI](?=\d))"
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:\.\d{{3}}){{2,}}(?:,\d+)?|\d{{1,3}},\d\d|{_D}+(?:\.{_D}+)?|\.\d+)"
    r"(?!\d|,\d)"
)
_SCALE_EXPONENTS = {
    "thousand": 3, "k": 3, "K": 3,
    "million": 6, "mln": 6, "mn": 6, "mil": 6, "mm": 6, "MM": 6, "m": 6, "M": 6,
    "billion": 9, "bln": 9, "bn": 9, "b": 9, "B": 9,
    "trillion": 12, "tn": 12, "trn": 12, "T": 12,
    "lakh": 5, "crore": 7,
}
# Text extraction runs a scale into the next word ("EUR 2.1bnNominal capacity", "$4kThe"): a
# capitalised word right after it still ends the scale; unit symbols ("MWh", "MHz", "kPa") do not.
_GLUED_WORD = r"(?=[A-Z][a-z])(?!Wh|Hz|Pa)"
# A scale word (any case, OCR-tolerant: "Mi11ion", "rnillion", "miIlion" with a capital I,
# "mil-\nlion" hyphenated across a line break) after an optional space/hyphen,
# or a scale letter glued to the number ("$18.4M", "$500K", "$5MM").
_SCALE = (
    r"(?:\+?(?:[ \t-]|\r?\n)?(?i:(?P<word>thousand|(?:m|rn|b|tr)[il1|]{2}(?:-[ \t]*\r?\n[ \t]*)?[il1|]{2}[o0]ns?|mln|bln|mn|bn|trn|tn|mil|lakh|crore))"
    rf"(?:\b|{_GLUED_WORD})|\+?(?P<letter>MM|mm|[kKmMbBT])(?:(?![A-Za-z0-9])|{_GLUED_WORD}))"  # "$3+ billion", "$5+M": at least the number
)
_PREFIX = (
    rf"(?P<prefix>(?<![A-Za-z0-9$])(?:{_alternation(k for k in _PREFIX_CURRENCY if k[0].isalpha())})"
    rf"|(?<![A-Za-z])(?:{_alternation(k for k in _PREFIX_CURRENCY if not k[0].isalpha())}))"
    r"(?:[ \t]?\$)?[ \t]{0,3}"  # "USD $1.16", "$ 1,234" (tables)
)
_CONNECTOR = r"[ \t]*(?P<conn>-|to|through|and)[ \t]*"


def _named(pattern: str, suffix: str) -> str:
    """`pattern` with its group names made unique by `suffix` (the grammar reuses pieces)."""
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m[1]}{suffix}>", pattern)


# "(£0.4)M": a scale right after the closing parenthesis of "(SIGN NUMBER)".
_SCALE_AFTER_CLOSE = re.compile(rf"\){_named(_SCALE, 'c')}")

# Matched at a candidate position (never scanned over the whole text: that is the slow part).
# A number right after the sign may sit in accounting parentheses, "$(0.21)" or "$ (1,234)",
# printed as a unit with the sign; the span keeps both parentheses (values are magnitudes).
_PREFIXED = re.compile(
    rf"{_named(_PREFIX, '1')}(?P<minus1>[-\u2212](?=\d))?(?P<open1>\()?(?P<num1>{_NUMBER})(?(open1)(?:{_named(_SCALE, 'i1')})?(?P<close1>\))){_named(_SCALE, '1')}?"
    rf"(?:{_CONNECTOR}(?:{_named(_PREFIX, '2')}(?P<open2>\()?)?(?P<num2>{_NUMBER})(?(open2)\)){_named(_SCALE, '2')}?)?"
)
# Text extraction glues a sign to the word before it ("Debt$ 45,078,253", "implant$3,000"): after
# a lower-case word a non-letter sign is still a sign (the letter-sign reading was tried first).
_PREFIX_AFTER_WORD = (
    rf"(?P<prefix>(?:{_alternation(k for k in _PREFIX_CURRENCY if not k[0].isalpha())}))(?:[ \t]?\$)?[ \t]{{0,3}}"
)
_PREFIXED_AFTER_WORD = re.compile(_PREFIXED.pattern.replace(_named(_PREFIX, "1"), _named(_PREFIX_AFTER_WORD, "1"), 1))
_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
_LATER_WORDS = _alternation(word for word in _NUMBER_WORDS if word != "a")
# "one thousand seven hundred USD" is 1,700: "thousand" inside a spelled number, when more number
# words follow it ("five thousand dollars" keeps "thousand" as the scale).
_INNER_THOUSAND = rf"thousand(?=[ \t-]+(?:and[ \t]+)?(?:{_LATER_WORDS})\b)"
_DIGIT_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
# "one point five billion dollars", "three hundred and two point six million dollars": spelled decimals.
_SPELLED = (
    rf"(?i:(?:{_alternation(_NUMBER_WORDS)})(?:[ \t-]+(?:and[ \t]+)?(?:{_LATER_WORDS}|{_INNER_THOUSAND}))*"
    rf"(?:[ \t]+point(?:[ \t]+(?:{_alternation(_DIGIT_WORDS)}))+)?)"
)
# Searched in a short window that ends where a currency word/code starts.
_SUFFIX_BODY = re.compile(
    rf"(?<![\w.$])(?:(?P<num1>{_NUMBER})|(?P<spelled>{_SPELLED}))"
    rf"(?:{_CONNECTOR}(?P<num2>{_NUMBER}))?{_named(_SCALE, '1')}?"
    rf"[ \t-]*(?i:(?P<qual>{_alternation(_QUALIFIERS)})[ \t]+)?\Z"
)
_CURRENCY_WORD = re.compile(rf"(?i:{_alternation(_CURRENCY_WORDS)})\b")
_SUFFIX_WINDOW = 120
# "half a billion dollars" is 500,000,000; the fraction word joins the span.
_FRACTIONS = {"half": Decimal("0.5"), "quarter": Decimal("0.25"), "three quarters": Decimal("0.75")}
_FRACTION_BEFORE = re.compile(r"(?i)\b(?:(?:a|one)[ \t]+)?(?P<frac>half|quarter|three[ \t]+quarters)(?:[ \t]+of)?[ \t]+\Z")
_VAGUE_BEFORE = re.compile(r"(?i)\b(?:few|several|couple(?:[ \t]+of)?|many)[ \t]+\Z")
_BETWEEN = re.compile(r"(?i)\bbetween[ \t]+\Z")
_OCR_DIGITS = str.maketrans("OolI", "0011")
_LETTERS_BEFORE = re.compile(r"(?:U\.S\.|[A-Za-z]{1,4})[ \t]?\Z")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

# A document-level statement that a bare "$" means another dollar ("All amounts are expressed
# in Canadian dollars"); checked only in front of a qualified dollar, code or letter sign.
_DOC_CURRENCY_CONTEXT = re.compile(
    r"(?i)\b(?:all|amounts?|figures|expressed|stated|presented|reported|denominated|unless)\b[^.\n]{0,60}?"
    r"\bin[ \t]+(?:(?:thousands|millions)[ \t]+of[ \t]+)?\Z"
)
_DOLLAR_CODES = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD"})

# Table captions that scale the amounts under them: "(in thousands)", "(US$ in millions, except
# per share data)", "Amounts in thousands of U.S. dollars", "($000s)".
_CAPTION_UNITS = {"thousands": 3, "millions": 6, "billions": 9}
_CAPTION_BEFORE_PAREN = re.compile(r"(?i)\((?:[^()\n]{0,30}?[ \t,])?in[ \t]+\Z")
_CAPTION_AFTER_PAREN = re.compile(r"(?i)\b(?P<rest>[^()\n]{0,80})\)")
_CAPTION_BEFORE_OF = re.compile(r"(?i)\bin[ \t]+\Z")
_CAPTION_AFTER_OF = re.compile(
    r"(?i)\b[ \t]+of[ \t]+(?:[a-z.]+[ \t]+){0,2}(?:dollars|euros|(?-i:[A-Z]{3})\b)(?P<rest>[^\n]{0,60})"
)
_CAPTION_ZEROS = re.compile(r"\((?:[$\u20ac\u00a3]|US\$|C\$)[ \t]?(?P<zeros>'?000s?|000,000)\)")


@dataclass(frozen=True, slots=True)
class _Amount:
    start: int
    end: int
    value: Decimal
    currency: str
    scaled: bool  # printed with a scale word/letter, so table captions do not apply
    exponent: int = 0  # the printed scale (6 for "million"), which a list's other items may share


@dataclass(frozen=True, slots=True)
class _ScaledRegion:
    start: int
    end: int
    exponent: int
    except_per_share: bool


def find_money(text: str) -> list[MoneyMention]:
    """Every money amount in `text`, in text order; ranges yield one mention per bound."""
    normalized = normalize(text)
    norm = normalized.text
    codes = _code_positions(norm)
    signs = sorted(pos for sign in _SIGNS if sign in norm for pos in find_all(norm, sign))
    words = sorted(pos - offset for needle, offset in _WORD_NEEDLES.items() for pos in find_all(norm, needle) if pos >= offset)
    minor = {needle: anchors for needle in _MINOR_NEEDLES if (anchors := find_all(norm, needle))}
    if not (codes or signs or words or minor):
        return []
    dollar = _document_dollar(norm, codes, signs, words)
    amounts = _list_scaled(norm, _prefixed_amounts(norm, dollar, sorted(codes + signs)))
    amounts += _suffixed_amounts(norm, dollar, sorted(set(codes + words + signs)), amounts)
    if minor:
        amounts += _minor_unit_amounts(norm, dollar, amounts, minor)
    cells, tables = find_table_cells(norm, dollar, [(a.start, a.end) for a in amounts])
    amounts += [_Amount(cell.start, cell.end, cell.value, cell.currency, True) for cell in cells]
    if not amounts:
        return []
    regions = _scaled_regions(norm)  # after the amounts: most texts have none, so this is skipped
    kept = [amount for amount in sorted(amounts, key=lambda a: (a.start, a.end)) if not _inside_url(norm, amount.start)]
    values = [amount.value if amount.scaled else _table_scaled(norm, amount, regions, tables) for amount in kept]
    values = _headline_scaled(norm, kept, values)
    yuan = "¥" in norm and _YUAN_NAMED.search(norm) is not None and _YEN_NAMED.search(norm) is None
    mentions = []
    for amount, value in zip(kept, values):
        start, end = normalized.span(amount.start, amount.end)
        currency = "CNY" if yuan and amount.currency == "JPY" and norm[amount.start] == "¥" else amount.currency
        mentions.append(MoneyMention(float(value), currency, text[start:end], (start, end)))
    return mentions


def _headline_scaled(text: str, amounts: list[_Amount], values: list[Decimal]) -> list[Decimal]:
    """Headlines abbreviate: "Lands $50 PIPE Deal" over a body printing "$50,000,000".

    An unscaled whole amount below 1,000 on the first line takes the scale (thousand, million,
    billion) under which the body prints the same digits in the same currency; with no such
    body amount it stays as printed.
    """
    first = len(text) - len(text.lstrip())
    newline = text.find("\n", first)
    headline_end = len(text) if newline < 0 else newline
    if not any(a.start < headline_end and not a.scaled for a in amounts):
        return values
    body = {(value, a.currency) for a, value in zip(amounts, values) if a.start >= headline_end}
    scaled = list(values)
    for index, (amount, value) in enumerate(zip(amounts, values)):
        if amount.start >= headline_end or amount.scaled or value >= 1000 or value != value.to_integral_value():
            continue
        for exponent in (6, 9, 3):
            if (value * 10**exponent, amount.currency) in body:
                scaled[index] = value * 10**exponent
                break
    return scaled


def _inside_url(text: str, pos: int) -> bool:
    """True when `pos` is inside a URL ("https://x.com/raises-$5-million"): slugs are not amounts."""
    lo = max(0, pos - 300)
    token_start = max(lo - 1, *(text.rfind(sep, lo, pos) for sep in " \n(<")) + 1
    token = text[token_start:pos]
    return "://" in token or token.startswith("www.")



def _code_positions(text: str) -> list[int]:
    """Start of every currency code (`_CODE_WORDS`) with no letter right before or after it, in text order."""
    # "?" stands for each non-ASCII character (one byte each, so offsets hold); it maps to " ", and
    # `_is_word_at` then tells whether that character is a letter.
    classes = b" " + text.encode("ascii", "replace").translate(_LETTER_CLASSES) + b" "
    found = []
    pos = classes.find(b" AAA ")
    while pos >= 0:  # classes[pos + 1] is text[pos]
        if text[pos : pos + 3] in _CODE_WORDS and _is_word_at(text, pos, 3):
            found.append(pos)
        pos = classes.find(b" AAA ", pos + 4)
    return found


def _is_word_at(text: str, pos: int, length: int) -> bool:
    before = text[pos - 1] if pos else " "
    after = text[pos + length] if pos + length < len(text) else " "
    return not (before.isalpha() or after.isalpha())


def _prefixed_amounts(text: str, dollar: str, candidates: list[int]) -> list[_Amount]:
    """Amounts introduced by a currency sign or code, including ranges ("$10-12 million")."""
    amounts: list[_Amount] = []
    last_end = -1
    for pos in candidates:
        if pos < last_end:
            continue
        m = _match_prefixed(text, pos)
        if m is None:
            continue
        last_end = m.end()
        found = _amounts_from_prefixed(text, m, dollar)
        after = _dollar_named_after(text, m.end()) if found and "$" in (m["prefix1"], m["prefix2"]) else None
        if after is not None:  # "$25 million Canadian": the word after names the bare sign's dollar
            found = [replace(a, currency=after) if _bare_dollar(text, m, a) else a for a in found]
        amounts += found
    return amounts


# A dollar named right after a bare-"$" amount: "$25 million Canadian", "$4.5 million (CAD)",
# "$3 million US dollars". A country word counts only before "dollar(s)", a clause end or a
# function word ("$5 million Canadian in the round"); "$10 million U.S. expansion" and
# "$1.2 million (US$0.9 million)" (a conversion that follows) name nothing.
_DOLLAR_AFTER = re.compile(
    r"[ \t]*\(?(?:(?P<qual>Canadian|Cdn|CDN|Australian|U\.S\.|US|Hong[ \t]+Kong|New[ \t]+Zealand|Singapore)"
    r"(?P<dollars>[ \t]+[Dd]ollars?\b)?|(?P<code>USD|CAD|AUD|NZD|HKD|SGD)\b)(?![ \t]*\$|[ \t]*\d)"
)
_CLAUSE_AFTER = re.compile(
    r"\)?(?:[ \t]*(?:[,;:)!?\n]|\.(?!\w)|\Z)|[ \t]+(?:in|on|for|to|from|and|or|of|at|by|with|was|were|is|are|"
    r"each|per|plus|net|cash|respectively|dollars?)\b)"
)
_DOLLAR_QUALIFIERS = {"Canadian": "CAD", "Cdn": "CAD", "CDN": "CAD", "Australian": "AUD", "U.S.": "USD", "US": "USD",
                      "Hong Kong": "HKD", "New Zealand": "NZD", "Singapore": "SGD"}


def _dollar_named_after(text: str, pos: int) -> str | None:
    """The dollar a country word or code right after `pos` names, or None."""
    m = _DOLLAR_AFTER.match(text, pos, min(len(text), pos + 40))
    if m is None:
        return None
    if m["code"]:
        return m["code"]
    if m["dollars"] is None and not _CLAUSE_AFTER.match(text, m.end()):
        return None
    return _DOLLAR_QUALIFIERS[re.sub(r"[ \t]+", " ", m["qual"])]


def _bare_dollar(text: str, m: re.Match[str], amount: _Amount) -> bool:
    """True when `amount` (from match `m`) is marked only by a bare "$" (its own or the range's)."""
    if text[amount.start] == "$":
        return True
    return amount.start == m.start("num2") and m["prefix1"] == "$"


def _match_prefixed(text: str, pos: int) -> re.Match[str] | None:
    letters = _LETTERS_BEFORE.search(text, max(0, pos - 5), pos) if text[pos] in _SIGNS else None
    if letters is not None:
        # Every letter prefix ("US$", "C$", "USD") starts with a capital: after "of", "to", "and" the
        # letters can begin no prefix, and the grammar is not tried there.
        m = _PREFIXED.match(text, letters.start()) if text[letters.start()] in _CAPITALS else None
        if m is not None:
            return m
        word = letters.group()
        if len(word) >= 3 and word[-1].islower():
            return _PREFIXED_AFTER_WORD.match(text, pos)
    return _PREFIXED.match(text, pos)


def _amounts_from_prefixed(text: str, m: re.Match[str], dollar: str) -> list[_Amount]:
    first = _parse_number(m["num1"])
    if first is None:
        return []
    currency = _currency(m["prefix1"], dollar)
    exp1 = _scale_exponent(m["word1"] or m["wordi1"], m["letter1"] or m["letteri1"])
    if m["prefix1"] in _CODE_WORDS and not exp1 and _looks_like_year(m["num1"]):
        return []  # "CAD 2024" is software, not money
    end1 = next(m.end(group) for group in ("word1", "letter1", "close1", "num1") if m[group])
    if _is_price_band(text, m.start(), end1, m["word1"]):
        return []  # "from the low $400s", "in the upper $1 millions": a band, not a printed amount
    second = _parse_number(m["num2"]) if m["num2"] else None
    if second is None:
        start1 = m.start()
        if not exp1 and start1 and text[start1 - 1] == "(" and (close := _SCALE_AFTER_CLOSE.match(text, end1)):
            # "(£0.4)M", "($2.7) million": the scale printed after the parentheses round sign and number
            exp1 = _scale_exponent(close["wordc"], close["letterc"])
            start1, end1 = start1 - 1, close.end()
        return [_Amount(start1, end1, first * 10**exp1, currency, exp1 > 0, exp1)]
    exp2 = _scale_exponent(m["word2"], m["letter2"])
    currency2 = _currency(m["prefix2"], dollar) if m["prefix2"] else currency
    start2 = m.start("prefix2") if m["prefix2"] else m.start("num2")
    second_amount = _Amount(start2, m.end(), second * 10**exp2, currency2, exp2 > 0, exp2)
    if not _is_range(text, m, exp1, exp2):
        first_amount = _Amount(m.start(), end1, first * 10**exp1, currency, exp1 > 0, exp1)
        # "$5 and $6" are two amounts that happen to be adjacent; "$5 and 6 employees" is one.
        return [first_amount, second_amount] if m["prefix2"] else [first_amount]
    if not exp1 and exp2 and "," not in m["num1"] and first <= second:
        exp1 = exp2  # "$10-12 million": the lower bound shares the scale
    return [_Amount(m.start(), end1, first * 10**exp1, currency, exp1 > 0, exp1), second_amount]


# Price bands: "homes from the $800,000s", "the low $400s", "start in the mid $2 millions". The
# printed figure is only the band's floor (and "$400s" means hundreds of thousands), so it is
# not an amount, like "billions" or "multi-million-dollar".
_BAND_BEFORE = re.compile(r"(?i)\b(?:low|mid|upper|high)[ \t-]*\Z")


def _is_price_band(text: str, start: int, end: int, scale_word: str | None) -> bool:
    """True for a decade-style plural ("$400s") or a plural scale after low/mid/upper/high."""
    if text[end : end + 1] == "s" and not text[end + 1 : end + 2].isalnum():
        return True
    plural_scale = scale_word is not None and scale_word[-1:].lower() == "s"
    return plural_scale and _BAND_BEFORE.search(text, max(0, start - 8), start) is not None


# Gaps between list items; an item may sit in accounting parentheses ("(£0.4)M, and (£1.1)").
_LIST_COMMA = re.compile(r"\)?,[ \t]*\(?\Z")
_LIST_LAST = re.compile(r"\)?,?[ \t]+(?:and|or)[ \t]+\(?\Z")
_RESPECTIVELY = re.compile(r"\)?,?[ \t]+respectively\b")
_LABEL_SPLIT = re.compile(r",[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+")
_PER_SHARE_LABEL = re.compile(r"(?i)\b(?:EPS|per[ \t]+(?:diluted[ \t]+|basic[ \t]+|common[ \t]+)?share|share[ \t]+price|dividends?)\b")
_CLAUSE_START = re.compile(r"(?:[.!?:;](?=[ \t])|\n)[^.!?:;\n]*\Z")


def _list_scaled(text: str, amounts: list[_Amount]) -> list[_Amount]:
    """A scale printed for a list applies to the list's unscaled items.

    "$1.2, $3.4 and $5.6 million", "$7 and $8 million": amounts in one currency, each introduced
    by its sign, joined by commas and a final "and"/"or"; when only the last carries a scale word
    and the earlier ones are small ungrouped numbers (below 1,000, no "1,234" grouping), the
    earlier items take the last one's scale ("$500,000 and $2 million" stays as printed).
    A "respectively" list pairs amounts with labels ("revenue, EBITDA and net loss of £14.3M,
    (£0.4)M and (£1.1), respectively"): when its scaled items share one scale, the small
    unscaled items take it, except those whose label is a per-share figure ("EPS", "per share").
    A list of as many items right after it ("This compares to our estimates of £13.9M, £0.2M
    and (£0.9).") repeats its figures: each item takes the scale of the item at its position.
    """
    out = list(amounts)
    previous: tuple[int, str, list[int]] | None = None  # (end, currency, scales) of the last "respectively" list
    index = 0
    while index < len(out):
        end = _list_end(text, out, index)
        if end > index:
            items = out[index : end + 1]
            before = text[out[index - 1].end : items[0].start] if index else ""
            whole = not (index and out[index - 1].currency == items[0].currency and _LIST_COMMA.match(before))
            scales = _list_scales(text, items, whole, previous)
            if scales is not None:
                out[index : end + 1] = [
                    i if i.scaled or not e else _Amount(i.start, i.end, i.value * 10**e, i.currency, True, e)
                    for i, e in zip(items, scales)
                ]
                if _RESPECTIVELY.match(text, items[-1].end):
                    previous = (items[-1].end, items[0].currency, scales)
                index = end
        index += 1
    return out


def _list_end(text: str, amounts: list[_Amount], index: int) -> int:
    """Index of the last item of the list starting at `index` (joined by commas and a final
    "and"/"or", one currency); `index` itself when no such list starts there."""
    end = index
    while end + 1 < len(amounts) and amounts[end + 1].currency == amounts[index].currency:
        gap = text[amounts[end].end : amounts[end + 1].start]
        if _LIST_LAST.match(gap):
            return end + 1
        if not _LIST_COMMA.match(gap):
            break
        end += 1
    return index


def _small_unscaled(text: str, amount: _Amount) -> bool:
    return not amount.scaled and amount.value < 1000 and "," not in text[amount.start : amount.end]


_FOLLOW_UP_REACH = 160  # how far after a "respectively" list a list repeating its shape may start


def _list_scales(text: str, items: list[_Amount], whole: bool, previous: tuple[int, str, list[int]] | None) -> list[int] | None:
    """The scale of each item of a list (the rules of `_list_scaled`), or None when none applies.
    `whole`: no item is joined before the first; `previous`: the last "respectively" list."""
    *earlier, last = items
    if last.scaled and all(_small_unscaled(text, item) for item in earlier):
        return [last.exponent] * len(items)
    if not whole or not all(item.scaled or _small_unscaled(text, item) for item in items):
        return None
    if _RESPECTIVELY.match(text, last.end):
        exponents = {item.exponent for item in items if item.scaled}
        if len(exponents) != 1:
            return None
        exponent = exponents.pop()
        per_share = _per_share_items(text, items)
        return [item.exponent if item.scaled else 0 if unit else exponent for item, unit in zip(items, per_share)]
    if previous is None:
        return None
    previous_end, currency, scales = previous
    if currency != items[0].currency or len(scales) != len(items) or not 0 <= items[0].start - previous_end <= _FOLLOW_UP_REACH:
        return None
    if any(item.scaled and item.exponent != scale for item, scale in zip(items, scales)):
        return None
    return scales


def _per_share_items(text: str, items: list[_Amount]) -> list[bool]:
    """Which items of a "respectively" list are per-share figures: by the label paired with the
    item, or any per-share label when the labels do not pair; or printed as a per-unit price."""
    start = items[0].start
    clause = _CLAUSE_START.search(text, max(0, start - 200), start)
    labels = _LABEL_SPLIT.split(text[clause.start() if clause else max(0, start - 200) : start])
    paired = labels[-len(items) :] if len(labels) >= len(items) else None
    flags = []
    for position, item in enumerate(items):
        label = paired[position] if paired else " ".join(labels)
        flags.append(_PER_SHARE_LABEL.search(label) is not None or is_per_unit_amount(text, item.start, item.end))
    return flags


def _is_range(text: str, m: re.Match[str], exp1: int, exp2: int) -> bool:
    if m["conn"] == "and" and not _BETWEEN.search(text, max(0, m.start() - 12), m.start()):
        return False
    if not m["prefix2"]:
        if not exp2 and _looks_like_year(m["num2"]):
            return False  # "$20 million to 2030"
        if exp1 and not exp2:
            return False  # "$20 million to 30 employees"
    return True


def _suffixed_amounts(text: str, dollar: str, anchors: list[int], taken: list[_Amount]) -> list[_Amount]:
    """Amounts whose currency follows them: "1.2 million euros", "two million dollars", "5,000 USD"."""
    amounts: list[_Amount] = []
    spans = [(a.start, a.end) for a in taken]
    for anchor in anchors:
        token_end, currency = _currency_token_at(text, anchor)
        if not token_end:
            continue
        m = _SUFFIX_BODY.search(text, max(0, anchor - _SUFFIX_WINDOW), anchor)
        if m is None or any(start < token_end and m.start() < end for start, end in spans):
            continue
        if m["spelled"] and _VAGUE_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue  # "a few hundred dollars", "several thousand euros": vague, not an amount
        if m["spelled"] and _is_dollar_adjective(text, m, anchor):
            continue  # "a billion-dollar project", "three billion-dollar companies": not an amount
        qualified = _QUALIFIERS[m["qual"].lower()] if m["qual"] else None
        currency = _resolve_word_currency(currency, qualified, dollar)
        if currency is None:
            continue
        found = _amounts_from_suffixed(m, currency, token_end)
        fraction = _FRACTION_BEFORE.search(text, max(0, m.start() - 24), m.start()) if m["spelled"] else None
        if fraction is not None and len(found) == 1 and m["spelled"].lower().startswith("a"):
            amount = found[0]  # "half a billion dollars", "a quarter of a million dollars"
            found = [_Amount(fraction.start(), amount.end, amount.value * _FRACTIONS[fraction["frac"].lower()], amount.currency, amount.scaled)]
        amounts += found
        spans += [(a.start, a.end) for a in found]
    return amounts


# Minor units: "25 cents", "an 8-cent stock", "twelve cents" are hundredths of the document's
# dollar; "1.2 pence" and "23.97p per share" are hundredths of a pound. "p" alone is read only
# before "per"/"a" share or unit ("4 p.m.", "1080p video" are not money). A capitalised singular
# "Cent" before a capitalised word is a name ("2 Cent Texts"); "a cent", "one cent" are figures of speech.
# A spelled number needs a space or hyphen before the unit: "Tencent" is a name.
_MINOR_NEEDLES = {"cent": "$", "Cent": "$", "pence": "GBP", "Pence": "GBP", "p per ": "GBP", "p a share": "GBP"}
_MINOR_BODY = re.compile(rf"(?<![\w.,$\u20ac\u00a3\u00a5])(?:(?P<num>\d{{1,3}}(?:\.\d+)?)|(?P<spelled>{_SPELLED}))(?P<gap>[ \t]|-)?\Z")
_GLUED_NEEDLES = frozenset({"p per ", "p a share"})  # the unit letter follows the digits directly
_MINOR_UNIT_END = re.compile(r"(?:cents?|Cents?|pence|Pence|p)(?![A-Za-z0-9])")
_NAME_AFTER = re.compile(r"[ \t]+[A-Z]")


# The last word of a spelled number: a number word, or a digit word after "point" (`_SPELLED`).
_NUMBER_WORD_ENDS = tuple(sorted({*_NUMBER_WORDS, *_DIGIT_WORDS}))
_LONGEST_NUMBER_WORD = max(map(len, _NUMBER_WORD_ENDS))


def _number_may_end_at(text: str, end: int) -> bool:
    """False only when no number, in digits or spelled, ends at `end`: a cheap test before
    `_MINOR_BODY` is searched ("percent", "recent" end in no number)."""
    tail = text[max(0, end - _LONGEST_NUMBER_WORD) : end]
    if not tail.isascii():
        return True  # Unicode digits and letters that fold to ASCII ones: the regex decides
    return tail[-1:].isdigit() or tail.lower().endswith(_NUMBER_WORD_ENDS)


def _minor_unit_amounts(text: str, dollar: str, taken: list[_Amount], anchors: dict[str, list[int]]) -> list[_Amount]:
    """Amounts printed in cents or pence, valued in whole currency units ("25 cents" is 0.25).
    `anchors`: the offsets of each `_MINOR_NEEDLES` needle the text holds."""
    amounts: list[_Amount] = []
    spans = [(a.start, a.end) for a in taken]
    for needle, positions in anchors.items():
        currency = _MINOR_NEEDLES[needle]
        for anchor in positions:
            unit = _MINOR_UNIT_END.match(text, anchor)
            glued = needle in _GLUED_NEEDLES
            if unit is None or (glued and not text[anchor - 1 : anchor].isdigit()):
                continue
            # The body ends at the unit, or one gap character ("8-cent", "25 cents") before it.
            if not _number_may_end_at(text, anchor - 1 if text[anchor - 1 : anchor] in (" ", "\t", "-") else anchor):
                continue
            m = _MINOR_BODY.search(text, max(0, anchor - 40), anchor)
            if m is None or (glued and m["gap"]) or any(s < unit.end() and m.start() < e for s, e in spans):
                continue
            if m["spelled"] and not m["gap"]:
                continue  # "Tencent": a spelled number glued to "cent" is a word, not ten cents
            if text[anchor : unit.end()] == "Cent" and _NAME_AFTER.match(text, unit.end()):
                continue  # "2 Cent Texts": a name ("12.5 Cents A Share" in a headline is money)
            value = _parse_spelled(m["spelled"]) if m["spelled"] else _parse_number(m["num"])
            if value is None or (m["spelled"] and value < 2):
                continue
            code = dollar if currency == "$" else currency
            amounts.append(_Amount(m.start(), unit.end(), value / 100, code, True))
            spans.append((m.start(), unit.end()))
    return amounts


def _is_dollar_adjective(text: str, m: re.Match[str], anchor: int) -> bool:
    """True for "a billion-dollar (company)" / "three billion-dollar (firms)": a spelled number, a
    space, then "<scale>-dollar" (singular). "a three-billion-dollar offload" (all hyphens) is an amount."""
    token = text[anchor : anchor + 7].lower()
    if anchor == 0 or text[anchor - 1] != "-" or not token.startswith("dollar") or token[6:] == "s" or not m["word1"]:
        return False
    return any(char in " \t" for char in text[m.end("spelled") : m.start("word1")])


def _currency_token_at(text: str, pos: int) -> tuple[int, str | None]:
    """(end, currency) of the currency sign/code/word starting at `pos`; end 0 if none."""
    if text[pos] in ("€", "£"):
        return pos + 1, _SIGNS[text[pos]]
    code = text[pos : pos + 3]
    if code in _CODE_WORDS:
        return pos + 3, _PREFIX_CURRENCY[code]
    word = _CURRENCY_WORD.match(text, pos)
    if word is None:
        return 0, None
    return word.end(), _CURRENCY_WORDS[word.group().lower()] or "?"


def _resolve_word_currency(currency: str | None, qualified: str | None, dollar: str) -> str | None:
    if currency == "$":
        return qualified or dollar
    if currency == "?":  # "pounds", "kroner": money only when qualified ("British pounds")
        return qualified if qualified not in (None, "USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD") else None
    return currency


def _amounts_from_suffixed(m: re.Match[str], currency: str, end: int) -> list[_Amount]:
    exponent = _scale_exponent(m["word1"], m["letter1"])
    if m["spelled"]:
        first = _parse_spelled(m["spelled"])
        if first is None or (not exponent and first < 2):
            return []  # "a dollar", "one euro": figures of speech, not amounts
    else:
        first = _parse_number(m["num1"])
        if first is None or (not exponent and _looks_like_year(m["num1"])):
            return []  # "2024 dollars" is a price basis, not an amount
    second = _parse_number(m["num2"]) if m["num2"] else None
    if second is not None and m["num1"]:
        exp1 = exponent if first <= second else 0
        return [
            _Amount(m.start(), m.end("num1"), first * 10**exp1, currency, exp1 > 0),
            _Amount(m.start("num2"), end, second * 10**exponent, currency, exponent > 0),
        ]
    return [_Amount(m.start(), end, first * 10**exponent, currency, exponent > 0)]


def _currency(prefix: str, dollar: str) -> str:
    code = _PREFIX_CURRENCY[prefix]
    return dollar if code == "$" else code


def _parse_number(raw: str) -> Decimal | None:
    cleaned = raw.translate(_OCR_DIGITS)
    if len(cleaned) > 1 and cleaned[0] == "0" and cleaned[1].isdigit():
        return None  # "$000s" in a caption, "$0123": not a printed amount
    if len(cleaned) <= 6 and cleaned[-3:-2] == "," and cleaned.count(",") == 1 and "." not in cleaned:
        return _decimal(cleaned.replace(",", "."))  # decimal comma: "$9,93", "€0,03"
    if cleaned.count(".") > 1:  # European grouping: "1.234.567,89"
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


_SPELLED_POINT = re.compile(r"\s+point\s+")
# `_SPELLED` (IGNORECASE) matches "ſix", so the parse reads it as the word it matched, "six", instead of failing.
_CASE_FOLDED_ASCII = str.maketrans(IGNORECASE_ASCII_FOLDS)


def _parse_spelled(raw: str) -> Decimal | None:
    total = 0
    whole, *decimals = _SPELLED_POINT.split(raw.translate(_CASE_FOLDED_ASCII).lower(), maxsplit=1)
    fraction = "".join(str(_DIGIT_WORDS[word]) for word in "".join(decimals).split())
    words = re.split(r"[\s-]+", whole)
    if len(words) > 1 and words[0] == "a":
        words = words[1:]  # "a three-billion-dollar offload": the article, not one
    thousands = 0
    for word in words:
        if word in ("and", ""):
            continue
        if word == "thousand":  # "one thousand seven hundred": the part before counts in thousands
            thousands, total = max(total, 1) * 1000, 0
            continue
        number = _NUMBER_WORDS[word]
        total = max(total, 1) * 100 if number == 100 else total + number
    total += thousands
    if fraction:
        return Decimal(f"{total}.{fraction}")
    return Decimal(total) if total else None


def _scale_exponent(word: str | None, letter: str | None) -> int:
    if letter:
        return _SCALE_EXPONENTS[letter]
    if not word:
        return 0
    key = word.lower()
    if key.endswith("s") and key not in _SCALE_EXPONENTS:
        key = key[:-1]
    if key not in _SCALE_EXPONENTS and key.endswith(("ion", "i0n")):  # OCR-garbled: "mi11ion", "rnillion"
        key = "million" if key[0] in "mr" else "billion" if key[0] == "b" else "trillion"
    return _SCALE_EXPONENTS.get(key, 0)


def _looks_like_year(raw: str) -> bool:
    return len(raw) == 4 and raw.isdigit() and 1800 <= int(raw) <= 2199


def _document_dollar(text: str, codes: list[int], signs: list[int], words: list[int]) -> str:
    """The currency of a bare "$": USD unless the text says amounts are in another dollar."""
    statements: list[tuple[int, int, str]] = []  # (position, start of the currency phrase, code)
    for pos in words:
        if text[pos : pos + 6].lower() == "dollar":
            qualifier = _qualifier_before(text, pos)
            if qualifier is not None:
                statements.append((pos, *qualifier))
    statements += [(pos, pos, text[pos : pos + 3]) for pos in codes if text[pos : pos + 3] in _DOLLAR_CODES]
    for pos in signs:
        letters = _LETTERS_BEFORE.search(text, max(0, pos - 5), pos) if text[pos] == "$" else None
        if letters is not None and _LETTER_SIGNS.get(letters.group().strip() + "$") in _DOLLAR_CODES:
            statements.append((pos, letters.start(), _LETTER_SIGNS[letters.group().strip() + "$"]))
    for _, start, code in sorted(statements):
        if _DOC_CURRENCY_CONTEXT.search(text, max(0, start - 90), start):
            return code
    return "USD"


def _qualifier_before(text: str, pos: int) -> tuple[int, str] | None:
    window = text[max(0, pos - 16) : pos].lower()
    for qualifier, code in _QUALIFIERS.items():
        if code in _DOLLAR_CODES and window.endswith(qualifier + " "):
            return pos - len(qualifier) - 1, code
    return None


def _scaled_regions(text: str) -> list[_ScaledRegion]:
    """Regions governed by an "(in thousands)"-style caption: the next table, else the paragraph."""
    regions = []
    for pos in (p - 1 for needle in ("housands", "illions") for p in find_all(text, needle) if p):
        unit = {"t": "thousands", "m": "millions", "b": "billions"}.get(text[pos].lower())
        if unit is None:
            continue
        end, window, exponent = pos + len(unit), max(0, pos - 40), _CAPTION_UNITS[unit]
        if _CAPTION_BEFORE_PAREN.search(text, window, pos) and (after := _CAPTION_AFTER_PAREN.match(text, end)):
            regions.append(_region(text, pos, after, exponent))
        elif _CAPTION_BEFORE_OF.search(text, window, pos) and (after := _CAPTION_AFTER_OF.match(text, end)):
            regions.append(_region(text, pos, after, exponent))
    if "000)" in text or "000s)" in text:
        for match in _CAPTION_ZEROS.finditer(text):
            exponent = 6 if match["zeros"] == "000,000" else 3
            regions.append(_ScaledRegion(match.start(), _table_end_after(text, match.end()), exponent, False))
    return sorted(regions, key=lambda region: region.start)


def _region(text: str, start: int, after: re.Match[str], exponent: int) -> _ScaledRegion:
    return _ScaledRegion(start, _table_end_after(text, after.end()), exponent, "per share" in after["rest"].lower())


def _table_end_after(text: str, pos: int) -> int:
    """End of a Markdown table that starts within two lines after `pos`, else of pos's paragraph."""
    line_start = pos
    for _ in range(3):
        newline = text.find("\n", line_start)
        if newline < 0:
            break
        line_start = newline + 1
        if text[line_start : line_start + 8].lstrip(" \t").startswith("|"):
            end = line_start
            while end < len(text) and text[end : end + 8].lstrip(" \t").startswith("|"):
                newline = text.find("\n", end)
                end = len(text) if newline < 0 else newline + 1
            return end
    paragraph_end = text.find("\n\n", pos)
    return len(text) if paragraph_end < 0 else paragraph_end


def _table_scaled(text: str, amount: _Amount, regions: list[_ScaledRegion], tables: list) -> Decimal:
    """A currency-marked amount under a caption: the statement's row label decides per-share rows;
    a par value or per-share/per-unit price ("$0.01 par value", "$2.50 per unit") is never scaled."""
    if not (regions or tables) or is_per_unit_amount(text, amount.start, amount.end):
        return amount.value
    exponent = table_exponent(text, tables, amount.start) if tables else None
    if exponent is None:
        return _caption_scaled(text, amount.start, amount.value, regions)
    return amount.value * 10**exponent


def _caption_scaled(text: str, pos: int, value: Decimal, regions: list[_ScaledRegion]) -> Decimal:
    for region in regions:
        if region.start <= pos < region.end:
            if region.except_per_share and _row_mentions_per_share(text, pos):
                return value
            return value * 10**region.exponent
    return value


def _row_mentions_per_share(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : len(text) if line_end < 0 else line_end].lower()
    return "per share" in line or "per diluted share" in line or re.search(r"\beps\b", line) is not None
