"""The rendering budget: what the validator accepts renders in time, and what
Python-Markdown cannot render in time (or at all) is refused.

For every construct that makes Python-Markdown recurse or go quadratic, the test
finds the largest body of it that the validator still accepts, fills it up to
1 MiB, and renders it as the build does (Python-Markdown with the site's
extensions, then the sanitizer). Its time must stay within 3x the time of an
ordinary 1 MiB body (paragraphs, links, emphasis, lists, headings) measured in
the same run.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from casebook.checks.validate import validate
from casebook.content.diagnostics import Collector
from casebook.content.frontmatter import MAX_FILE_BYTES
from casebook.safety.budget import check_budget
from casebook.safety.sanitize import sanitize_html
from hostile_corpus import TODAY, prepare, site_markdown

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("render-budget")]

SIZE = MAX_FILE_BYTES - 4096  # the largest body a file may hold, its front-matter aside
FILLER = "Gewone tekst op een regel.\n"


def _render(body: str) -> float:
    """Seconds to render ``body`` as the build renders an entry body."""
    md = site_markdown()
    started = time.perf_counter()
    sanitize_html(md.convert(body))
    return time.perf_counter() - started


def _ordinary(size: int) -> str:
    para = ("Het **lab** werkt met [bewoners](https://example.org/a) en de gemeente aan "
            "*nieuwe* ideeën; zie ook [het verslag](https://example.org/b) en `code`. ") * 4
    unit = "## Aanpak\n\n" + (para + "\n\n") * 5 + "- een punt\n- nog een punt\n\n"
    return (unit * (size // len(unit) + 1))[:size]


#: Each construct, as a function of how many times it is repeated.
FAMILIES: dict[str, Callable[[int], str]] = {
    "nested-brackets": lambda n: "[" * n + "]" * n,
    "unclosed-brackets": lambda n: "[" * n,
    "unclosed-images": lambda n: "![" * n,
    "unclosed-tags": lambda n: "<a " * n,
    "unclosed-autolinks": lambda n: "<http://a" * n,
    "closed-tags": lambda n: "<b>x</b> " * n,
    "nested-lists": lambda n: "".join("    " * i + "- x\n" for i in range(n)),
    "definition-list": lambda n: "".join(f"Term {i}\n:   Uitleg {i}\n" for i in range(n)),
    "headings": lambda n: "## x\n\n" * n,
    "footnotes": lambda n: "".join(f"x[^{i}] " for i in range(n)) + "\n\n" + "".join(
        f"[^{i}]: n\n" for i in range(n)),
    "tiny-blocks": lambda n: "a\n\n" * n,
}


def _body(family: str, n: int) -> str:
    attack = FAMILIES[family](n)
    return attack + "\n\n" + FILLER * max(0, (SIZE - len(attack) - 2) // len(FILLER))


def _within_budget(body: str) -> bool:
    out = Collector()
    check_budget(SimpleNamespace(rel="x"), body, lambda i: (1, 1), out)  # type: ignore[arg-type]
    return not out.items


def largest_accepted(family: str) -> int:
    """The largest repetition of ``family`` the budget accepts (in a 1 MiB body)."""
    low, high = 1, 2
    while len(FAMILIES[family](high)) < SIZE and _within_budget(_body(family, high)):
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if _within_budget(_body(family, mid)) else (low, mid)
    return low


@functools.cache
def _ordinary_seconds() -> float:
    return min(_render(_ordinary(SIZE)) for _ in range(2))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_worst_accepted_body_renders_within_3x_an_ordinary_one(family: str,
                                                                   tmp_path: Path) -> None:
    n = largest_accepted(family)
    body = _body(family, n)
    assert len(body) > SIZE - 64
    # The whole validator accepts it (not only the budget).
    root = prepare("ok-jinja-text", tmp_path)
    path = root / "content" / "cases" / "ok-jinja-text.nl.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n---\n") + 5] + body, encoding="utf-8")
    diagnostics, _ = validate(root, today=TODAY)
    assert [d for d in diagnostics if d.severity == "error"] == []
    # ... and a little more of the construct is refused.
    assert not _within_budget(_body(family, n + 1)) or len(FAMILIES[family](n + 1)) >= SIZE
    ordinary = _ordinary_seconds()
    seconds = _render(body)
    assert seconds <= 3 * ordinary, (
        f"{family} x{n}: {seconds:.1f} s against {ordinary:.1f} s for ordinary text")


def test_the_refused_constructs_do_crash_or_stall_python_markdown() -> None:
    """The limits guard against real failures: past them Python-Markdown crashes
    (nesting) or spends far more per character than on ordinary text."""
    with pytest.raises(RecursionError):
        _render(FAMILIES["nested-lists"](400))
    ordinary = _render(_ordinary(20_000)) / 20_000
    brackets = FAMILIES["nested-brackets"](2_500)
    assert _render(brackets) / len(brackets) > 10 * ordinary
