"""Keyboard use of the built site in headless Chromium: a skip link first, the
language switcher and the cases reachable by Tab, a visible focus indicator on every
stop, and the search filters operable without a mouse."""

from __future__ import annotations

import re
from typing import Any

import pytest
from a11ypages import path_for, prefix
from casebook.content.vocab import LANGUAGES
from casebook.site.views import SiteIndex
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("a11y_keyboard")]

#: Tab presses after which a page counts as not reachable by keyboard.
MAX_TABS = 80
#: The computed styles that can show focus.
FOCUS_STYLE = """el => { const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow}; }"""
DESCRIBE = """el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
    + `${el.className && typeof el.className === 'string' ? '.' + el.className.trim()
          .split(/\\s+/).join('.') : ''} "${(el.textContent || el.getAttribute('aria-label')
          || '').trim().slice(0, 40)}" ${el.getAttribute('href') || ''}`"""


def other(lang: str) -> str:
    return next(x for x in LANGUAGES if x != lang)


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def tab(page: Page) -> Any:
    """Press Tab; the newly focused element (a JS handle)."""
    page.keyboard.press("Tab")
    return page.evaluate_handle("document.activeElement")


def shows_focus(focused: dict[str, str], unfocused: dict[str, str]) -> bool:
    """Whether the focused style draws an outline or shadow the unfocused one lacks."""
    if focused == unfocused:
        return False
    outline = focused["outline"].split()
    has_outline = outline[0] not in ("none", "hidden") and outline[1] not in ("0px", "0")
    return has_outline or focused["shadow"] != "none"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_tab_is_a_skip_link_to_the_content(page: Page, site_server: str,
                                                 site_index: SiteIndex, lang: str) -> None:
    kind = next(iter(sorted(site_index.facets["kinds"])))
    open_page(page, site_server.rstrip("/") + prefix(lang) + path_for(f"case:{kind}",
                                                                     site_index))
    skip = page.locator("a.md-skip")
    assert skip.evaluate("el => getComputedStyle(el).opacity") == "0"  # hidden until focused
    first = tab(page)
    assert first.evaluate("el => el.matches('a.md-skip')"), first.evaluate(DESCRIBE)
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")
    expect(skip).to_be_in_viewport()
    assert skip.inner_text().strip()

    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'cb-main'")
    main = page.locator("#cb-main")
    # The target holds the page title and everything after it, not just the body text.
    assert main.locator("h1").count() == 1
    assert main.locator(".cb-facts").count() == 1
    after = tab(page)
    assert after.evaluate("el => el.closest('#cb-main') !== null"), (
        f"Tab after the skip link went to {after.evaluate(DESCRIBE)}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tabbing_reaches_switcher_and_cases_with_visible_focus(
    page: Page, site_server: str, lang: str
) -> None:
    open_page(page, site_server.rstrip("/") + prefix(lang))
    switcher = f"a.md-select__link[hreflang={other(lang)}]"
    stops: list[tuple[Any, dict[str, str]]] = []
    reached = {"switcher": False, "case": False}
    for _ in range(MAX_TABS):
        element = tab(page)
        stops.append((element, element.evaluate(FOCUS_STYLE)))
        reached["switcher"] |= element.evaluate(f"el => el.matches({switcher!r})")
        reached["case"] |= element.evaluate(
            "el => el.matches('#cb-main a[href*=\"cases/\"]')")
        if all(reached.values()):
            break
    assert all(reached.values()), f"not reached in {MAX_TABS} Tab presses: {reached}"

    page.evaluate("document.activeElement.blur()")
    unseen = [element.evaluate(DESCRIBE) for element, focused in stops
              if not shows_focus(focused, element.evaluate(FOCUS_STYLE))]
    assert not unseen, "focus is not visible on:\n" + "\n".join(unseen)


def test_focus_check_notices_a_hidden_indicator(browser: Any, site_server: str) -> None:
    """The comparison fails where a style removes the focus ring (the test's own style
    is inline, so the site's Content-Security-Policy is bypassed for it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    open_page(page, site_server)
    page.add_style_tag(content="*:focus, *:focus-visible, .focus-visible "
                               "{ outline: none !important; box-shadow: none !important; }")
    element = tab(page)
    focused = element.evaluate(FOCUS_STYLE)
    page.evaluate("document.activeElement.blur()")
    assert not shows_focus(focused, element.evaluate(FOCUS_STYLE))
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_filters_work_by_keyboard(page: Page, site_server: str, lang: str) -> None:
    open_page(page, site_server.rstrip("/") + prefix(lang) + "search/")
    boxes = page.locator(".casebook-facet input[type=checkbox]")
    expect(boxes.first).to_be_attached()
    summary = page.locator("#casebook-search-count")
    expect(summary).to_contain_text(re.compile(r"\d"))
    before = summary.inner_text()
    for _ in range(MAX_TABS):
        element = tab(page)
        if element.evaluate(
                "el => el.matches('.casebook-facet input[type=checkbox]')"):
            break
    else:
        pytest.fail(f"no filter checkbox reached in {MAX_TABS} Tab presses")
    focused = element.evaluate(FOCUS_STYLE)
    name = element.evaluate("el => el.name || el.id")

    page.keyboard.press("Space")
    assert element.evaluate("el => el.checked")
    expect(page).to_have_url(re.compile(r"\?.+=.+"))  # the filter is in the URL
    expect(summary).not_to_have_text(before)  # and narrows the results
    # Focus stays on the checkbox, so the next key press can undo it.
    assert page.evaluate("document.activeElement.name || document.activeElement.id") == name
    page.keyboard.press("Space")
    assert not element.evaluate("el => el.checked")
    expect(summary).to_have_text(before)

    page.evaluate("document.activeElement.blur()")
    assert shows_focus(focused, element.evaluate(FOCUS_STYLE)), element.evaluate(DESCRIBE)


def _longest_transition(page: Page, selector: str) -> float:
    """The longest transition duration plus delay of ``selector``, in seconds."""
    return page.locator(selector).evaluate("""el => {
        const s = getComputedStyle(el);
        const secs = v => v.split(',').map(x => parseFloat(x) * (x.trim().endsWith('ms')
                                                                 ? 0.001 : 1));
        return Math.max(...secs(s.transitionDuration)) + Math.max(...secs(s.transitionDelay));
    }""")


def test_reduced_motion_turns_transitions_off(browser: Any, site_server: str) -> None:
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(reduced_motion=motion)
        try:
            page = context.new_page()
            open_page(page, site_server)
            page.keyboard.press("Tab")  # the skip link animates in when focused
            durations[motion] = _longest_transition(page, "a.md-skip")
        finally:
            context.close()
    assert durations["no-preference"] > 0.05, durations
    assert durations["reduce"] < 0.001, durations
