"""Who says what: the sources a sentence names ("laut Kreml", "beschuldigten die USA",
"was Pjöngjang bestreitet", "so sagen Beobachter"), and the clauses a sentence falls into."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from etl.extract.document import Document
from etl.extract.entities import Found
from etl.extract.text import Sentence
from etl.model import Attribution, DateValue, EntityKind, MentionForm

CLAUSE_BREAK = re.compile(r"[,;:–—«»\"“„()]|\b(?:dass|aber|doch|sondern|weil|während|nachdem)\b")
PREPOSITIONS = frozenset(
    "an auf aus bei beim für gegen gegenüber hinter im in mit nach neben ohne seit über um unter von vom vor zu zum zur zwischen durch".split()
)
_ARTICLES = frozenset("der die das den dem des ein eine einen einem einer eines".split())
_GROUP = re.compile(r"\bbeiden? (?:Regierungen|Seiten|Länder|Staaten|Hauptstädte)\b")
_NEW_STATEMENT = re.compile(r"\bdass\b|[;:«»„“]")  # between a speaker and a verb: the verb is another statement's
_PRONOUN = re.compile(r"\b(?:er|sie|es|Er|Sie|Es)\b")


@dataclass(frozen=True, slots=True)
class Speech:
    """A source the sentence gives for what it reports, and where the words are."""

    attribution: Attribution
    claimant: str | None
    denial: bool
    start: int
    end: int
    speaker: tuple[int, int] | None = None
    date: DateValue | None = None


def speech_acts(doc: Document, sentence: Sentence) -> list[Speech]:
    rules = doc.pack.claims
    text = doc.text
    speeches: list[Speech] = []
    actors = [f for f in doc.entities_in(sentence) if f.refers and not f.locative and not after_preposition(sentence, f)]
    for match in rules.according_to.finditer(text, sentence.start, sentence.end):
        # the source sits inside the cue ("nach amerikanischen Erkenntnissen"), follows it ("laut
        # Kreml"), or comes before a postposition ("dem Weißen Haus zufolge")
        if match.group(0).lower().endswith("zufolge"):
            found = _actor_before(actors, match.start(), sentence, limit=2)
        else:
            found = _actor_after(doc, sentence, match.start(), limit=8)
        if found:
            for speaker in _coordinated(found, [f for f in doc.entities_in(sentence) if f.is_actor], text):
                speeches.append(_named(doc, sentence, speaker, match, denial=False))
    for match in rules.reporting.finditer(text, sentence.start, sentence.end):
        denial = bool(rules.denial.regex.fullmatch(match.group(0)))
        speakers = _speakers(actors, match, sentence, text) or _group_speakers(doc, sentence, match) or _pronoun_speaker(doc, sentence, match)
        if not speakers and _unnamed_subject(doc, sentence, match):
            speeches.append(Speech(Attribution.UNNAMED, None, denial, match.start(), match.end()))
            continue
        for found in speakers:
            if not any(s.claimant == found.entity and s.denial == denial for s in speeches):
                speeches.append(_named(doc, sentence, found, match, denial))
    if not any(s.attribution is Attribution.NAMED for s in speeches) and rules.unnamed.search(text, sentence.start, sentence.end):
        speeches.append(Speech(Attribution.UNNAMED, None, False, sentence.start, sentence.start))
    deniers = {s.claimant for s in speeches if s.denial}
    return [s for s in speeches if s.denial or s.claimant is None or s.claimant not in deniers]  # who denies, denies


def speaker_spans(speeches: list[Speech]) -> list[tuple[int, int]]:
    return [s.speaker for s in speeches if s.speaker]


def after_preposition(sentence: Sentence, found: Found) -> bool:
    """The mention is inside a prepositional phrase ("an Russland", "für den Kreml")."""
    index = found.first_token - 1
    while index >= max(0, found.first_token - 4) and (sentence.tokens[index].text in _ARTICLES or sentence.tokens[index].text[:1].islower()):
        if sentence.tokens[index].text in PREPOSITIONS:
            return True
        index -= 1
    return False


def clause_bounds(doc: Document, sentence: Sentence, position: int) -> tuple[int, int]:
    """The stretch of the sentence between the clause breaks around a position."""
    breaks = list(CLAUSE_BREAK.finditer(doc.text, sentence.start, sentence.end))
    start = max((m.end() for m in breaks if m.end() <= position), default=sentence.start)
    end = min((m.start() for m in breaks if m.start() >= position), default=sentence.end)
    return start, end


def part_with(doc: Document, sentence: Sentence, position: int, breaks: re.Pattern[str]) -> tuple[int, int]:
    """The part of the sentence, between two `breaks` (colons, dashes), that holds a position."""
    start, end = sentence.start, sentence.end
    for match in breaks.finditer(doc.text, sentence.start, sentence.end):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = min(end, match.start())
    return start, end


def split_between_verbs(text: str, span: tuple[int, int], verbs: list[re.Match[str]], joints: re.Pattern[str]) -> list[tuple[int, int]]:
    """The span cut at the last joint (a comma, "und") between each two verbs in it, so that
    coordinated verbs ("liefert ... und bekommt ...") each get their own piece."""
    cuts = [span[0]]
    for before, after in zip(verbs, verbs[1:], strict=False):
        found = list(joints.finditer(text, before.end(), after.start()))
        if found:
            cuts.append(found[-1].start())
    cuts.append(span[1])
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def gap_tokens(sentence: Sentence, start: int, end: int) -> int:
    """How many tokens lie wholly within [start, end) (tokens are in order and do not overlap)."""
    first = bisect_left(sentence.tokens, start, key=_token_start)
    after = bisect_right(sentence.tokens, end, key=_token_end)
    return max(0, after - first)


def _token_start(token) -> int:
    return token.start


def _token_end(token) -> int:
    return token.end


def _named(doc: Document, sentence: Sentence, found: Found, cue: re.Match[str], denial: bool) -> Speech:
    here = found.sentence == sentence.index  # a pronoun or "beide Regierungen" names a speaker from before
    return Speech(
        Attribution.NAMED,
        found.entity,
        denial,
        min(found.start, cue.start()) if here else cue.start(),
        max(found.end, cue.end()) if here else cue.end(),
        (found.start, _attached_end(doc, sentence, found, cue)),
        _clause_date(doc, sentence, cue.start()),
    )


def _attached_end(doc: Document, sentence: Sentence, found: Found, cue: re.Match[str]) -> int:
    """Where the speaker's noun phrase ends: genitives hang on it ("der Geheimdienst Südkoreas",
    "der Sprecher des Sicherheitsrats der USA"), the same body may follow ("Militärgeheimdienst
    HUR"), and an apposition runs up to the verb ("Budanow, der Chef des Militärgeheimdienstes, schätzt")."""
    if found.sentence != sentence.index:
        return found.end  # a speaker taken up by a pronoun was named in an earlier sentence
    if found.end <= cue.start() and not _NEW_STATEMENT.search(doc.text, found.end, cue.start()):
        return cue.start()
    end, last = found.end, found.last_token
    for other in doc.entities_in(sentence):
        if other.first_token <= last:
            continue
        between = [t.text for t in sentence.tokens[last + 1 : other.first_token]]
        if (other.genitive and not between) or (between and all(w in ("des", "der") for w in between) and len(between) <= 1) or (other.entity == found.entity and not between):
            end, last = other.end, other.last_token
        else:
            break
    return end


def _unnamed_subject(doc: Document, sentence: Sentence, cue: re.Match[str]) -> bool:
    """The verb of saying has unnamed sources next to it ("so sagen Beobachter", "Experten glauben")."""
    window_start = max(sentence.start, cue.start() - 30)
    window_end = min(sentence.end, cue.end() + 30)
    near = doc.pack.claims.unnamed.search(doc.text, window_start, window_end)
    return bool(near) and not CLAUSE_BREAK.search(doc.text, min(near.end(), cue.end()), max(near.start(), cue.start()))


def _speakers(actors: list[Found], cue: re.Match[str], sentence: Sentence, text: str) -> list[Found]:
    """The actor(s) next to a verb of saying, within its clause; "X und Y" gives both."""
    left = [
        f
        for f in actors
        if f.end <= cue.start() and not f.genitive and not CLAUSE_BREAK.search(text, f.end, cue.start()) and gap_tokens(sentence, f.end, cue.start()) <= 12
    ]
    if not left:
        # a separable verb holds its subject between its parts: "warf der US-Botschafter Robert Wood Moskau vor"
        inside = [f for f in actors if cue.start() < f.start and f.end <= cue.end()]
        if inside:
            return _coordinated(inside[0], actors, text)
    right = [f for f in actors if f.start >= cue.end() and not CLAUSE_BREAK.search(text, cue.end(), f.start) and gap_tokens(sentence, cue.end(), f.start) <= 8]
    options = [(gap_tokens(sentence, f.end, cue.start()), f) for f in left] + [(gap_tokens(sentence, cue.end(), f.start), f) for f in right]
    if not options:
        return _apposition_speaker(actors, cue, text)
    # the subject stands right next to the verb ("Der Kreml bestätigte", "beschuldigten die USA");
    # further away a person is more likely the source than an organization or a state
    _, best = min(options, key=lambda o: (o[0] > 2, _kind_rank(o[1]), o[0]))
    return _coordinated(best, actors, text)


def _coordinated(best: Found, actors: list[Found], text: str) -> list[Found]:
    """The speaker and those listed with it: "Washington, Seoul und Kiew beschuldigen"."""
    ordered = sorted(actors, key=lambda f: f.start)
    low = high = ordered.index(best)
    while low > 0 and _listed(text, ordered[low - 1], ordered[low]):
        low -= 1
    while high < len(ordered) - 1 and _listed(text, ordered[high], ordered[high + 1]):
        high += 1
    return [best, *(f for f in ordered[low : high + 1] if f is not best)]


def _listed(text: str, first: Found, second: Found) -> bool:
    return text[first.end : second.start].strip() in (",", "und", "sowie", ", und", "and")


def _apposition_speaker(actors: list[Found], cue: re.Match[str], text: str) -> list[Found]:
    """A speaker set off by commas before the verb ("John Kirby, Sprecher des ..., hatte erklärt")
    or opening the sentence: the person nearest before the verb, within the same statement."""
    before = [f for f in actors if f.end <= cue.start() and f.kind is EntityKind.PERSON and not _NEW_STATEMENT.search(text, f.end, cue.start())]
    opener = [f for f in before if f.first_token == 0]  # "Kim Yo Jong, die Schwester von Kim Jong Un, hat ... zurückgewiesen"
    return opener[:1] or before[-1:]


def _group_speakers(doc: Document, sentence: Sentence, cue: re.Match[str]) -> list[Found]:
    """ "beide Regierungen räumten ein": the two states named last before."""
    window = doc.text[max(sentence.start, cue.start() - 40) : min(sentence.end, cue.end() + 40)]
    if not _GROUP.search(window):
        return []
    states: list[Found] = []
    for found in reversed([f for f in doc.entities if f.start < cue.start() and f.kind is EntityKind.STATE and f.refers]):
        if all(s.entity != found.entity for s in states):
            states.append(found)
        if len(states) == 2:
            return states
    return []


def _pronoun_speaker(doc: Document, sentence: Sentence, cue: re.Match[str]) -> list[Found]:
    """ "nannte sie die Vorwürfe absurd": the person named last before the pronoun."""
    near = doc.text[max(sentence.start, cue.start() - 8) : min(sentence.end, cue.end() + 6)]
    pronoun = _PRONOUN.search(near)
    if not pronoun:
        return []
    kind = EntityKind.ORGANIZATION if pronoun.group(0).lower() == "es" else EntityKind.PERSON  # "Es kam zu dem Schluss": the panel
    earlier = [f for f in doc.entities if f.kind is kind and f.start < cue.start() and f.sentence >= sentence.index - 2]
    return [earlier[-1]] if earlier else []


_SPEAKER_RANK = {EntityKind.PERSON: 0, EntityKind.ORGANIZATION: 1, EntityKind.STATE: 2}


def _kind_rank(found: Found) -> int:
    return _SPEAKER_RANK.get(found.kind, 3) + (3 if found.form is MentionForm.DEMONYM else 0)


def _actor_after(doc: Document, sentence: Sentence, position: int, limit: int) -> Found | None:
    after = [f for f in doc.entities_in(sentence) if f.is_actor and f.start >= position and gap_tokens(sentence, position, f.start) <= limit]
    names = [f for f in after if f.refers]
    return min(names or after, key=lambda f: f.start, default=None)


def _actor_before(actors: list[Found], position: int, sentence: Sentence, limit: int) -> Found | None:
    before = [f for f in actors if f.end <= position and gap_tokens(sentence, f.end, position) <= limit]
    return max(before, key=lambda f: f.end, default=None)


def _clause_date(doc: Document, sentence: Sentence, position: int) -> DateValue | None:
    """The date in the same clause as the verb of saying: when the claim was made."""
    start, end = clause_bounds(doc, sentence, position)
    dates = [d for d in doc.dates_in(sentence) if start <= d.start and d.end <= end and not d.since]
    return min(dates, key=lambda d: abs(d.start - position)).value if dates else None
