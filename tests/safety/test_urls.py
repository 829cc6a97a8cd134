"""Links as readers see them: user information and look-alike hosts are refused; real
internationalised domain names are accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.safety.urls import ascii_host, host_problem

HOSTILE = [
    "https://www.amsterdam.nl\u2215loket\u2215inloggen@evil.example/",  # U+2215, user-info
    "https://www.amsterdam.nl@evil.example/",
    "https://user:pass@example.org/",
    "https://www.rijksoverhe\u0131d.nl/",          # dotless i
    "https://www.\u0430msterdam.nl/",               # Cyrillic a among Latin letters
    "https://\u0455\u0441\u043e\u0440\u0435.com/",  # Cyrillic "scope": whole-script look-alike
    "http://g\u03bf\u03bfgle.com/",                 # Greek omicrons among Latin letters
    "https://www.amsterdam.nl\u2215loket/",          # a slash look-alike in the host
]
LEGITIMATE = [
    "https://www.amsterdam.nl/loket/inloggen?next=@home",  # '@' outside the host
    "https://münchen.de/", "https://www.bücher.de/", "https://straße.de/",
    "https://bären.ch/", "https://københavn.dk/", "https://例え.jp/",
    "https://παράδειγμα.δοκιμή/", "https://пример.рф/", "https://xn--mnchen-3ya.de/",
    "mailto:info@example.org",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_misleading_addresses_are_refused(url: str) -> None:
    assert host_problem(url)


@pytest.mark.parametrize("url", LEGITIMATE)
def test_real_international_domains_are_accepted(url: str) -> None:
    assert host_problem(url) is None


def test_the_ascii_form_is_what_a_browser_shows() -> None:
    assert ascii_host("münchen.de") == "xn--mnchen-3ya.de"
    assert "xn--" in (host_problem("https://www.\u0430msterdam.nl/") or "")


ORG = """---
name: Gemeente Proef
kind: municipality
country: NL
website: "{website}"
reviewed: 2024-05-01
---

Tekst met een [link]({link}) en <{autolink}>.
"""


def test_the_validator_applies_the_rule_to_fields_and_body_links(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "organisations"
    folder.mkdir(parents=True)
    (folder / "proef.nl.md").write_text(ORG.format(
        website="https://www.rijksoverhe\u0131d.nl/", link="https://a@evil.example/",
        autolink="https://www.\u0430msterdam.nl/"), encoding="utf-8")
    (folder / "echt.nl.md").write_text(ORG.replace("Proef", "Echt").format(
        website="https://münchen.de/", link="https://straße.de/x?y=@z",
        autolink="https://пример.рф/"), encoding="utf-8")
    diagnostics, _ = validate(tmp_path)
    hosts = [(d.path.rsplit("/", 1)[1], d.field) for d in diagnostics if d.code == "url-host"]
    assert sorted(hosts) == [("proef.nl.md", "body"), ("proef.nl.md", "body"),
                             ("proef.nl.md", "website")], diagnostics


def test_links_to_international_hosts_show_their_ascii_form() -> None:
    from casebook.safety.sanitize import sanitize_html
    from casebook.safety.urls import annotate_links
    from casebook.site.views import Item

    page = annotate_links(sanitize_html(
        '<p><a href="https://münchen.de/rathaus">Rathaus</a> en '
        '<a href="https://example.org/ü">gewoon</a></p>'))
    assert '</a> <span class="cb-host">(xn--mnchen-3ya.de)</span>' in page
    assert page.count("cb-host") == 1  # an ASCII host with a non-ASCII path has none
    item = Item("Stad", "https://пример.рф/").html
    assert '<span class="cb-host">(xn--e1afmkfd.xn--p1ai)</span>' in item
    assert "cb-host" not in Item("Stad", "https://example.org/").html
