"""Compound words for search: the known words a compound is made of.

Dutch writes compounds as one word (``stadslab``, ``participatieplatform``,
``datagedreven``). Pagefind matches a query word against the start of the words
of a page, so ``stad`` finds ``stadslab`` but ``lab`` does not. At index time
:func:`parts_markup` splits every word of a page's indexed text into known
words and adds the parts as extra text of low weight (``data/compounds.yaml``),
so a query for a part finds the compound, ranked below the pages that have the
word itself, while every other word still matches only as a word.

Which strings are words, and how common, comes from the word lists of the
``wordfreq`` package (Zipf frequencies); the rules (linking sounds, lengths,
thresholds) are data. A word is split when every part is a known word and the
parts are more common than the whole (Koehn and Knight, 2003), so lexicalised
words (``verkeer``, ``without``) stay whole.
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

import wordfreq
import yaml

#: Marks the element that holds a page's compound parts (the search page reads it
#: back: the parts are the last words of the page's content, never shown as text).
PARTS_ATTRIBUTE = "data-casebook-parts"
#: Pagefind metadata with the number of part words at the end of the content.
PARTS_META = "parts"

_WORD = re.compile(r"[^\W\d_]+")
#: A tag, or a script or style element with its content (Pagefind indexes neither).
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rules:
    """How one language's words are split (see ``data/compounds.yaml``)."""

    lang: str
    linkers: tuple[str, ...]
    min_modifier: int
    min_head: int
    min_part_zipf: float
    max_word_zipf: float
    max_head_ending_rate: float
    max_modifier_start_rate: float
    max_parts: int


