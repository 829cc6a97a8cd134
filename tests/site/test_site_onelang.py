"""A small fixture knowledge base (``fixtures/onelang``) built with the repository's
mkdocs.yml under another root: one-language entries in both directions, machine
translation, staleness, building blocks and where they are used; and an invalid
case that stops the build with the validator's own message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from casebook.checks.validate import validate
from casebook.content.uitext import ui_text
from sitebuild import mkdocs_build, onelang_site, site_root_with
from sitehtml import alternates, article, fact_box, fragment, hrefs, page, plain, resolve

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site_onelang")]

FIXTURE = Path(__file__).parent / "fixtures" / "onelang" / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return onelang_site(tmp_path_factory)


def _notices(text: str) -> list[str]:
    return re.findall(r'cb-notice--(\w+)"', article(text))


@pytest.mark.parametrize(("url", "page_lang", "text_lang"), [
    ("/en/cases/fietslab/", "en", "nl"),            # Dutch original, no English file
    ("/cases/battery-challenge/", "nl", "en"),      # English original, no Dutch file
    ("/organisations/widget-works/", "nl", "en"),   # the same for an organisation
])
def test_one_language_entry_shows_the_original_with_a_notice(
        site: Path, url: str, page_lang: str, text_lang: str) -> None:
    text = page(site, url)
    assert f'<html lang="{page_lang}"' in text
    notice = fragment(text, r'<div class="admonition [^"]*cb-notice--untranslated".*?</div>')
    assert ui_text("notices.untranslated", page_lang) in notice
    language = ui_text(f"languages.{text_lang}", page_lang)
    assert plain(notice).endswith(
        ui_text("notices.untranslated_text", page_lang, language=language))
    # The original text is there, marked with its language; the fact box is not.
    body = fragment(text, r'<div class="cb-text" lang="(\w+)">.*?</div>')
    assert f'lang="{text_lang}"' in body
    assert re.search(rf'<h1 lang="{text_lang}">', text)
    assert 'lang="' not in fact_box(text).split(">", 1)[0]
    own = "Alleen in het Nederlands" if text_lang == "nl" else "in English only"
    assert own in plain(body)


def test_one_language_entry_is_complete_in_its_own_language(site: Path) -> None:
    for url in ("/cases/fietslab/", "/en/cases/battery-challenge/",
                "/en/organisations/widget-works/"):
        text = page(site, url)
        assert "untranslated" not in _notices(text)
        assert '<div class="cb-text">' in text


def test_one_language_entry_has_both_alternates(site: Path) -> None:
    for neutral in ("cases/fietslab/", "cases/battery-challenge/", "organisations/widget-works/"):
        for prefix in ("/", "/en/"):
            url = prefix + neutral
            links = {k: resolve(url, v) for k, v in alternates(page(site, url)).items()}
            assert links == {"nl": "/" + neutral, "en": "/en/" + neutral}


def test_machine_translation_notice(site: Path) -> None:
    english = page(site, "/en/cases/open-bouwstenen/")
    assert _notices(english) == ["machine"]
    notice = plain(fragment(english, r'<div class="admonition [^"]*cb-notice--machine".*?</div>'))
    assert ui_text("notices.machine", "en") in notice
    assert ui_text("languages.nl", "en") in notice
    assert _notices(page(site, "/cases/open-bouwstenen/")) == []


def test_stale_notice_only_on_old_reviewed_dates(site: Path) -> None:
    for lang, prefix in (("nl", "/"), ("en", "/en/")):
        old = page(site, f"{prefix}cases/fietslab/")  # reviewed 2019-01-15
        assert "stale" in _notices(old)
        notice = plain(fragment(old, r'<div class="admonition [^"]*cb-notice--stale".*?</div>'))
        assert ui_text("notices.stale_text", lang, date="2019-01-15", months=24) in notice
        assert "stale" not in _notices(page(site, f"{prefix}cases/battery-challenge/"))


def test_building_blocks_used_in_and_reused(site: Path) -> None:
    for lang, prefix in (("nl", "/"), ("en", "/en/")):
        url = f"{prefix}cases/open-bouwstenen/"
        table = fragment(article(page(site, url)), r'<div class="cb-blocks">.*?</table>')
        used = fragment(table, r'<tr id="block-route-api">.*?</tr>')
        assert f"{prefix}cases/fietslab/" in {resolve(url, h) for h in hrefs(used)}
        assert f"{prefix}organisations/gemeente-acme/" in {resolve(url, h) for h in hrefs(used)}
        unused = plain(fragment(table, r'<tr id="block-tellingen">.*?</tr>'))
        assert ui_text("blocks.not_used", lang) in unused
        user = f"{prefix}cases/fietslab/"
        box = fact_box(page(site, user))
        assert f"{url}#block-route-api" in {resolve(user, h) + "#" + h.split("#")[1]
                                             for h in hrefs(box) if "#" in h}


def test_challenge_and_lab_blocks_in_the_page_language(site: Path) -> None:
    nl = plain(fact_box(page(site, "/cases/battery-challenge/")))
    en = plain(fact_box(page(site, "/en/cases/battery-challenge/")))
    assert "Prijsvraag" in nl and "Prize" in en
    assert "50.000 euro totaal" in nl and "50,000 Euro in total" in en
    assert "Inzendingen 12" in nl and "Submissions 12" in en
    lab = plain(fact_box(page(site, "/en/cases/fietslab/")))
    assert "Setting Hybrid" in lab and "Founded in 2019" in lab
    assert "2019 – June 2021" in lab


def test_empty_facet_values_get_no_page_but_every_kind_does(site: Path) -> None:
    assert (site / "themes" / "energy" / "index.html").is_file()
    assert not (site / "themes" / "housing").exists()
    assert (site / "en" / "kinds" / "practice" / "index.html").is_file()
    # No contributor guide in this knowledge base: no nav entry, no link from the home page.
    home = page(site, "/")
    assert "contribute/" not in " ".join(hrefs(home))


def test_invalid_case_stops_the_build_with_the_validator_message(tmp_path: Path) -> None:
    root = site_root_with(FIXTURE, tmp_path / "broken")
    case = root / "content" / "cases" / "fietslab.nl.md"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "themes: [mobility, participation]", "themes: [mobilty, participation]"),
        encoding="utf-8")
    expected = [d.format_text() for d in validate(root)[0] if d.severity == "error"]
    assert expected == [
        "content/cases/fietslab.nl.md:11:10: error[unknown-term]: themes, 1st value: 'mobilty' "
        "is not a theme; did you mean 'mobility'?"]
    result = mkdocs_build(root / "mkdocs.yml", root / "site", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert expected[0] in output
    assert "Traceback" not in output
    assert not (root / "site" / "cases").exists()
    # The build speaks the language of its environment, like casebook validate.
    dutch = mkdocs_build(root / "mkdocs.yml", root / "site", check=False,
                         env={"LANG": "nl_NL.UTF-8"})
    output = dutch.stdout + dutch.stderr
    assert dutch.returncode != 0
    assert ("content/cases/fietslab.nl.md:11:10: fout[unknown-term]: thema's, 1e waarde: "
            "'mobilty' is geen thema; bedoelt u 'mobility'?") in output
    assert "de kennisbank heeft 1 fout, dus de site is niet gebouwd" in output


def test_warnings_do_not_break_a_strict_build(tmp_path: Path) -> None:
    root = site_root_with(FIXTURE, tmp_path / "warned")
    case = root / "content" / "cases" / "battery-challenge.en.md"
    case.write_text(case.read_text(encoding="utf-8").replace("## Lessons\n", "## Other\n"),
                    encoding="utf-8")
    warnings = [d for d in validate(root)[0] if d.severity == "warning"]
    assert warnings, "the fixture should now have a missing-section warning"
    result = mkdocs_build(root / "mkdocs.yml", root / "site", check=False)
    assert result.returncode == 0, result.stderr
    assert warnings[0].format_text() in result.stderr
    shutil.rmtree(root)
