"""Meetings: visits, summits and talks between actors, with place, date and status.

A sentence with a meeting word names the participants; a visited place adds its state as
host ("Schoigu besuchte Pjöngjang": Shoigu and North Korea); an adjective of state before a
counterpart noun names the other side ("seinem nordkoreanischen Amtskollegen"); "zwischen A und
B" names exactly who met; "dieser drei Länder" takes up the states named just before; a pronoun
takes up the person named last. A sentence saying who attended adds to the meeting before it; a
place and an ongoing visit named earlier in the paragraph carry over. A picture caption that
shows two named persons on a date is a meeting too. Reports of one meeting in several sentences
are merged, with every evidence span.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from etl.extract.attribution import CLAUSE_BREAK, gap_tokens, part_with, speaker_spans, speech_acts, split_between_verbs
from etl.extract.document import Document
from etl.extract.entities import Found
from etl.extract.text import Sentence
from etl.model import DateValue, Entity, EntityKind, Evidence, Meeting, MeetingStatus, MentionForm, Precision, SegmentKind

_PLACE_RANK = {EntityKind.FACILITY: 0, EntityKind.CITY: 1, EntityKind.REGION: 2, EntityKind.STATE: 3}
_VISIT_NOUN_ENDINGS = ("reise", "besuch", "visite")
_ORIGIN = frozenset({"von", "aus", "from"})  # "von Pjöngjang bis nach Wladiwostok": not where they meet
# Parts of a sentence with their own subject: after a colon, semicolon or dash, and subordinate
# clauses ("..., was Putin und Kim im September vereinbart hatten").
_PART_BREAK = re.compile(r"[:;]\s|\s[–—]\s|,\s+(?:dass|was|wo|nachdem|weil|obwohl|während|bevor)\b")


@dataclass(slots=True)
class _Draft:
    participants: list[str]
    place: str | None
    date: DateValue | None
    status: MeetingStatus | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class _Reading:
    """What one meeting sentence names, before it is checked to be a meeting."""

    participants: list[str]
    place: str | None
    spans: list[int]


@dataclass(slots=True)
class _Context:
    """Within a paragraph: where a person was last said to be ("Choe ist jetzt in Moskau"),
    whether that visit is under way, and a meeting sentence still waiting for the sentence
    that says who attended."""

    segment: int = -1
    place: str | None = None
    persons: frozenset[str] = frozenset()
    ongoing: bool = False
    pending: tuple[_Reading, Sentence] | None = None


def find_meetings(doc: Document) -> tuple[Meeting, ...]:
    drafts = []
    context = _Context()
    for sentence in doc.sentences:
        if sentence.segment != context.segment:
            context = _Context(segment=sentence.segment, pending=context.pending)
        found = _reported_meetings(doc, sentence, context)
        caption = None if found else _caption_meeting(doc, sentence)
        drafts += found or ([caption] if caption else [])
        _remember(doc, sentence, context)
    meetings = []
    for draft in _merge(drafts, doc):
        date = draft.date or (doc.published.coarsen(Precision.MONTH) if doc.published else None)
        if date is None:
            continue  # an undated meeting cannot be published (the SHACL gate requires a date)
        meetings.append(
            Meeting(
                participants=tuple(sorted(draft.participants)),
                place=draft.place,
                date=date,
                status=draft.status or MeetingStatus.HELD,
                evidence=tuple(sorted(set(draft.evidence))),
            )
        )
    return tuple(meetings)


def _remember(doc: Document, sentence: Sentence, context: _Context) -> None:
    found = doc.entities_in(sentence)
    places = [f for f in found if f.is_place and f.locative]
    persons = frozenset(f.entity for f in found if f.kind is EntityKind.PERSON)
    if places and persons:
        context.place = _as_place(doc, places[-1])
        context.persons = persons
        context.ongoing = bool(doc.pack.meetings.ongoing.search(doc.text, sentence.start, sentence.end))


# ---------------------------------------------------------------- one sentence


_COORDINATION = re.compile(r",\s*|\s(?:und|sowie)\s|;\s")


def _reported_meetings(doc: Document, sentence: Sentence, context: _Context) -> list[_Draft]:
    """The meetings a sentence reports: one per clause with its own meeting verb ("Im Juli
    besuchte Schoigu Pjöngjang, im September empfing Putin Kim")."""
    rules = doc.pack.meetings
    text = doc.text
    pending, context.pending = context.pending, None
    attendance = rules.attendance.search(text, sentence.start, sentence.end)
    triggers = sorted([*rules.triggers.finditer(text, sentence.start, sentence.end), *([attendance] if attendance else [])], key=lambda m: m.start())
    presence = rules.presence.search(text, sentence.start, sentence.end)
    if not triggers and not presence:
        return []  # most sentences: nothing reads as a meeting, so the tests below need not run
    if sentence.is_question or rules.negated.search(text, sentence.start, sentence.end):
        return []
    if doc.pack.claims.hypothetical.search(text, sentence.start, sentence.end):
        return []
    drafts = []
    for piece in _pieces(doc, sentence, triggers):
        here = [t for t in triggers if piece[0] <= t.start() < piece[1]]
        readings = [(_read(doc, sentence, t, piece), t) for t in here]
        if presence and piece[0] <= presence.start() < piece[1]:
            reading = _read(doc, sentence, presence, piece)
            if reading.place and any(doc.registry.get(p).kind is EntityKind.PERSON for p in reading.participants):
                readings.append((reading, presence))  # "Zuletzt war Lawrow im Mai 2018 in Pjöngjang"
        if readings:
            reading, trigger = max(readings, key=lambda rt: len(set(rt[0].participants)) + (0.5 if rt[0].place else 0))
            if reading.place is None:  # "war Lawrow in Pjöngjang; damals traf er Kim": the place of the same visit
                place = next((r.place for r, _ in readings if r.place and set(r.participants) & set(reading.participants)), None)
                reading = _Reading(reading.participants, place, reading.spans)
            draft = _draft(doc, sentence, piece, reading, trigger, attendance, pending, context)
            if draft:
                drafts.append(draft)
    return drafts


def _pieces(doc: Document, sentence: Sentence, triggers: list[re.Match[str]]) -> list[tuple[int, int]]:
    """The sentence cut between two meeting verbs joined by a comma or "und"."""
    verbs = [t for t in triggers if t.group(0)[:1].islower()]
    return split_between_verbs(doc.text, (sentence.start, sentence.end), verbs, _COORDINATION)


def _draft(doc: Document, sentence: Sentence, piece, reading: _Reading, trigger, attendance, pending, context: _Context) -> _Draft | None:
    text = doc.text
    evidence_spans = [reading.spans]
    date_piece = piece
    if attendance and pending and pending[1].index == sentence.index - 1:
        earlier, earlier_sentence = pending
        reading = _Reading([*earlier.participants, *reading.participants], earlier.place or reading.place, reading.spans)
        evidence_spans.append(earlier.spans)
        date_piece = (earlier_sentence.start, earlier_sentence.end)
    carried = not reading.place and context.persons & set(reading.participants)
    place = reading.place or (context.place if carried else None)
    keys = _consolidate(doc, reading.participants, place)
    if len(keys) < 2:
        if not attendance:
            context.pending = (reading, sentence)
        return None
    date_mention = _meeting_date(doc, date_piece, trigger.start())
    date = date_mention.value if date_mention else None
    anaphoric = doc.pack.dates.anaphoric.search(text, piece[0], piece[1])
    if anaphoric and (date_mention is None or date_mention.start > anaphoric.start()):
        earlier = doc.last_date_before(anaphoric.start())  # "im Mai 2018 ...; damals traf er Kim"
        date = earlier.value if earlier else date
    if date is None and sentence.kind is SegmentKind.CAPTION:
        date = _caption_date(doc, sentence)  # a picture is dated once, in one of its caption's sentences
    if date_mention:
        evidence_spans[0] += [date_mention.start, date_mention.end]
    status = _status(doc, sentence, piece, date, explicit=bool(date_mention and not date_mention.relative))
    if status is None and carried and context.ongoing:
        status = MeetingStatus.ONGOING
    evidence = [doc.evidence(min(spans), max(spans)) for spans in evidence_spans if spans]
    return _Draft(keys, place, date, status, evidence)


def _read(doc: Document, sentence: Sentence, trigger: re.Match[str], piece: tuple[int, int]) -> _Reading:
    """Participants and place named in the part of the sentence that holds the meeting word."""
    rules = doc.pack.meetings
    part_start, part_end = part_with(doc, sentence, trigger.start(), _PART_BREAK)
    part_start, part_end = max(part_start, piece[0]), min(part_end, piece[1])
    excluded = _speakers(doc, sentence, trigger) + _comparisons(doc, sentence)
    visits = list(rules.visit_verbs.finditer(doc.text, part_start, part_end))
    in_part = [f for f in doc.entities_in(sentence) if part_start <= f.start < part_end and not any(a <= f.start < b for a, b in excluded)]
    between = _between(doc, trigger, part_end)
    if between:
        in_part = [f for f in in_part if between[0] <= f.start < between[1] or f.is_place]
    participants: list[str] = []
    places: list[Found] = []
    spans = [trigger.start(), trigger.end()]
    for found in in_part:
        if found.entity in doc.registry.media or _is_origin(sentence, found):
            continue
        if found.in_event:
            continue  # "die Invasion in der Ukraine" is no place of the meeting
        if found.is_place or _visit_target(sentence, found, visits):
            places.append(found)
        elif found.form is MentionForm.ADJECTIVE:
            capital = _capital(doc, sentence, found)
            if capital:
                places.append(replace(found, entity=capital, kind=EntityKind.CITY, form=MentionForm.NAME))
                continue
            if not _before_counterpart(doc, sentence, found):
                continue
            participants.append(found.entity)
        elif found.refers and not _possessor(doc, found, in_part) and not _attribute_of_noun(doc, sentence, found) and _may_meet(doc, sentence, found):
            participants.append(found.entity)
        else:
            continue
        spans += [found.start, found.end]
    spans += [x for f in places for x in (f.start, f.end)]
    participants += _group(doc, part_start, part_end, spans)
    pair = rules.pair_pronouns.search(doc.text, part_start, part_end)
    if pair and len(set(participants)) < 2:
        participants += _persons_before(doc, pair.start(), 2, exclude=set(participants))
    pronoun = rules.pronouns.search(doc.text, max(part_start, trigger.start() - 25), min(part_end, trigger.end() + 25))
    if pronoun and len(set(participants)) < 2:
        participants += _persons_before(doc, pronoun.start(), 1, exclude=set(participants))
    place = _compound_visit_target(doc, trigger.group(0)) or _best_place(doc, places)
    return _Reading(participants, place, spans)


def _caption_meeting(doc: Document, sentence: Sentence) -> _Draft | None:
    """A picture caption showing two named persons on a date ("Kim und Putin am 13. September 2023 in Russland")."""
    if sentence.kind is not SegmentKind.CAPTION:
        return None
    persons = [f for f in doc.entities_in(sentence) if f.kind is EntityKind.PERSON]
    dates = [d for d in doc.dates_in(sentence) if not d.relative]
    if len({f.entity for f in persons}) < 2 or not dates:
        return None
    places = [f for f in doc.entities_in(sentence) if f.is_place]
    place = _best_place(doc, places)
    keys = _consolidate(doc, [f.entity for f in persons], place)
    spans = [*(x for f in persons + places for x in (f.start, f.end)), dates[0].start, dates[0].end]
    return _Draft(keys, place, dates[0].value, MeetingStatus.HELD, [doc.evidence(min(spans), max(spans))])


def _speakers(doc: Document, sentence: Sentence, trigger: re.Match[str]) -> list[tuple[int, int]]:
    """Every mention of a source the sentence quotes ("Kremlsprecher Dmitri Peskow sagte, ...");
    a verb that is itself the meeting word ("Putin erwartete Kim") quotes no one."""
    speeches = [s for s in speech_acts(doc, sentence) if s.end <= trigger.start() or s.start >= trigger.end()]
    quoted = {s.claimant for s in speeches if s.claimant}
    return speaker_spans(speeches) + [(f.start, f.end) for f in doc.entities_in(sentence) if f.entity in quoted]


def _caption_date(doc: Document, sentence: Sentence) -> DateValue | None:
    segment = doc.article.segments[sentence.segment]
    dates = [d for d in doc.dates if segment.start <= d.start < segment.end and not d.relative]
    return dates[0].value if dates else None


def _comparisons(doc: Document, sentence: Sentence) -> list[tuple[int, int]]:
    """Spans of the actors compared with the participants ("ebenso wie Schoigu")."""
    spans = []
    for cue in doc.pack.meetings.comparison.finditer(doc.text, sentence.start, sentence.end):
        compared = next((f for f in doc.entities_in(sentence) if f.start >= cue.end() and gap_tokens(sentence, cue.end(), f.start) <= 2), None)
        if compared:
            spans.append((compared.start, compared.end))
    return spans


def _between(doc: Document, trigger: re.Match[str], part_end: int) -> tuple[int, int] | None:
    """The phrase "zwischen A und B" right after the meeting word."""
    cue = doc.pack.meetings.between.search(doc.text, trigger.end(), min(part_end, trigger.end() + 80))
    if cue is None:
        return None
    stop = CLAUSE_BREAK.search(doc.text, cue.end(), part_end)
    return cue.end(), stop.start() if stop else part_end


def _group(doc: Document, start: int, end: int, spans: list[int]) -> list[str]:
    """States a numbered group takes up: "dieser drei Länder" after "Japan, Südkorea und USA"."""
    rules = doc.pack.meetings
    match = rules.group.search(doc.text, start, end)
    if not match:
        return []
    count = 2 if match.group("both") else rules.group_numbers.get(match.group("number"), 0)
    states: list[str] = []
    for found in reversed([f for f in doc.entities if f.start < match.start() and f.kind is EntityKind.STATE]):
        if found.entity not in states:
            states.append(found.entity)
        if len(states) == count:
            spans += [match.start(), match.end()]
            return states
    return []


def _persons_before(doc: Document, position: int, count: int, exclude: set[str]) -> list[str]:
    """The persons a pronoun takes up ("er", "beide"): the last ones named before it."""
    persons: list[str] = []
    for found in reversed([f for f in doc.entities if f.kind is EntityKind.PERSON and f.end <= position]):
        if found.entity not in exclude and found.entity not in persons:
            persons.append(found.entity)
        if len(persons) == count:
            break
    return persons


def _attribute_of_noun(doc: Document, sentence: Sentence, found: Found) -> bool:
    """A genitive hanging on another noun ("Kriegsschiffe der Pazifikflotte") is not a participant;
    one hanging on the meeting word is ("der Besuch des Kremlchefs")."""
    article = found.first_token if sentence.tokens[found.first_token].text in ("der", "des") else found.first_token - 1
    if article < 1 or sentence.tokens[article].text not in ("der", "des"):
        return False
    noun = sentence.tokens[article - 1].text
    return noun[:1].isupper() and not doc.pack.meetings.triggers.regex.fullmatch(noun)


def _is_origin(sentence: Sentence, found: Found) -> bool:
    return found.first_token > 0 and sentence.tokens[found.first_token - 1].text in _ORIGIN and found.is_place


def _visit_target(sentence: Sentence, found: Found, visits: list[re.Match[str]]) -> bool:
    """A capital or state right next to a verb of visiting is where the visit goes
    ("als Lawrow Pyongyang besuchte", "besuchte am Mittwoch Pjöngjang")."""
    if found.form is not MentionForm.METONYM and not (found.kind is EntityKind.STATE and found.form is MentionForm.NAME):
        return False
    for visit in visits:
        if found.end <= visit.start() and gap_tokens(sentence, found.end, visit.start()) == 0:
            return True
        if found.start >= visit.end() and gap_tokens(sentence, visit.end(), found.start) <= 3:
            return True
    return False


def _possessor(doc: Document, found: Found, others: list[Found]) -> bool:
    """A genitive before a fellow national names the owner, not a participant ("Putins Verteidigungsminister Schoigu")."""
    if not found.genitive:
        return False
    state = doc.state_of(found.entity)
    return any(
        o.kind is EntityKind.PERSON and o.start > found.end and o.first_token - found.last_token <= 3 and doc.state_of(o.entity) == state
        for o in others
    )


def _capital(doc: Document, sentence: Sentence, found: Found) -> str | None:
    """ "in der nordkoreanischen Hauptstadt": the state's capital."""
    following = sentence.tokens[found.last_token + 1 : found.last_token + 2]
    if following and following[0].text == "Hauptstadt" and found.locative:
        return doc.registry.capital_of(found.entity)
    return None


def _may_meet(doc: Document, sentence: Sentence, found: Found) -> bool:
    """A state standing for its delegation meets; "nordkoreanische Soldaten" do not."""
    if found.form is not MentionForm.METONYM or found.last_token == found.first_token:
        return True
    return bool(doc.pack.meetings.counterpart_nouns.regex.fullmatch(sentence.tokens[found.last_token].text))


def _before_counterpart(doc: Document, sentence: Sentence, found: Found) -> bool:
    """An adjective of state right before a counterpart noun ("nordkoreanischen Amtskollegen")."""
    following = sentence.tokens[found.last_token + 1 : found.last_token + 3]
    return any(doc.pack.meetings.counterpart_nouns.regex.fullmatch(t.text) for t in following)


def _best_place(doc: Document, places: list[Found]) -> str | None:
    if not places:
        return None
    best = min(places, key=lambda f: _PLACE_RANK.get(f.kind, 9))
    return _as_place(doc, best)


def _as_place(doc: Document, found: Found) -> str:
    """A capital standing for its government in a visit sentence is the city itself."""
    if found.form is MentionForm.METONYM:
        for alias in doc.registry.named(doc.text[found.start : found.end]):
            if doc.registry.get(alias.entity).kind.is_place:
                return alias.entity
    return found.entity


def _compound_visit_target(doc: Document, word: str) -> str | None:
    """The state or city inside a visit compound ("Russlandreise", "Moskau-Besuch")."""
    lowered = word.lower()
    for ending in _VISIT_NOUN_ENDINGS:
        if lowered.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)].rstrip("-")
            for alias in doc.registry.named(stem):
                entity = doc.registry.get(alias.entity)
                if alias.form is MentionForm.NAME and (entity.kind.is_place or entity.kind is EntityKind.STATE):
                    return alias.entity
    return None


