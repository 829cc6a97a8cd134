"""Issue bodies exactly as GitHub writes them for the committed issue form.

For every element of ``.github/ISSUE_TEMPLATE/new-case.yml`` except Markdown,
in order: ``### <label>``, a blank line, the answer (``_No response_`` when
empty; a multiple dropdown's options joined by ``, ``; ``- [X] <label>`` for a
ticked checkbox), sections separated by a blank line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

FORM = Path(__file__).resolve().parents[2] / ".github" / "ISSUE_TEMPLATE" / "new-case.yml"


def form() -> dict[str, Any]:
    """The committed issue form."""
    return yaml.safe_load(FORM.read_text(encoding="utf-8"))


def github_body(answers: dict[str, Any], *, crlf: bool = False) -> str:
    """The issue body GitHub writes for ``answers`` (field id → answer)."""
    parts = []
    for element in form()["body"]:
        if element["type"] == "markdown":
            continue
        attrs = element["attributes"]
        value = answers.get(element["id"])
        if element["type"] == "checkboxes":
            value = "\n".join(f"- [{'X' if value else ' '}] {o['label']}"
                              for o in attrs["options"])
        elif element["type"] == "dropdown" and isinstance(value, list):
            for option in value:
                assert option in attrs["options"] or option.startswith("!"), option
            value = ", ".join(o.lstrip("!") for o in value)
        elif element["type"] == "dropdown" and value:
            assert value in attrs["options"] or value.startswith("!"), value
            value = value.lstrip("!")
        parts.append(f"### {attrs['label']}\n\n{value if value else '_No response_'}")
    body = "\n\n".join(parts)
    return body.replace("\n", "\r\n") if crlf else body


BODY_NL = {
    "practice": ("## Context\n\nDe context volgens de bron.\n\n## Aanpak\n\nDe aanpak.\n\n"
                 "## Resultaten\n\nDe resultaten.\n\n## Lessen\n\nDe lessen.\n"),
    "lab": ("## Context\n\nDe context.\n\n## Aanpak\n\nDe aanpak.\n\n## Resultaten\n\n"
            "De resultaten.\n\n## Lessen\n\nDe lessen.\n"),
    "challenge": ("## Context\n\nDe context.\n\n## De uitdaging\n\nDe vraag.\n\n## Aanpak\n\n"
                  "De aanpak.\n\n## Resultaten\n\nDe resultaten.\n\n## Lessen\n\nDe lessen.\n"),
}
BODY_EN = ("## Context\n\nThe context.\n\n## Building blocks\n\nThe blocks.\n\n## Reuse\n\n"
           "Who reuses them.\n")

#: One filled form per kind of case; the organisations exist in content/ (named by id or
#: by name).
FILLED: dict[str, dict[str, Any]] = {
    "practice": {
        "lang": "Nederlands",
        "title": "Proeftuin slimme verlichting",
        "summary": "Een proef met slimme straatverlichting in twee wijken van de stad.",
        "kind": "Goede praktijk / Good practice",
        "organisations": "stad-antwerpen | Eigenaar\ndigipolis-antwerpen | partner",
        "countries": ["België / Belgium (BE)"],
        "places": "Antwerpen",
        "themes": ["Energie / Energy", "Openbare ruimte / Public space"],
        "mechanisms": ["Living lab"],
        "period_start": "2021",
        "period_end": "2023",
        "stage": "Afgerond / Completed",
        "sources": "Eindrapport van de proeftuin | Stad Antwerpen | 2023-11 | "
                   "https://www.example.org/rapport",
        "practice_transferability": "Hoog / High",
        "body": BODY_NL["practice"],
        "licence": True,
    },
    "lab": {
        "lang": "Nederlands",
        "title": "Stadslab voor de binnenstad",
        "summary": "Een lab waarin stad en bewoners samen de binnenstad herinrichten.",
        "kind": "Innovatielab / Innovation lab",
        "organisations": "Stad Mechelen | gastheer",
        "countries": ["België / Belgium (BE)"],
        "themes": ["Openbare ruimte / Public space"],
        "mechanisms": ["Innovatielab als werkvorm / Innovation lab as a method",
                       "Co-creatie / Co-creation"],
        "period_start": "2019-03",
        "period_start_known": "Ja, de bronnen noemen het beginjaar / Yes, the sources give the "
                              "start year",
        "stage": "Actief / Active",
        "sources": "Jaarverslag van het lab | | 2022 |",
        "lab_founded": "2019",
        "lab_setting": "Hybride / Hybrid",
        "body": BODY_NL["lab"],
        "licence": True,
    },
    "challenge": {
        "lang": "Nederlands",
        "title": "Uitdaging slimme parkeerdata",
        "summary": "Een open uitdaging aan bedrijven om parkeerdata bruikbaar te maken.",
        "kind": "Uitdaging / Challenge",
        "organisations": "stad-brugge | eigenaar",
        "countries": ["België / Belgium (BE)"],
        "themes": ["Mobiliteit / Mobility", "Data"],
        "mechanisms": ["Open uitdaging / Open challenge"],
        "barriers": ["Financiering / Funding"],
        "period_start": "2022",
        "period_start_known": "Nee, ik gaf het jaar waarin de casus voor het eerst genoemd "
                              "wordt / No, I gave the year the case is first mentioned",
        "period_end": "2022",
        "stage": "Afgerond / Completed",
        "sources": "Oproep slimme parkeerdata | Stad Brugge | 2022-02",
        "links": "https://www.example.org/oproep | Website | De oproep",
        "challenge_procurement": "Prijsvraag / Prize",
        "challenge_budget_amount": "50000",
        "challenge_budget_currency": "Euro (EUR)",
        "challenge_budget_per": "totaal / in total",
        "challenge_submissions": "12",
        "challenge_selected": "3",
        "body": BODY_NL["challenge"],
        "licence": True,
    },
    "repository": {
        "lang": "English",
        "title": "Shared components of the city",
        "summary": "A repository of reusable components that the city publishes for others.",
        "kind": "Bouwstenenbibliotheek / Repository of building blocks",
        "organisations": "digipolis-antwerpen | Owner",
        "countries": ["België / Belgium (BE)", "Nederland / Netherlands (NL)"],
        "themes": ["Data"],
        "mechanisms": ["Open source"],
        "period_start": "2020",
        "stage": "Actief / Active",
        "sources": "Component catalogue | Digipolis | 2024-05-01 | https://www.example.org/c",
        "building_blocks": "login-widget | Login widget | Code | https://www.example.org/l | "
                           "EUPL-1.2 | digipolis-antwerpen\nopen-api | Open API | api",
        "body": BODY_EN,
        "licence": True,
    },
}
