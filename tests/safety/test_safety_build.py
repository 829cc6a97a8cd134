"""``casebook/safety`` in real builds: injected script fails the build, no file leaks.

* Canaries: a theme override and a hook that each write script into every page
  make ``mkdocs build`` fail with the scanner's message (file, line, what).
* Snippets: ``pymdownx.snippets`` is not enabled, so include lines stay plain
  text; enabled the only way casebook/safety accepts, an include outside the
  allowed folder is refused and fails the build; any looser configuration is
  refused before anything is built. The include lines sit on a page that is not
  a case, so the validator (which also rejects them in entries) is not involved:
  this is the MkDocs-level guard.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from sitebuild import REPO_ROOT, mkdocs_build, site_root_with

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("safety_build")]

SECRET = "CASEBOOK-CANARY-SECRET-7f3a9c"
INJECTED_SCRIPT = "<script>alert(1)</script>"


def _root(tmp_path: Path) -> Path:
    return site_root_with(REPO_ROOT / "content", tmp_path / "root")


def _config(root: Path) -> dict:
    class Loose(yaml.SafeLoader):
        pass

    Loose.add_constructor("!ENV", lambda loader, node: None)
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loose)


def _write_config(root: Path, config: dict) -> None:
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                     encoding="utf-8")


def _published_text(site: Path) -> str:
    """Everything in the built site as text, Pagefind's compressed index included."""
    parts = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        parts.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(parts)


# -- canaries ------------------------------------------------------------------------


def _override(root: Path) -> None:
    main = root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8")
                    + "\n{% block extrahead %}" + INJECTED_SCRIPT + "{% endblock %}\n",
                    encoding="utf-8")


def _hook(root: Path) -> None:
    (root / "hooks").mkdir(exist_ok=True)
    (root / "hooks" / "inject.py").write_text(
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</article>', "
        "'<img src=x onerror=alert(1)></article>', 1)\n", encoding="utf-8")
    config = _config(root)
    config["hooks"] = ["hooks/inject.py"]
    _write_config(root, config)