def _consolidate(doc: Document, participants: list[str], place: str | None) -> list[str]:
    """Distinct participants; a state drops out where one of its people takes part; the host
    state of the place joins where none of its people does."""
    registry = doc.registry
    keys = list(dict.fromkeys(participants))
    host = registry.state_of(place) if place else None
    if host and keys and not any(registry.state_of(k) == host for k in keys):
        keys.append(host)
    return registry.without_represented_states(keys)


def _meeting_date(doc: Document, piece: tuple[int, int], near: int):
    candidates = [d for d in doc.dates if piece[0] <= d.start < piece[1] and not d.since]
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs(d.start - near), -d.value.precision.rank))


def _status(doc: Document, sentence: Sentence, piece: tuple[int, int], date: DateValue | None, explicit: bool) -> MeetingStatus | None:
    """Planned, ongoing or held; None where the sentence does not tell (a later report may)."""
    rules = doc.pack.meetings
    text = doc.text
    if sentence.kind is SegmentKind.CAPTION:
        return MeetingStatus.HELD  # a picture shows what happened when it was taken
    if date is not None and doc.published is not None and not date.compatible(doc.published):
        return MeetingStatus.HELD if date < doc.published else MeetingStatus.PLANNED
    if rules.ongoing.search(text, *piece):
        return MeetingStatus.ONGOING
    if rules.planned.search(text, *piece):
        return MeetingStatus.PLANNED
    return MeetingStatus.HELD if explicit else None


