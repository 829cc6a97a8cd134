"""Dates, amounts and counts as people write them in a form, in Dutch or English.

A civil servant types ``14-03-2023``, ``maart 2023``, ``€ 250.000``, ``250.000,50``,
``1,5 miljoen`` or ``1.5 million``; the content model wants ``2023-03-14``, ``250000``
and a currency code. Each reader here returns the value, or a :class:`Question` when
the text can be read in two ways (``03/04/2023``: March or April? ``1,500 miljoen``:
1.5 or 1,500 million?) or not at all; it never guesses. Month names come from CLDR
through Babel, in both languages.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from babel.dates import get_month_names
from babel.numbers import get_currency_symbol

from casebook.i18n import Bilingual, Message, msg

#: Words that multiply the number before them (Dutch and English, as people abbreviate).
MAGNITUDES = {
    "duizend": 1_000, "thousand": 1_000, "k": 1_000, "dzd": 1_000,
    "miljoen": 1_000_000, "million": 1_000_000, "mln": 1_000_000, "mio": 1_000_000,
    "m": 1_000_000, "mil": 1_000_000,
    "miljard": 1_000_000_000, "billion": 1_000_000_000, "mld": 1_000_000_000,
    "bn": 1_000_000_000,
}


#: A number as written, stripped: digits with group separators, then perhaps a magnitude
#: word. The digits end on a digit or separator that is not a space, so spaces before the
#: word are matched once (a lazy group followed by spaces backtracks quadratically).
_NUMBER = re.compile(r"(?P<number>[0-9](?:[0-9.,'\u00a0\u202f ]*[0-9.,'])?)"
                     r"(?:\s*(?P<word>[A-Za-z]+\.?))?")
_GROUP_SPACE = re.compile(r"(?<=\d)[ '](?=\d{3}\b)")
_DIGIT_GROUPS = re.compile(r"[0-9]+([.,][0-9]+)*")
_SEPARATOR = re.compile(r"[.,]")
_DASH_CENTS = re.compile(r"[,.]-$")
_D_YEAR = re.compile(r"([0-9]{4})")
_D_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?")
_D_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})([-/ ])([0-9]{1,2})\2([0-9]{4})")
_D_MONTH_YEAR = re.compile(r"([0-9]{1,2})[-/]([0-9]{4})")
_D_NAMED_MONTH = re.compile(r"(?:([0-9]{1,2}) )?([a-z]+) ([0-9]{4})")
_D_MONTH_DAY_YEAR = re.compile(r"([a-z]+) ([0-9]{1,2}) ([0-9]{4})")


@dataclass(frozen=True, slots=True)
class Question:
    """Why a value cannot be read without asking the contributor."""

    message: Message


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


@functools.cache
def _months() -> dict[str, int]:
    """Month names and abbreviations in Dutch and English (CLDR) → month number."""
    out: dict[str, int] = {}
    for locale in ("nl", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                out[_fold(name).rstrip(".")] = number
    out["sept"] = 9
    return out


def _split_number(text: str) -> tuple[str, str | None] | Question:
    """The digits of a written number as a plain decimal string (``250.000,50`` →
    ``250000.50``), or a question when the separators can be read two ways."""
    raw = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    raw = _GROUP_SPACE.sub("", raw)  # 250 000, 250'000
    if not _DIGIT_GROUPS.fullmatch(raw):
        return Question(msg("'{value}' is not a number", value=text.strip()))
    seps = _SEPARATOR.findall(raw)
    if not seps:
        return raw, None
    groups = _SEPARATOR.split(raw)
    if len(set(seps)) == 2:
        # Both separators: the last one is the decimal mark, the other groups thousands.
        decimal = seps[-1]
        thousands = "," if decimal == "." else "."
        if seps.count(decimal) > 1 or any(len(g) != 3 for g in groups[1:-1]) or \
                raw.rfind(thousands) > raw.rfind(decimal):
            return Question(msg("'{value}' is not a number", value=text.strip()))
        return raw.replace(thousands, "").replace(decimal, "."), "both"
    if len(seps) > 1:
        # One separator several times (250.000.000): groups of three.
        if any(len(g) != 3 for g in groups[1:]):
            return Question(msg("'{value}' is not a number", value=text.strip()))
        return "".join(groups), "thousands"
    whole, part = groups
    if len(part) == 3:
        return raw, "three"  # 250.000 or 1,500: thousands, or a decimal part of three digits
    return f"{whole}.{part}", "decimal"


def read_number(text: str, *, integer: bool) -> int | float | Question:
    """A count or amount as written: ``12``, ``1.200``, ``250 000``, ``2,5 miljoen``."""
    m = _NUMBER.fullmatch(text.strip())
    if not m:
        return Question(msg("'{value}' is not a number; write digits, for example 1200",
                            value=text.strip()))
    word = (m.group("word") or "").rstrip(".").casefold()
    if word and word not in MAGNITUDES:
        return Question(msg("'{value}' is not a number; write digits, for example 1200",
                            value=text.strip()))
    split = _split_number(m.group("number"))
    if isinstance(split, Question):
        return Question(msg("'{value}' is not a number; write digits, for example 1200",
                            value=text.strip()))
    digits, how = split
    factor = MAGNITUDES.get(word, 1)
    if how == "three":
        if factor > 1:
            # 1,500 miljoen: 1.5 million or 1,500 million? Only the contributor knows.
            whole, part = _SEPARATOR.split(digits)
            return Question(msg("'{value}' can be read as {first} or as {second}; write the "
                                "amount in digits only", value=text.strip(),
                                first=_plain(float(f"{whole}.{part}") * factor),
                                second=_plain(float(f"{whole}{part}") * factor)))
        digits = digits.replace(".", "").replace(",", "")
    value = float(digits) * factor
    if integer or value == int(value):
        if value != int(value):
            return Question(msg("'{value}' is not a whole number", value=text.strip()))
        return int(value)
    return value


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}"


#: Currency signs and words people write beside an amount → ISO 4217 code.
@functools.cache
def currency_words(codes: tuple[str, ...]) -> dict[str, str]:
    """Symbols (€, $, £), codes and words (euro, dollar) of ``codes`` → code."""
    out: dict[str, str] = {}
    for code in codes:
        out[code.casefold()] = code
        for locale in ("nl_NL", "nl_BE", "en_GB", "en_US"):
            symbol = get_currency_symbol(code, locale=locale)
            if symbol != code:
                out.setdefault(symbol.casefold(), code)
    out.update({"euro": "EUR", "eur.": "EUR", "dollar": "USD", "pond": "GBP",
                "pound": "GBP", "frank": "CHF"})
    return {k: v for k, v in out.items() if v in codes}


@functools.cache
def _currency_patterns(word: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A currency sign or word at the start, and at the end, of an amount (a word of
    letters as a whole word). Each is a literal anchored at one end of the text."""
    w = re.escape(word)
    edge = r"\b" if word.isalpha() else ""
    return re.compile(rf"(?i){w}{edge}"), re.compile(rf"(?i){edge}{w}\Z")