@functools.cache
def _settings() -> dict[str, Any]:
    text = resources.files("casebook").joinpath("data", "compounds.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def weight() -> str:
    """``data-pagefind-weight`` of the parts."""
    return str(_settings()["weight"])


def rules(lang: str) -> Rules | None:
    """The splitting rules of ``lang`` (None: its words are not split)."""
    spec = _settings()["languages"].get(lang)
    if spec is None:
        return None
    return Rules(lang, tuple(spec["linkers"]), int(spec["min_modifier"]), int(spec["min_head"]),
                 float(spec["min_part_zipf"]), float(spec["max_word_zipf"]),
                 float(spec["max_head_ending_rate"]), float(spec["max_modifier_start_rate"]),
                 int(spec["max_parts"]))


class Splitter:
    """Splits the words of one language (each word looked up once)."""

    def __init__(self, lang: str) -> None:
        self.rules = rules(lang)
        self._split: dict[str, tuple[str, ...]] = {}
        #: Word → frequency (a share of all words), from the word list.
        self._frequency: dict[str, float] = {}
        #: Ending (beginning) → how many known words end (begin) with it.
        self._endings: Counter[str] = Counter()
        self._starts: Counter[str] = Counter()
        self._known = 0
        if self.rules is not None:
            self._frequency = wordfreq.get_frequency_dict(lang)
            floor = 10 ** (self.rules.min_part_zipf - 9)
            longest = 2 * self.rules.min_head + 4
            for word, frequency in self._frequency.items():
                if frequency >= floor and word.isalpha():
                    self._known += 1
                    for n in range(self.rules.min_head, min(len(word), longest)):
                        self._endings[word[-n:]] += 1
                        self._starts[word[:n]] += 1

    def zipf(self, word: str) -> float:
        """How common ``word`` is (Zipf scale: 0 unknown, 3 once per million words)."""
        frequency = self._frequency.get(word)
        return math.log10(frequency) + 9 if frequency else 0.0

    def is_ending(self, head: str) -> bool:
        """True when ``head`` ends too many known words to count as a word of its own."""
        assert self.rules is not None
        rate = 1000 * self._endings.get(head, 0) / max(1, self._known)
        return rate > self.rules.max_head_ending_rate

    def is_prefix(self, modifier: str) -> bool:
        """True when ``modifier`` begins too many known words to count as a word of its
        own there (``onder-``, ``voor-``)."""
        assert self.rules is not None
        rate = 1000 * self._starts.get(modifier, 0) / max(1, self._known)
        return rate > self.rules.max_modifier_start_rate

    def _candidates(self, word: str, parts: int) -> list[tuple[str, ...]]:
        """Every way to write ``word`` as up to ``parts`` known words (two at least)."""
        r = self.rules
        assert r is not None
        out: list[tuple[str, ...]] = []
        for cut in range(r.min_modifier, len(word) - r.min_head + 1):
            modifier = word[:cut]
            if self.zipf(modifier) < r.min_part_zipf or self.is_prefix(modifier):
                continue
            rest = word[cut:]
            for linker in r.linkers:
                if not rest.startswith(linker):
                    continue
                head = rest[len(linker):]
                if len(head) < r.min_head:
                    continue
                if self.zipf(head) >= r.min_part_zipf and not self.is_ending(head):
                    out.append((modifier, head))
                if parts > 2 and len(head) >= r.min_modifier + r.min_head:
                    out.extend((modifier, *more) for more in self._candidates(head, parts - 1))
        return out

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound (``stadslab`` → ``("stad", "lab")``), else ``()``."""
        word = word.casefold()
        found = self._split.get(word)
        if found is not None:
            return found
        found = ()
        r = self.rules
        if r is not None and len(word) >= r.min_modifier + r.min_head:
            whole = self.zipf(word)
            if whole <= r.max_word_zipf:
                best, score = (), whole
                for parts in self._candidates(word, r.max_parts):
                    mean = sum(self.zipf(p) for p in parts) / len(parts)
                    if mean > score:
                        best, score = parts, mean
                found = best
        self._split[word] = found
        return found

    def extra_words(self, text: str) -> list[str]:
        """The parts of the compounds in ``text`` that it does not hold as words,
        in order of first appearance."""
        words = dict.fromkeys(w.casefold() for w in _WORD.findall(text))
        extra: dict[str, None] = {}
        for word in words:
            for part in self.split(word):
                if part not in words:
                    extra[part] = None
        return list(extra)


@functools.cache
def splitter(lang: str) -> Splitter:
    """The (shared) splitter of ``lang``."""
    return Splitter(lang)


_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"))
_IGNORED_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-ignore\b[^>]*>")


def _without_ignored(fragment: str) -> str:
    """``fragment`` without the elements marked ``data-pagefind-ignore`` (what Pagefind
    leaves out), nested elements of the same name counted."""
    out, at = [], 0
    while (m := _IGNORED_OPEN.search(fragment, at)) is not None:
        out.append(fragment[at:m.start()])
        tag = m.group(1).lower()
        if tag in _VOID:
            at = m.end()
            continue
        same = re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE)
        depth, end = 1, len(fragment)
        for inner in same.finditer(fragment, m.end()):
            depth += -1 if inner.group(1) else 1
            if depth == 0:
                end = inner.end()
                break
        at = end
    out.append(fragment[at:])
    return "".join(out)


def text_of(fragment: str) -> str:
    """The text Pagefind indexes of an HTML fragment: tags and the elements it
    ignores dropped, entities read."""
    return html.unescape(_TAG.sub(" ", _without_ignored(fragment)))


def parts_markup(fragment: str, lang: str) -> str:
    """Hidden, low-weight HTML holding the compound parts of ``fragment``'s text
    (``""`` when it has none), and the metadata that says how many there are."""
    if rules(lang) is None:
        return ""
    extra = splitter(lang).extra_words(text_of(fragment))
    if not extra:
        return ""
    return (f'<div hidden data-pagefind-ignore><span data-pagefind-meta="{PARTS_META}:'
            f'{len(extra)}"></span></div>'
            f'<p hidden {PARTS_ATTRIBUTE} data-pagefind-weight="{weight()}">'
            f'{html.escape(" ".join(extra))}</p>')
