"""Fact boxes: a case's and an organisation's page, with their facts, notices,
building blocks and relations."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from casebook.content.model import Entry
from casebook.content.uitext import format_number
from casebook.content.vocab import DEFAULT_LANGUAGE
from casebook.site import cite
from casebook.site.facets import (
    BROWSE_FACETS,
    FACETS,
    KINDS,
    Facet,
    _case_vocab,
    field_vocabularies,
)
from casebook.site.feeds import FEED_FILE
from casebook.site.renderbase import RendererBase
from casebook.site.views import (
    Item,
    Notice,
    Row,
    _strings,
    is_stale,
    relative_base,
    shared_values,
    similar_cases,
    sort_key,
)


class FactBoxes(RendererBase):
    """The pages of entries: facts, notices, building blocks, relations."""

    def notices(self, entry: Entry, *, staleness: bool) -> list[Notice]:
        """Translation and staleness notices for an entry page."""
        out = []
        text_lang = entry.text_lang(self.lang)
        if text_lang != self.lang:
            out.append(Notice("untranslated", self.t("notices.untranslated"),
                              self.t("notices.untranslated_text",
                                     language=self.language_name(text_lang)), "warning"))
        elif entry.translation_kind(self.lang) == "machine":
            original = entry.original_lang or DEFAULT_LANGUAGE
            out.append(Notice("machine", self.t("notices.machine"),
                              self.t("notices.machine_text",
                                     language=self.language_name(original)), "info"))
        reviewed = entry.facts.get("reviewed")
        if staleness and is_stale(reviewed, self.today, self.stale_after_months):
            out.append(Notice("stale", self.t("notices.stale"),
                              self.t("notices.stale_text", date=str(reviewed),
                                     months=self.stale_after_months), "warning"))
        return out

    # -- case pages --------------------------------------------------------------------

    def case_facts(self, entry: Entry, base: str) -> list[Row]:
        """The fact box rows of a case, labels and values in this site's language."""
        facts = entry.facts
        rows: list[Row] = []

        def vocab_row(label: str, path: str, keys: Any, facet: Facet | None = None) -> None:
            keys = keys if isinstance(keys, list) else ([] if keys is None else [keys])
            if not keys:
                return
            vocabulary = _case_vocab(path)
            items = [self.facet_item(facet, str(k), base) if facet
                     else Item(self.label(vocabulary, k)) for k in keys]
            rows.append(Row(label, items))

        vocab_row(self.vocab_name("kinds"), "kind", facts.get("kind"), KINDS)
        orgs: dict[str, list[str]] = {}
        for org in facts.get("organisations") or []:
            if isinstance(org, dict) and org.get("id"):
                orgs.setdefault(str(org["id"]), []).append(
                    self.label(_case_vocab("organisations.role"), org.get("role")))
        if orgs:
            rows.append(Row(self.t("facts.organisations"),
                            [self.organisation_item(i, base, ", ".join(r).lower())
                             for i, r in orgs.items()], block=True))
        if facts.get("owner_stated") is False:
            rows.append(Row(self.t("facts.owner"), [Item(self.t("facts.owner_not_stated"))]))
        facet = {f.field: f for f in BROWSE_FACETS}
        vocab_row(self.t("facts.countries"), "countries", facts.get("countries"),
                  facet["countries"])
        if facts.get("places"):
            rows.append(Row(self.t("facts.places"), [Item(str(p)) for p in facts["places"]]))
        if facts.get("period"):
            rows.append(Row(self.t("facts.period"), [Item(self.period(facts["period"]))]))
        vocab_row(self.vocab_name("stages"), "stage", facts.get("stage"), facet["stage"])
        vocab_row(self.t("facts.themes"), "themes", facts.get("themes"), facet["themes"])
        vocab_row(self.t("facts.mechanisms"), "mechanisms", facts.get("mechanisms"),
                  facet["mechanisms"])
        vocab_row(self.t("facts.barriers"), "barriers", facts.get("barriers"),
                  facet["barriers"])
        vocab_row(self.t("facts.innovation"), "innovation", facts.get("innovation"))
        rows.extend(self._kind_rows(facts))
        uses = [self._use_item(ref, base) for ref in _strings(facts.get("uses"))]
        if uses:
            rows.append(Row(self.t("facts.uses"), uses, block=True))
        links = [
            Item(str(link.get("label") or link.get("url")), str(link.get("url")),
                 note=self.label(_case_vocab("links.kind"), link["kind"])
                 if link.get("kind") else None)
            for link in facts.get("links") or [] if isinstance(link, dict) and link.get("url")
        ]
        if links:
            rows.append(Row(self.t("facts.links"), links, block=True))
        sources = [self._source_item(s) for s in facts.get("sources") or [] if isinstance(s, dict)]
        if sources:
            rows.append(Row(self.t("facts.sources"), sources, block=True))
        if facts.get("reviewed"):
            rows.append(Row(self.t("facts.reviewed"), [Item(str(facts["reviewed"]))]))
        return rows

    def _kind_rows(self, facts: dict[str, Any]) -> list[Row]:
        rows = []
        lab = facts.get("lab") if isinstance(facts.get("lab"), dict) else None
        if lab:
            if lab.get("setting"):
                vocabulary = _case_vocab("lab.setting")
                rows.append(Row(self.vocab_name(vocabulary),
                                [Item(self.label(vocabulary, lab["setting"]))]))
            if lab.get("founded") is not None:
                rows.append(Row(self.t("facts.founded"), [Item(str(lab["founded"]))]))
        challenge = facts.get("challenge") if isinstance(facts.get("challenge"), dict) else None
        if challenge:
            if challenge.get("procurement"):
                vocabulary = _case_vocab("challenge.procurement")
                rows.append(Row(self.vocab_name(vocabulary),
                                [Item(self.label(vocabulary, challenge["procurement"]))]))
            budget = challenge.get("budget")
            if isinstance(budget, dict) and budget.get("amount") is not None:
                rows.append(Row(self.t("facts.budget"), [self._budget_item(budget)]))
            for key in ("submissions", "selected"):
                if challenge.get(key) is not None:
                    rows.append(Row(self.t(f"facts.{key}"),
                                    [Item(format_number(challenge[key], self.lang))]))
        practice = facts.get("practice") if isinstance(facts.get("practice"), dict) else None
        if practice and practice.get("transferability"):
            vocabulary = _case_vocab("practice.transferability")
            rows.append(Row(self.vocab_name(vocabulary),
                            [Item(self.label(vocabulary, practice["transferability"]))]))
        return rows

    def _budget_item(self, budget: dict[str, Any]) -> Item:
        """``50.000 euro totaal``: the currency by its label, its ISO code as the title."""
        currency = str(budget.get("currency") or "")
        per = budget.get("per")
        vocabulary = _case_vocab("challenge.budget.currency")
        text = self.t(
            "budget.format",
            currency=self.label(vocabulary, currency) if currency else "",
            amount=format_number(budget["amount"], self.lang),
            per=self.label(_case_vocab("challenge.budget.per"), per) if per else "",
        )
        return Item(" ".join(text.split()), title=currency or None)

    def _source_item(self, source: dict[str, Any]) -> Item:
        parts = [str(source[k]) for k in ("publisher", "date") if source.get(k)]
        if source.get("read"):
            parts.append(self.t("facts.source_read", date=source["read"]))
        if source.get("gone"):
            parts.append(self.t("facts.source_gone", date=source["gone"]))
        note = ", ".join(parts)
        return Item(str(source.get("title", "")), str(source["url"]) if source.get("url") else None,
                    note=note or None)

    def _block(self, ref: str) -> tuple[Entry | None, dict[str, Any] | None]:
        repo_id, _, block_id = ref.partition("/")
        repo = self.index.cases.get(repo_id)
        if repo is None:
            return None, None
        for block in repo.facts.get("building_blocks") or []:
            if isinstance(block, dict) and str(block.get("id")) == block_id:
                return repo, block
        return repo, None

    def _use_item(self, ref: str, base: str) -> Item:
        repo, block = self._block(ref)
        if repo is None or block is None:
            return Item(ref)
        repo_id, _, block_id = ref.partition("/")
        href = f"{base}{self.url(f'cases/{repo_id}')}#block-{block_id}"
        return Item(str(block.get("name") or block_id), href,
                    note=f"{self.t('facts.in')} {repo.title(self.lang)}")

    def building_blocks(self, entry: Entry, base: str) -> list[dict[str, Any]]:
        """Rows of a repository's building block table, each with the cases using it."""
        rows = []
        for block in entry.facts.get("building_blocks") or []:
            if not isinstance(block, dict):
                continue
            block_id = str(block.get("id"))
            kind = block.get("kind")
            licence = block.get("license")
            rows.append({
                "id": block_id,
                "name": Item(str(block.get("name") or block_id),
                             str(block["url"]) if block.get("url") else None),
                "kind": self.label(_case_vocab("building_blocks.kind"), kind) if kind else "",
                "licence": self.label(_case_vocab("building_blocks.license"), licence)
                if licence else "",
                "maintainer": self.organisation_item(str(block["maintainer"]), base)
                if block.get("maintainer") else None,
                "used_in": self.case_items(self.index.block_users.get((entry.id, block_id), []),
                                           base),
            })
        return rows

    def case_page(self, entry: Entry, body_html: str, url: str) -> str:
        """The content of a case page; ``url`` is the page URL below the language root."""
        base = relative_base(url)
        text_lang = entry.text_lang(self.lang)
        return self._render(
            "case.html.j2", base,
            entry=entry,
            title=entry.title(self.lang),
            summary=entry.text("summary", self.lang),
            text_lang=self._lang_attr(text_lang),
            notices=self.notices(entry, staleness=True),
            facts=self.case_facts(entry, base),
            body=Markup(body_html),
            blocks=self.building_blocks(entry, base),
            related=self.related_items(entry, base),
            cite=self.citation(entry, base),
        )

    def citation(self, entry: Entry, base: str) -> dict[str, str]:
        """The reference of a case and the links to its citation files."""
        url = cite.case_url(entry, self.lang, self.site_url, self.directory_urls)
        folder = f"{base}cases/{entry.id}/"
        return {"reference": cite.reference(entry, self.kb, self.lang, url),
                "bibtex": folder + cite.BIBTEX_FILE, "csl": folder + cite.CSL_FILE}

    def _shared_text(self, shared: list[tuple[str, str]]) -> str:
        """The values two cases share, as labels: ``Mobiliteit, Innovatielab``."""
        labels = []
        for slug, key in shared:
            if slug == "blocks":
                _, block = self._block(key)
                labels.append(str(block.get("name") or key) if block else key)
            else:
                labels.append(self.label(FACETS[slug].vocabulary, key))
        return ", ".join(dict.fromkeys(labels))

    def related_items(self, entry: Entry, base: str) -> list[Item]:
        """Related cases with the reason: first those the entry names (by title), then
        those that share most themes, mechanisms, barriers or building blocks."""
        named = sorted((i for i in self.index.related.get(entry.id, ()) if i in self.index.cases),
                       key=lambda i: sort_key(self.index.cases[i].title(self.lang)))
        items = []
        for case_id in named:
            item = self.case_item(case_id, base)
            reason = self.t("relations.named")
            shared = self._shared_text(shared_values(self.index, entry.id, case_id))
            if shared:
                reason += "; " + self.t("relations.shares", values=shared)
            item.note = reason
            items.append(item)
        for case_id, shared in similar_cases(self.index, entry.id):
            item = self.case_item(case_id, base)
            item.note = self.t("relations.shares", values=self._shared_text(shared))
            items.append(item)
        return items

    # -- organisation pages ------------------------------------------------------------

    def organisation_facts(self, entry: Entry, base: str) -> list[Row]:
        facts = entry.facts
        vocabularies = field_vocabularies("organisation")
        rows = []
        if facts.get("kind"):
            vocabulary = vocabularies["kind"]
            rows.append(Row(self.vocab_name(vocabulary),
                            [Item(self.label(vocabulary, facts["kind"]))]))
        if facts.get("country"):
            rows.append(Row(self.vocab_name(vocabularies["country"]),
                            [self.country_item(str(facts["country"]), base)]))
        if facts.get("aliases"):
            rows.append(Row(self.t("facts.aliases"), [Item(str(a)) for a in facts["aliases"]]))
        if facts.get("website"):
            rows.append(Row(self.t("facts.website"),
                            [Item(str(facts["website"]), str(facts["website"]))]))
        identifiers = facts.get("identifiers")
        if isinstance(identifiers, dict) and identifiers:
            rows.append(Row(self.t("facts.identifiers"),
                            [Item(str(v), note=str(k).upper()) for k, v in identifiers.items()],
                            block=True))
        if facts.get("reviewed"):
            rows.append(Row(self.t("facts.reviewed"), [Item(str(facts["reviewed"]))]))
        return rows

    def organisation_cases(self, entry: Entry, base: str) -> list[tuple[str, list[Item]]]:
        """The organisation's cases grouped by role, roles in vocabulary order."""
        by_role = self.index.roles.get(entry.id, {})
        vocabulary = _case_vocab("organisations.role")
        order = list(self.vocabs[vocabulary].terms)
        roles = sorted(by_role, key=lambda r: order.index(r) if r in order else len(order))
        return [(self.label(vocabulary, role), self.case_items(by_role[role], base))
                for role in roles]

    def organisation_page(self, entry: Entry, body_html: str, url: str) -> str:
        """The content of an organisation page."""
        base = relative_base(url)
        return self._render(
            "organisation.html.j2", base,
            entry=entry,
            title=entry.title(self.lang),
            text_lang=self._lang_attr(entry.text_lang(self.lang)),
            notices=self.notices(entry, staleness=False),
            facts=self.organisation_facts(entry, base),
            body=Markup(body_html),
            groups=self.organisation_cases(entry, base),
            feed=f"{base}organisations/{entry.id}/{FEED_FILE}"
            if self.index.roles.get(entry.id) else None,
        )

    # -- overviews ---------------------------------------------------------------------