@pytest.mark.parametrize(("inject", "expected"), [
    (_override, "script: an inline script that is not one of the theme's own: 'alert(1)'"),
    (_hook, "event-handler: <img> has an event handler 'onerror'"),
], ids=["theme-override", "hook"])
def test_injected_script_fails_the_build(tmp_path: Path, inject, expected: str) -> None:
    root = _root(tmp_path)
    inject(root)
    result = mkdocs_build(root / "mkdocs.yml", root / "site", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "casebook/safety" in output and "must not be published" in output, output
    assert expected in output, output
    # Named by file and line; the same problem on every page (both languages) is
    # listed once with the number of other files.
    assert "index.html:" in output or "404.html:" in output, output
    assert "the same in" in output and "other file(s)" in output, output


# -- snippets ------------------------------------------------------------------------


def _snippet_page(root: Path, tmp_path: Path) -> Path:
    """A secret outside the repository and a non-case page that tries to include it."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    page = root / "content" / "contribute.nl.md"
    page.write_text(page.read_text(encoding="utf-8") + (
        "\n## Insluiten\n\n"
        '--8<-- "/etc/passwd"\n\n'
        '--8<-- "../mkdocs.yml"\n\n'
        f'--8<-- "{secret}"\n\n'
        "--8<--\n"
        f"{secret}\n"
        "--8<--\n"
    ), encoding="utf-8")
    return secret


def _leaked(text: str) -> list[str]:
    leaks = []
    if SECRET in text:
        leaks.append("the secret file")
    if "root:x:0:0" in text:
        leaks.append("/etc/passwd")
    if "docs_dir: content" in text or "markdown_extensions:" in text:
        leaks.append("mkdocs.yml")
    return leaks


def _build_without_validation(root: Path, monkeypatch: pytest.MonkeyPatch,
                              caplog: pytest.LogCaptureFixture) -> str:
    """Build in this process with ``validate`` reporting nothing (the layer below the
    validator, which now reads contribute.<lang>.md too); the error text, if any."""
    from casebook.mkdocs_plugins import common
    from mkdocs.commands.build import build

    monkeypatch.setattr(common, "validate", lambda *a, **k: ([], 0))
    monkeypatch.setattr(common, "_STATES", {})
    monkeypatch.setattr(common, "_KB_CACHE", {})
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    try:
        build(config)
    except Exception as exc:  # MkDocs' own errors, and the snippets extension's
        return f"{type(exc).__name__}: {exc}\n{caplog.text}"
    return ""


def _validator_refuses_the_includes(root: Path) -> None:
    result = mkdocs_build(root / "mkdocs.yml", root / "site-validated", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "content/contribute.nl.md:" in output and "unsafe-include" in output, output
    assert _leaked(output) == []


def test_snippets_are_not_enabled_and_include_lines_stay_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    assert "pymdownx.snippets" not in str(_config(REPO_ROOT).get("markdown_extensions"))
    root = _root(tmp_path)
    _snippet_page(root, tmp_path)
    _validator_refuses_the_includes(root)
    assert _build_without_validation(root, monkeypatch, caplog) == ""
    published = _published_text(root / "site")
    assert _leaked(published) == []
    page = (root / "site" / "contribute" / "index.html").read_text(encoding="utf-8")
    assert "--8&lt;-- &quot;/etc/passwd&quot;" in page or '--8&lt;-- "/etc/passwd"' in page


def test_safe_snippets_refuse_files_outside_their_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    root = _root(tmp_path)
    secret = _snippet_page(root, tmp_path)
    config = _config(root)
    config["markdown_extensions"].append({"pymdownx.snippets": {
        "base_path": ["content"], "restrict_base_path": True, "check_paths": True}})
    _write_config(root, config)
    _validator_refuses_the_includes(root)
    output = _build_without_validation(root, monkeypatch, caplog)
    assert output, "the build went through"
    assert "Snippet" in output and ("/etc/passwd" in output or str(secret) in output), output
    assert _leaked(output) == []
    if (root / "site").is_dir():
        assert _leaked(_published_text(root / "site")) == []


@pytest.mark.parametrize(("options", "problem"), [
    ({"base_path": ["."], "check_paths": True}, "base_path '.' must be a folder inside"),
    ({"base_path": ["/"], "check_paths": True}, "base_path '/' must be a folder inside"),
    ({"base_path": [".."], "check_paths": True}, "base_path '..' must be a folder inside"),
    ({"base_path": ["content"]}, "check_paths must be true"),
    ({"base_path": ["content"], "check_paths": True, "restrict_base_path": False},
     "restrict_base_path must be true"),
    ({"base_path": ["content"], "check_paths": True, "url_download": True},
     "url_download must be false"),
], ids=["root", "slash", "parent", "no-check-paths", "unrestricted", "url-download"])
def test_unsafe_snippet_configuration_is_refused(tmp_path: Path, options: dict,
                                                 problem: str) -> None:
    from casebook.mkdocs_plugins.safety.plugin import snippet_problems

    (tmp_path / "empty").mkdir()
    root = site_root_with(tmp_path / "empty", tmp_path / "root")
    config = _config(root)
    config["markdown_extensions"].append({"pymdownx.snippets": options})
    _write_config(root, config)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)  # snippets resolve base_path against the working directory
        loaded = load_config(str(root / "mkdocs.yml"))
        assert any(problem in p for p in snippet_problems(loaded)), snippet_problems(loaded)
        safe = dict(options, base_path=["content"], check_paths=True,
                    restrict_base_path=True, url_download=False)
        loaded.mdx_configs["pymdownx.snippets"] = safe
        assert snippet_problems(loaded) == []


def test_unsafe_snippet_configuration_stops_the_build(tmp_path: Path) -> None:
    root = _root(tmp_path)
    _snippet_page(root, tmp_path)
    config = _config(root)
    config["markdown_extensions"].append({"pymdownx.snippets": {"base_path": ["/"]}})
    _write_config(root, config)
    result = mkdocs_build(root / "mkdocs.yml", root / "site", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "casebook/safety: the pymdownx.snippets configuration" in output, output
    assert "base_path '/'" in output and "check_paths must be true" in output
    assert _leaked(output) == []
    assert not (root / "site" / "contribute").exists()
