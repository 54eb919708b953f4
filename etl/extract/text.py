"""Sentences and tokens with character offsets into the article's reading text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from etl.datapack import TextRules
from etl.model import Article, SegmentKind

T = TypeVar("T")

# Words keep inner hyphens, apostrophes and dots ("Kim Jong-un", "D.C"); a trailing hyphen
# marks a truncated compound ("Atom- und Weltraumprogramm"); any other mark is a token.
TOKEN = re.compile(r"\w+(?:[-‐‑'’.]\w+)*(?:-(?=\s))?|[^\w\s]")
_BOUNDARY = re.compile(r"[.!?…]+[\"“”»«'’)\]]*(?=\s|$)")
_ORDINAL = re.compile(r"^\d{1,3}$")
_INITIAL = re.compile(r"^[A-ZÄÖÜ]$")
# Scraped text loses blanks between an acronym and the next word ("TASSZu diesem Anlass").
_GLUED = re.compile(r"([A-ZÄÖÜ]{2,})([A-ZÄÖÜ][a-zäöüß]+)")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    segment: int
    kind: SegmentKind
    start: int
    end: int
    tokens: tuple[Token, ...]

    @property
    def is_question(self) -> bool:
        return bool(self.tokens) and self.tokens[-1].text == "?"


def by_sentence(items: Iterable[T]) -> dict[int, list[T]]:
    """Things found in the text (entities, dates), grouped by the index of their sentence, in order."""
    grouped: dict[int, list[T]] = {}
    for item in items:
        grouped.setdefault(item.sentence, []).append(item)
    return grouped


def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    end = len(text) if end is None else end
    tokens = []
    for match in TOKEN.finditer(text, start, end):
        glued = _GLUED.fullmatch(match.group(0))
        if glued:
            cut = match.start() + len(glued.group(1))
            tokens += [Token(glued.group(1), match.start(), cut), Token(glued.group(2), cut, match.end())]
        else:
            tokens.append(Token(match.group(0), match.start(), match.end()))
    return tuple(tokens)


def split_sentences(article: Article, rules: TextRules) -> tuple[Sentence, ...]:
    """Every sentence of every content segment, in text order."""
    sentences: list[Sentence] = []
    text = article.text
    for segment_index, segment in enumerate(article.segments):
        for start, end in _sentence_spans(text, segment.start, segment.end, rules):
            sentences.append(Sentence(len(sentences), segment_index, segment.kind, start, end, tokenize(text, start, end)))
    return tuple(sentences)


def _sentence_spans(text: str, start: int, end: int, rules: TextRules):
    begin = start
    for match in _BOUNDARY.finditer(text, start, end):
        if _continues(text, match, start, end, rules):
            continue
        span = _trim(text, begin, match.end())
        if span:
            yield span
        begin = match.end()
    span = _trim(text, begin, end)
    if span:
        yield span


def _continues(text: str, match: re.Match[str], start: int, end: int, rules: TextRules) -> bool:
    """True where a full stop does not end the sentence (abbreviation, ordinal, initial)."""
    if text[match.start()] == ".":
        word_start = match.start()
        while word_start > start and not text[word_start - 1].isspace() and text[word_start - 1] not in "(„\"«»":
            word_start -= 1
        word = text[word_start : match.start()]
        if word in rules.abbreviations or _ORDINAL.match(word) or _INITIAL.match(word):
            return True
    following = match.end()
    while following < end and text[following].isspace():
        following += 1
    return following < end and text[following].islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
