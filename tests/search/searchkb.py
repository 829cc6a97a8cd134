"""A small synthetic knowledge base for the exports, statistics and search tests."""

from __future__ import annotations

from pathlib import Path

CASES = {
    # Dutch original with a human English translation.
    "fietsstraat-lab.nl.md": """---
schema: 1
title: "Fietsstraatlab in Gent"
summary: "Een innovatielab waar bewoners en de stad samen fietsstraten ontwerpen en testen."
kind: lab
organisations:
  - {id: stad-gent, role: host}
  - {id: fietsbond, role: partner}
countries: [BE]
places: [Gent]
themes: [mobility, participation]
mechanisms: [living-lab, co-creation]
period: {start: 2019}
stage: active
lab: {founded: 2019, setting: physical}
sources:
  - {title: "Fietsstraten in Gent", publisher: "Stad Gent", date: "2019"}
reviewed: 2025-03-01
---

## Context

Bewoners ontwerpen fietsstraten met zebrapaden.
""",
    "fietsstraat-lab.en.md": """---
title: "Cycle street lab in Ghent"
summary: "An innovation lab where residents and the city design and test cycle streets."
translation: human
---

## Context

Residents design cycle streets with zebra crossings.
""",
    # English original without a Dutch translation.
    "energy-challenge.en.md": """---
title: "Neighbourhood battery challenge"
summary: "An open challenge in which companies proposed neighbourhood batteries."
kind: challenge
organisations:
  - {id: gemeente-delft, role: owner}
  - {id: fietsbond, role: funder}
countries: [NL, BE]
themes: [energy]
mechanisms: [open-challenge]
period: {start: "2017-05", end: 2018}
stage: completed
challenge:
  procurement: prize
  budget: {amount: 50000, currency: EUR, per: total}
  submissions: 12
  selected: 2
links:
  - {url: "https://example.org/battery", kind: website, label: "Challenge site"}
  - {url: "https://example.org/report", kind: report}
sources:
  - {title: "Battery challenge report", url: "https://example.org/report"}
reviewed: 2026-01-15
---

## Context

Grid congestion & storage </script> in the district.
""",
    # Dutch original with a machine translation; start unknown.
    "open-data-praktijk.nl.md": """---
title: "Open data over verkeersdrukte"
summary: "Een gemeente publiceert sensordata over verkeersdrukte als open data."
kind: practice
organisations:
  - {id: gemeente-delft, role: owner}
countries: [NL]
themes: [mobility, data]
mechanisms: [open-data]
period: {start: 2021, start_known: false}
stage: active
practice: {transferability: high}
sources:
  - {title: "Verkeersdata open"}
related: [fietsstraat-lab]
reviewed: 2024-06-30
---

## Context

De gemeente deelt verkeersgegevens.
""",
    "open-data-praktijk.en.md": """---
title: "Open data on traffic congestion"
summary: "A municipality publishes sensor data on traffic congestion as open data."
translation: machine
---

## Context

The municipality shares traffic data.
""",
}

ORGANISATIONS = {
    "stad-gent.nl.md": "---\nname: \"Stad Gent\"\nkind: municipality\ncountry: BE\n"
                       "reviewed: 2025-01-01\n---\n\n## Over de organisatie\n\nDe stad.\n",
    "stad-gent.en.md": "---\nname: \"City of Ghent\"\n---\n\n"
                       "## About the organisation\n\nThe city.\n",
    "fietsbond.nl.md": "---\nname: \"Fietsbond\"\nkind: ngo\ncountry: NL\n"
                       "reviewed: 2025-01-01\n---\n\n## Over de organisatie\n\nDe bond.\n",
    "gemeente-delft.nl.md": "---\nname: \"Gemeente Delft\"\nkind: municipality\ncountry: NL\n"
                            "website: \"https://www.delft.nl\"\nreviewed: 2025-01-01\n---\n\n"
                            "## Over de organisatie\n\nDe gemeente.\n",
}


def write_kb(root: Path) -> Path:
    """Write the synthetic knowledge base under ``root/content``; returns ``root``."""
    for folder, files in (("cases", CASES), ("organisations", ORGANISATIONS)):
        target = root / "content" / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")
    return root
