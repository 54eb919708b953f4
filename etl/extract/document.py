"""One article read once: sentences, entities and dates, indexed by sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from etl.datapack import DataPack, Registry
from etl.extract.dates import DateMention, estimate_publication, find_dates, infer_publication
from etl.extract.entities import Found, find_entities, find_family_names
from etl.extract.roles import find_role_mentions
from etl.extract.text import Sentence, by_sentence, split_sentences
from etl.model import Article, DateValue, Entity, Evidence


@dataclass(frozen=True, eq=False)
class Document:
    article: Article
    pack: DataPack
    registry: Registry  # the pack's registry and the persons this article introduces
    new_entities: tuple[Entity, ...]
    sentences: tuple[Sentence, ...]
    entities: tuple[Found, ...]
    dates: tuple[DateMention, ...]
    published: DateValue | None
    _entities_by_sentence: dict[int, list[Found]] = field(default_factory=dict)
    _dates_by_sentence: dict[int, list[DateMention]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text

    def entities_in(self, sentence: Sentence) -> list[Found]:
        return self._entities_by_sentence.get(sentence.index, [])

    def dates_in(self, sentence: Sentence) -> list[DateMention]:
        return self._dates_by_sentence.get(sentence.index, [])

    def last_date_before(self, position: int) -> DateMention | None:
        earlier = [d for d in self.dates if d.end <= position]
        return earlier[-1] if earlier else None

    def evidence(self, start: int, end: int) -> Evidence:
        return self.article.evidence(start, end)

    def state_of(self, entity: str) -> str | None:
        return self.registry.state_of(entity)

    @cached_property
    def named_with_states(self) -> frozenset[str | None]:
        """Every entity the article names, and the states they belong to."""
        return frozenset(f.entity for f in self.entities) | frozenset(self.registry.state_of(f.entity) for f in self.entities)


def analyse(article: Article, pack: DataPack) -> Document:
    sentences = split_sentences(article, pack.text)
    skip = _dateline_spans(article, pack)
    published = article.published or infer_publication(article.text, sentences, pack.dates) or estimate_publication(article.text, sentences, pack.dates)
    entities = list(find_entities(sentences, pack.registry, pack.text, skip))
    by_role, people = find_role_mentions(sentences, entities, pack.registry, pack.roles, published)
    registry = pack.registry.extended(people.values())
    entities = sorted([*entities, *by_role], key=lambda f: f.start)
    entities = sorted([*entities, *find_family_names(sentences, entities, registry, article.text)], key=lambda f: f.start)
    dates = find_dates(article.text, sentences, published, pack.dates)
    return Document(article, pack, registry, tuple(people.values()), sentences, tuple(entities), dates, published, by_sentence(entities), by_sentence(dates))


def _dateline_spans(article: Article, pack: DataPack) -> tuple[tuple[int, int], ...]:
    """Agency datelines ("Washington (dpa) -") at the start of a segment name no actor."""
    spans = []
    for segment in article.segments:
        match = pack.text.dateline.match(article.text[segment.start : segment.end])  # the pattern anchors at the segment
        if match:
            spans.append((segment.start + match.start(), segment.start + match.end()))
    return tuple(spans)