# ---------------------------------------------------------------- one meeting, several reports


def _merge(drafts: list[_Draft], doc: Document) -> list[_Draft]:
    merged: list[_Draft] = []
    for draft in drafts:
        target = next((m for m in merged if _same_meeting(m, draft, doc)), None)
        if target is None:
            merged.append(draft)
            continue
        target.participants = _consolidate(doc, [*target.participants, *draft.participants], None)
        target.place = finer_place(target.place, draft.place, doc.registry.get)
        target.date = _finer_date(target.date, draft.date)
        target.status = _joint_status(target.status, draft.status)
        target.evidence.extend(draft.evidence)
    return merged


def persons_conflict(a: Iterable[str], b: Iterable[str], entity: Callable[[str], Entity]) -> bool:
    """Both name persons of one state, and not the same ones: Putin meeting Kim is not Shoigu meeting Kim."""

    def persons(keys: Iterable[str]) -> dict[str, set[str]]:
        by_state: dict[str, set[str]] = {}
        for key in keys:
            found = entity(key)
            if found.kind is EntityKind.PERSON:
                by_state.setdefault(found.state or key, set()).add(key)
        return by_state

    first, second = persons(a), persons(b)
    return any(state in second and not first[state] & second[state] for state in first)


def _same_meeting(a: _Draft, b: _Draft, doc: Document) -> bool:
    if doc.registry.states_of(a.participants) != doc.registry.states_of(b.participants):
        return False
    if persons_conflict(a.participants, b.participants, doc.registry.get):
        return False
    first, second = _effective_date(a, doc), _effective_date(b, doc)
    if first and second and not first.compatible(second):
        return False
    if not places_agree(a.place, b.place, doc.registry.get):
        return False
    return a.status is None or b.status is None or a.status == b.status or {a.status, b.status} == {MeetingStatus.ONGOING, MeetingStatus.PLANNED}


