"""Generate a synthetic, valid, bilingual knowledge base for benchmarks."""

from __future__ import annotations

import argparse
import bisect
import collections
import itertools
import random
import re
from pathlib import Path

from casebook.content.vocab import load_vocabularies

_WORDS = [
    "stad", "gemeente", "data", "mobiliteit", "energie", "burger", "samen", "innovatie", "lab",
    "uitdaging", "oplossing", "bouwsteen", "platform", "netwerk", "proef", "pilot", "kennis",
    "open", "experiment",
]


#: The repository's own cases: the "real" text takes their words, as often as they use them.
_REAL_CASES = Path(__file__).resolve().parent.parent / "content" / "cases"
#: Texts: "uniform" draws every word from ``_WORDS`` (each query word is on every page,
#: about 13 times: the search worst case); "real" draws words with the frequencies of
#: the repository's own cases in each language.
TEXTS = ("uniform", "real")


class _Words:
    """Draws words: uniformly from a list, or by their counts."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.words = list(counts)
        self.cumulative = list(itertools.accumulate(counts.values()))

    def text(self, rng: random.Random, words: int) -> str:
        total = self.cumulative[-1]
        return " ".join(self.words[bisect.bisect_right(self.cumulative, rng.random() * total)]
                        for _ in range(words))


def real_words(cases: Path = _REAL_CASES) -> dict[str, _Words]:
    """Per language, the words of the cases' bodies in ``cases`` and how often they occur."""
    out = {}
    for lang in ("nl", "en"):
        counts: collections.Counter[str] = collections.Counter()
        for path in sorted(cases.glob(f"*.{lang}.md")):
            text = path.read_text(encoding="utf-8")
            body = text.split("\n---", 1)[1] if text.startswith("---") else text
            counts.update(w.lower() for w in re.findall(r"[^\W\d_]+", body))
        if not counts:
            raise SystemExit(f"{cases}: no {lang} case text to take words from")
        out[lang] = _Words(dict(sorted(counts.items())))
    return out


def _text(rng: random.Random, words: int, vocabulary: _Words | None = None) -> str:
    if vocabulary is not None:
        return vocabulary.text(rng, words)
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def generate(root: Path, cases: int, seed: int = 1, text: str = "uniform") -> Path:
    """Write ``cases`` cases (Dutch original, English translation) and organisations.

    ``text`` is one of :data:`TEXTS`: the words of titles, summaries and bodies.
    """
    rng = random.Random(seed)
    words = real_words() if text == "real" else {"nl": None, "en": None}
    vocabs = load_vocabularies()
    themes = list(vocabs["themes"].terms)
    mechanisms = list(vocabs["mechanisms"].terms)
    kinds = list(vocabs["kinds"].terms)
    org_kinds = list(vocabs["organisation-kinds"].terms)
    (root / "content" / "cases").mkdir(parents=True, exist_ok=True)
    (root / "content" / "organisations").mkdir(parents=True, exist_ok=True)
    n_orgs = max(5, cases // 5)
    for i in range(n_orgs):
        base = root / "content" / "organisations" / f"org-{i}"
        base.with_suffix(".nl.md").write_text(
            f"---\nname: Organisatie {i}\nkind: {rng.choice(org_kinds)}\ncountry: NL\n"
            f"reviewed: 2025-01-01\n---\n\n## Over de organisatie\n\n"
            f"{_text(rng, 40, words['nl'])}\n",
            encoding="utf-8",
        )
        base.with_suffix(".en.md").write_text(
            f"---\nname: Organisation {i}\n---\n\n## About the organisation\n\n"
            f"{_text(rng, 40, words['en'])}\n",
            encoding="utf-8",
        )
    sections = {
        "nl": ["Context", "Aanpak", "Resultaten", "Lessen", "De uitdaging", "Bouwstenen",
               "Hergebruik"],
        "en": ["Context", "Approach", "Results", "Lessons", "The challenge", "Building blocks",
               "Reuse"],
    }
    repos: list[str] = []
    for i in range(cases):
        kind = kinds[i % len(kinds)]
        cid = f"case-{i}"
        start = rng.randint(2010, 2023)
        lines = [
            "---", "schema: 1", f"title: Casus {i} {_text(rng, 3, words['nl'])}",
            f"summary: {_text(rng, 12, words['nl'])} samenvatting van casus {i}.",
            f"kind: {kind}", "organisations:",
            f"  - {{id: org-{rng.randrange(n_orgs)}, role: owner}}",
            f"  - {{id: org-{rng.randrange(n_orgs)}, role: partner}}",
            "countries: [NL, BE]", "places: [Utrecht]",
            f"themes: [{', '.join(rng.sample(themes, 2))}]",
            f"mechanisms: [{', '.join(rng.sample(mechanisms, 2))}]",
            "innovation: [process]", "barriers: [knowledge, funding]",
            f"period: {{start: {start}, end: {start + 2}}}", "stage: completed",
            "links:", f"  - {{url: 'https://example.org/{cid}', kind: website, label: Site}}",
            "sources:", f"  - {{title: Bron {i}, publisher: Uitgever, date: '2024'}}",
            "reviewed: 2025-06-01",
        ]
        if i > 0:
            lines.append(f"related: [case-{rng.randrange(i)}]")
        if repos and kind != "repository":
            lines.append(f"uses: [{rng.choice(repos)}/block-a]")
        if kind == "lab":
            lines.append(f"lab: {{founded: {start}, setting: physical}}")
        elif kind == "challenge":
            lines += ["challenge:", "  procurement: lean",
                      "  budget: {amount: 10000, currency: EUR, per: solution}",
                      "  submissions: 20", "  selected: 4"]
        elif kind == "practice":
            lines.append("practice: {transferability: high}")
        else:
            repos.append(cid)
            lines += ["building_blocks:",
                      "  - {id: block-a, name: Blok A, kind: api, license: EUPL-1.2, "
                      f"maintainer: org-{rng.randrange(n_orgs)}}}",
                      "  - {id: block-b, name: Blok B, kind: dataset, license: CC-BY-4.0}"]
        lines.append("---")
        wanted = {"lab": [0, 1, 2, 3], "challenge": [0, 4, 1, 2, 3],
                  "practice": [0, 1, 2, 3], "repository": [0, 5, 6]}[kind]
        for lang in ("nl", "en"):
            body = "".join(f"\n## {sections[lang][s]}\n\n{_text(rng, 60, words[lang])}\n"
                           for s in wanted)
            if lang == "nl":
                head = "\n".join(lines)
            else:
                head = (f"---\ntitle: Case {i} {_text(rng, 3, words['en'])}\n"
                        f"summary: {_text(rng, 12, words['en'])} summary of case {i}.\n---")
            (root / "content" / "cases" / f"{cid}.{lang}.md").write_text(
                head + "\n" + body, encoding="utf-8")
    return root


def main() -> None:
    """Command line: ``python bench/synth.py DIR N``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("cases", type=int)
    parser.add_argument("--text", choices=TEXTS, default="uniform")
    args = parser.parse_args()
    generate(args.root, args.cases, text=args.text)


if __name__ == "__main__":
    main()
