"""The plain records that flow between the stages: frozen dataclasses, no RDF, no I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum


def stable_hash(*parts: object, length: int = 16) -> str:
    """A short, stable hex digest of the parts (the key of every minted IRI)."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


# ---------------------------------------------------------------- dates


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"

    @property
    def rank(self) -> int:
        return _PRECISION_RANK[self]


_PRECISION_RANK = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class DateValue:
    """A calendar date known to a precision: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is outside 1..9999")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is outside 1..12")
        if self.day is not None:
            dt.date(self.year, self.month, self.day)  # raises ValueError for 2023-02-30

    @classmethod
    def from_iso(cls, text: str) -> DateValue:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time part after `T` is ignored)."""
        match = _ISO_DATE.match(text.strip().split("T", 1)[0])
        if not match:
            raise ValueError(f"{text!r} is not an ISO date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(g) if g else None for g in match.groups())
        return cls(year, month, day)

    @classmethod
    def of(cls, date: dt.date, precision: Precision = Precision.DAY) -> DateValue:
        return cls(date.year, date.month, date.day).coarsen(precision)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def coarsen(self, precision: Precision) -> DateValue:
        if precision.rank >= self.precision.rank:
            return self
        if precision is Precision.YEAR:
            return DateValue(self.year)
        return DateValue(self.year, self.month)

    def compatible(self, other: DateValue) -> bool:
        """Equal at the coarser of the two precisions."""
        coarser = min(self.precision, other.precision, key=lambda p: p.rank)
        return self.coarsen(coarser) == other.coarsen(coarser)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        return self.iso


# ---------------------------------------------------------------- articles


class SourceFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"


class SegmentKind(StrEnum):
    HEADLINE = "headline"
    HEADING = "heading"
    BODY = "body"
    CAPTION = "caption"


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the reading text that carries article content (not boilerplate)."""

    start: int
    end: int
    kind: SegmentKind


@dataclass(frozen=True, slots=True, eq=False)
class SourceMap:
    """For each character of the reading text, where it came from in the original text."""

    starts: array
    ends: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True, slots=True, eq=False)
class Article:
    """One article as read from disk.

    `original` is the text the user has: the decoded file (plain text or HTML) or, for JSON
    Lines, the record's `text` value. `text` is the reading text the extractor sees; for plain
    text and JSON Lines it *is* the original, for HTML it is the main text and `source_map`
    leads each of its characters back to the HTML. Every evidence offset is into `original`.
    """

    key: str
    source: str
    path: str
    fmt: SourceFormat
    original: str
    text: str
    segments: tuple[Segment, ...]
    headline: str | None
    published: DateValue | None
    url: str | None = None
    source_map: SourceMap | None = None
    warnings: tuple[str, ...] = ()

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for text[start:end]: offsets into the original, the exact words read, and a
        little of the text around them (to find the words again if the file changes)."""
        prefix = self.text[max(0, start - CONTEXT_CHARS) : start]
        suffix = self.text[end : end + CONTEXT_CHARS]
        begin, finish = self.source_map.span(start, end) if self.source_map else (start, end)
        return Evidence(begin, finish, self.text[start:end], prefix, suffix)


CONTEXT_CHARS = 32


def article_key(text: str) -> str:
    """Articles are identified by their content, so a renamed or copied file is the same article."""
    return stable_hash(" ".join(text.split()))


# ---------------------------------------------------------------- the domain registry


class EntityKind(StrEnum):
    PERSON = "Person"
    ORGANIZATION = "Organization"
    STATE = "State"
    CITY = "City"
    REGION = "Region"
    FACILITY = "Facility"
    EVENT = "Event"
    WEAPON = "Weapon"
    CONCEPT = "Concept"

    @property
    def is_actor(self) -> bool:
        return self in (EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.STATE)

    @property
    def is_place(self) -> bool:
        return self in (EntityKind.CITY, EntityKind.REGION, EntityKind.FACILITY)


@dataclass(frozen=True, slots=True)
class Entity:
    """A registry entry: a real-world actor, place or other named thing."""

    key: str
    name: str
    label_de: str
    kind: EntityKind
    wikidata: str | None
    state: str | None
    aliases: tuple[str, ...]
    confidence: str = "unverified"
    role: str | None = None  # for a person the registry does not know: the role the article gives


# ---------------------------------------------------------------- extracted facts


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """The exact words carrying a fact: offsets into the article's original text and the quote."""

    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""


class MentionForm(StrEnum):
    NAME = "name"
    ADJECTIVE = "adjective"  # "nordkoreanische": points to the state, does not name it
    DEMONYM = "demonym"  # "die Russen": stands for the state in a role, not a mention by name
    METONYM = "metonym"  # "Moskau bestreitet": a capital standing for its government


@dataclass(frozen=True, slots=True)
class Mention:
    entity: str
    form: MentionForm
    evidence: Evidence


class MeetingStatus(StrEnum):
    HELD = "held"
    ONGOING = "ongoing"
    PLANNED = "planned"


class Stance(StrEnum):
    ASSERTS = "asserts"
    DENIES = "denies"
    SPECULATES = "speculates"


class Attribution(StrEnum):
    """Who stands behind a claim: a named actor, the article's author, or unnamed sources."""

    NAMED = "named"
    AUTHOR = "author"
    UNNAMED = "unnamed"


@dataclass(frozen=True, slots=True)
class Meeting:
    participants: tuple[str, ...]
    place: str | None
    date: DateValue
    status: MeetingStatus
    evidence: tuple[Evidence, ...]

    @property
    def identity(self) -> tuple:
        """What makes two meetings the same meeting: who met where, when, with what outcome."""
        return (self.participants, self.place, self.date, self.status)


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    value: int | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    attribution: Attribution
    claimant: str | None
    stance: Stance
    supplier: str
    recipient: str
    materiel: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    quantity: Quantity | None = None
    claim_date: DateValue | None = None

    @property
    def identity(self) -> tuple:
        """What makes two claims the same claim: who says what moves from whom to whom, and when."""
        return (self.attribution, self.claimant, self.stance, self.supplier, self.recipient, self.claim_date)


def merge_meetings(meetings: Iterable[Meeting]) -> tuple[Meeting, ...]:
    """One meeting per identity, in order of first appearance, with the evidence of every report."""
    return _pooled(meetings, lambda known, meeting: replace(known, evidence=_joined(known.evidence, meeting.evidence)))


def merge_claims(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    """One claim per identity, in order of first appearance, pooling materiel and evidence."""
    return _pooled(
        claims,
        lambda known, claim: replace(
            known,
            materiel=tuple(dict.fromkeys([*known.materiel, *claim.materiel])),
            evidence=_joined(known.evidence, claim.evidence),
            quantity=known.quantity or claim.quantity,
        ),
    )


def _pooled(facts: Iterable, combine: Callable) -> tuple:
    merged: dict[tuple, object] = {}
    for fact in facts:
        known = merged.get(fact.identity)
        merged[fact.identity] = fact if known is None else combine(known, fact)
    return tuple(merged.values())


def _joined(first: tuple[Evidence, ...], second: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    return tuple(sorted(set(first) | set(second)))


@dataclass(frozen=True, slots=True, eq=False)
class ArticleRecords:
    """Everything read out of one article."""

    article: Article
    published: DateValue | None
    mentions: tuple[Mention, ...]
    meetings: tuple[Meeting, ...]
    claims: tuple[Claim, ...]
    entities: tuple[Entity, ...] = field(default=())  # persons the registry does not know
    copies: tuple[str, ...] = ()  # other inputs holding the same text, read once (their source names)

    def entity_keys(self) -> set[str]:
        """Every registry or article entity this article's facts use."""
        used = {m.entity for m in self.mentions}
        for meeting in self.meetings:
            used.update(meeting.participants)
            if meeting.place:
                used.add(meeting.place)
        for claim in self.claims:
            used.update(filter(None, (claim.claimant, claim.supplier, claim.recipient)))
        return used


# ---------------------------------------------------------------- links to Wikidata


class LinkStatus(StrEnum):
    REGISTRY = "registry"  # the registry carries a verified, corroborated or reviewed ID
    ONLINE = "online"  # one clear Wikidata candidate above the threshold
    AMBIGUOUS = "ambiguous"  # several plausible candidates: listed for review, never guessed
    NO_MATCH = "no-match"  # Wikidata has no plausible candidate
    NOT_LOOKED_UP = "not-looked-up"  # offline, and the cache has no answer


@dataclass(frozen=True, slots=True)
class Candidate:
    """A Wikidata item considered for an actor, with the parts of its score."""

    qid: str
    label: str
    description: str
    score: float
    name: float
    type_fit: float | None  # 1 fits, 0 another type, None: Wikidata gives no type
    state_fit: float | None  # 1 the actor's state, 0 another state, None: unknown or not applicable


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """What linking decided for one actor: the Wikidata ID (if any), how, with which score, on which day."""

    entity: str
    status: LinkStatus
    qid: str | None = None
    confidence: str | None = None  # verified, corroborated, reviewed (registry) or online
    score: float | None = None
    date: str | None = None  # the day Wikidata's answers were fetched
    candidates: tuple[Candidate, ...] = ()

    @property
    def linked(self) -> bool:
        return self.qid is not None
