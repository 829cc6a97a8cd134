"""`make preview` speaks the language of `--lang`, else of the environment (`LANG`)."""

from __future__ import annotations

import pytest
from casebook.mkdocs_plugins import preview


@pytest.mark.parametrize("argv, env, expected", [
    (["--lang", "nl"], {}, "Er is geen MkDocs-configuratie"),
    ([], {"LANG": "nl_NL.UTF-8"}, "Er is geen MkDocs-configuratie"),
    (["--lang", "en"], {"LANG": "nl_NL.UTF-8"}, "There is no MkDocs configuration"),
    ([], {"LANG": "C.UTF-8"}, "There is no MkDocs configuration"),
])
def test_the_terminal_speaks_the_chosen_language(argv, env, expected, monkeypatch, capsys,
                                                  tmp_path):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert preview.main([*argv, "-f", str(tmp_path / "missing.yml")]) == 2
    assert capsys.readouterr().out.startswith(expected)


def test_an_unknown_language_is_a_usage_error(capsys, tmp_path):
    assert preview.main(["--lang", "xx", "-f", str(tmp_path / "missing.yml")]) == 2
    assert "unknown language" in capsys.readouterr().err
