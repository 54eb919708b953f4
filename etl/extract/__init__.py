"""Extraction: an `Article` in, plain records out. Pure functions: no RDF, no I/O."""

from __future__ import annotations

from etl.datapack import DataPack
from etl.extract.claims import find_claims
from etl.extract.document import Document, analyse
from etl.extract.meetings import find_meetings
from etl.model import Article, ArticleRecords, Mention

__all__ = ["extract"]


def extract(article: Article, pack: DataPack) -> ArticleRecords:
    """Everything the article says that the graph records: mentions, meetings and claims."""
    doc = analyse(article, pack)
    return ArticleRecords(
        article=article,
        published=doc.published,
        mentions=_mentions(doc),
        meetings=find_meetings(doc),
        claims=find_claims(doc),
        entities=doc.new_entities,
    )


def _mentions(doc: Document) -> tuple[Mention, ...]:
    """Actors named (an adjective alone does not name its state) and places."""
    mentions = []
    for found in doc.entities:
        if found.names_actor or found.kind.is_place:
            mentions.append(Mention(found.entity, found.form, doc.evidence(found.start, found.end)))
    return tuple(mentions)