def _effective_date(draft: _Draft, doc: Document) -> DateValue | None:
    """An undated report of a meeting is taken as of the article's month ("Das Treffen dauerte
    vier Stunden"), so it does not join a meeting the article dates years back."""
    if draft.date is None and doc.published is not None:
        return doc.published.coarsen(Precision.MONTH)
    return draft.date


def places_agree(a: str | None, b: str | None, entity: Callable[[str], Entity]) -> bool:
    """The same place, an unknown one, or a state (or region) and a place in it; two different
    cities or facilities are two meetings."""
    if a is None or b is None or a == b:
        return True
    first, second = entity(a), entity(b)
    if first.kind in (EntityKind.STATE, EntityKind.REGION):
        return (second.state or b) == (a if first.kind is EntityKind.STATE else first.state)
    if second.kind in (EntityKind.STATE, EntityKind.REGION):
        return (first.state or a) == (b if second.kind is EntityKind.STATE else second.state)
    return False


def finer_place(a: str | None, b: str | None, entity: Callable[[str], Entity]) -> str | None:
    """The more specific of two places (a facility over a city over a region over a state)."""
    if a is None or b is None:
        return a or b
    return min(a, b, key=lambda key: (_PLACE_RANK.get(entity(key).kind, 9), key))


def _finer_date(a: DateValue | None, b: DateValue | None) -> DateValue | None:
    if a is None or b is None:
        return a or b
    return b if b.precision.rank > a.precision.rank else a


def _joint_status(a: MeetingStatus | None, b: MeetingStatus | None) -> MeetingStatus | None:
    if MeetingStatus.ONGOING in (a, b):
        return MeetingStatus.ONGOING
    return a or b