def read_amount(text: str, codes: tuple[str, ...]) -> tuple[int | float, str | None] | Question:
    """An amount with an optional currency sign or code before or after it:
    ``€ 250.000`` → (250000, 'EUR'); ``1.5 million`` → (1500000, None)."""
    words = currency_words(codes)
    rest = text.strip()
    currency = None
    for word in sorted(words, key=len, reverse=True):
        before, after = _currency_patterns(word)
        # The sign or word first, else last (anchored literals: linear in the text).
        m = before.match(rest)
        found = rest[m.end():].strip() if m else None
        if found is None and (m := after.search(rest)):
            found = rest[:m.start()].strip()
        if found is not None and "\n" not in found:
            currency = words[word]
            rest = found
            break
    rest = _DASH_CENTS.sub("", rest.strip())  # € 250.000,-
    number = read_number(rest, integer=False)
    if isinstance(number, Question):
        return number
    return number, currency


def read_date(text: str, *, precision: str = "day") -> str | Question:
    """A date as written → ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    ``precision="month"`` (a period: a year or year and month) keeps the year and
    month of a full date. Day-month order follows the Dutch and European habit
    (``14-03-2023``); with slashes and both numbers 12 or less (``03/04/2023``) the
    order is asked, since an English writer may mean the 4th of March.
    """
    raw = " ".join(text.replace(",", " ").split())
    folded = _fold(raw).replace(".", " ")
    folded = " ".join(folded.split())
    year = month = day = None
    ambiguous = False
    if m := _D_YEAR.fullmatch(folded):
        year = int(m.group(1))
    elif m := _D_ISO.fullmatch(folded):
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
    elif m := _D_DAY_MONTH_YEAR.fullmatch(folded):
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        day, month = first, second
        if m.group(2) == "/" and first <= 12 and second <= 12 and first != second:
            ambiguous = True
        elif first <= 12 < second:
            day, month = second, first  # 03/14/2023: only one reading is a date
    elif m := _D_MONTH_YEAR.fullmatch(folded):
        month, year = int(m.group(1)), int(m.group(2))
    elif m := _D_NAMED_MONTH.fullmatch(folded):
        day = int(m.group(1)) if m.group(1) else None
        month = _months().get(m.group(2))
        year = int(m.group(3))
        if month is None:
            return Question(msg("'{value}' is not a date; write for example 14-03-2023 "
                                "or 2023", value=text.strip()))
    elif m := _D_MONTH_DAY_YEAR.fullmatch(folded):
        month, day, year = _months().get(m.group(1)), int(m.group(2)), int(m.group(3))
        if month is None:
            return Question(msg("'{value}' is not a date; write for example 14-03-2023 "
                                "or 2023", value=text.strip()))
    else:
        return Question(msg("'{value}' is not a date; write for example 14-03-2023 "
                            "or 2023", value=text.strip()))
    if ambiguous:
        return Question(msg("'{value}' can be read as {first} or as {second}; write the month "
                            "as a word, for example {example}", value=text.strip(),
                            first=_long(year, month, day), second=_long(year, day, month),
                            example=_long(year, month, day)))
    if (month is not None and not 1 <= month <= 12) or (day is not None and month is not None and \
            not _real(year, month, day)):
        return Question(msg("'{value}' is not a real date; check the day and the month",
                            value=text.strip()))
    if month is None:
        return f"{year:04d}"
    if day is None or precision == "month":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _long(year: int, month: int, day: int | None) -> Bilingual:
    """``3 April 2023`` / ``3 april 2023``: a date no reader can take the wrong way."""
    en, nl = (get_month_names("wide", locale=loc)[month] for loc in ("en", "nl"))
    return Bilingual(f"{day} {en} {year}", f"{day} {nl} {year}")
