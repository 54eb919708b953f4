"""Registry entities named in the text: actors (persons, organizations, states) and places.

Aliases are matched as token sequences, longest first. German genitives ("Putins",
"Nordkoreas") are found through the base form. A name the registry knows both as a city
and as a state ("Moskau", "Pjöngjang", "Washington") is a place after a locative word
("in Moskau") and stands for the state's government elsewhere ("Moskau bestreitet").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from etl.datapack import Registry, TextRules
from etl.extract.text import Sentence, by_sentence, tokenize
from etl.model import EntityKind, MentionForm

_GENITIVE_ENDINGS = ("s", "’s", "'s", "'", "’")


@dataclass(frozen=True, slots=True)
class Found:
    """One registry entity found in a sentence."""

    entity: str
    kind: EntityKind
    form: MentionForm
    start: int
    end: int
    sentence: int
    first_token: int
    last_token: int
    locative: bool = False
    genitive: bool = False
    in_event: bool = False  # named inside an event's name ("Krieg in der Ukraine")

    @property
    def is_actor(self) -> bool:
        return self.kind.is_actor

    @property
    def is_place(self) -> bool:
        """A city, region or facility, or a state named as where something happens ("in Russland")."""
        return self.kind.is_place or (self.kind is EntityKind.STATE and self.locative and self.form is not MentionForm.ADJECTIVE)

    @property
    def names_actor(self) -> bool:
        """A mention of an actor by name (an adjective alone does not name the state)."""
        return self.kind.is_actor and self.form in (MentionForm.NAME, MentionForm.METONYM)

    @property
    def refers(self) -> bool:
        """Stands for an actor in a role (a name, a metonym or a demonym; not a bare adjective)."""
        return self.kind.is_actor and self.form is not MentionForm.ADJECTIVE


@dataclass(frozen=True, eq=False)
class AliasIndex:
    entries: dict[tuple[str, ...], tuple[tuple[str, MentionForm], ...]]
    first_tokens: frozenset[str]
    longest: int


_ADJECTIVE_HEAD = re.compile(r"^([A-Za-zÄÖÜäöüß-]{3,}?)(e|en|er|es|em)$")
_DECLINED_NAMES = (EntityKind.ORGANIZATION, EntityKind.STATE, EntityKind.REGION, EntityKind.FACILITY, EntityKind.EVENT)


def _declensions(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Case forms of a name that opens with an adjective: "Weißes Haus" is also "das Weiße
    Haus", "des Weißen Hauses"; "russisches Verteidigungsministerium" also "des russischen
    Verteidigungsministeriums"."""
    head = _ADJECTIVE_HEAD.match(words[0])
    if len(words) < 2 or not head or not words[-1][:1].isupper():
        return []
    stem = head.group(1)
    return [(stem + ending, *words[1:-1], words[-1] + suffix) for ending in ("e", "en", "er", "es", "em") for suffix in ("", "s", "es")]


@cache
def alias_index(registry: Registry) -> AliasIndex:
    entries: dict[tuple[str, ...], list[tuple[str, MentionForm]]] = {}

    def add(key: tuple[str, ...], entity: str, form: MentionForm, *, variant: bool = False) -> None:
        candidates = entries.setdefault(key, [])
        if variant and candidates:
            return  # a generated case form never competes with a listed alias
        if (entity, form) not in candidates:
            candidates.append((entity, form))

    variants = []
    for alias in registry.aliases:
        key = tuple(t.text for t in tokenize(alias.surface))
        if not key:
            continue
        add(key, alias.entity, alias.form)
        if alias.form is MentionForm.ADJECTIVE and alias.surface[:1].islower():
            add((key[0][:1].upper() + key[0][1:], *key[1:]), alias.entity, alias.form)
        if registry.get(alias.entity).kind in _DECLINED_NAMES:
            variants += [(form, alias.entity, alias.form) for form in _declensions(key)]
    for key, entity, form in variants:
        add(key, entity, form, variant=True)
    return AliasIndex(
        entries={key: tuple(value) for key, value in entries.items()},
        first_tokens=frozenset(key[0] for key in entries),
        longest=max((len(key) for key in entries), default=1),
    )


def occupied(found: Iterable[Found]) -> set[tuple[int, int]]:
    """The (sentence, token) positions the found names cover."""
    return {(f.sentence, t) for f in found for t in range(f.first_token, f.last_token + 1)}


def find_entities(sentences: tuple[Sentence, ...], registry: Registry, rules: TextRules, skip: tuple[tuple[int, int], ...] = ()) -> tuple[Found, ...]:
    """Registry entities in the sentences, left to right, without overlaps."""
    index = alias_index(registry)
    found: list[Found] = []
    for sentence in sentences:
        words = [t.text for t in sentence.tokens]
        i = 0
        while i < len(words):
            if _skipped(sentence.tokens[i].start, skip):
                i += 1
                continue
            hit = _match_at(words, i, index)
            if hit is None:
                found += _compound_parts(sentence, i, index, registry, rules)
                i += 1
                continue
            length, candidates, genitive = hit
            first = i + 1 if length > 1 and words[i] in rules.locative else i  # alias "in Moskau"
            match = _resolve(candidates, sentence, first, i + length - 1, registry, rules, first > i, genitive)
            if match.kind is EntityKind.EVENT:
                found += _names_inside(sentence, first, i + length, index, registry, rules)
            found.append(_standing_for_state(match, sentence, rules))
            i += length
    found += _institutions(sentences, found, registry, skip)
    found.sort(key=lambda f: f.start)
    return tuple(found)


_DETERMINERS = frozenset("der die das den dem des im am ein eine einen einem einer eines zum zur vom beim".split())


def find_family_names(sentences: tuple[Sentence, ...], found: list[Found], registry: Registry, text: str) -> list[Found]:
    """Persons named in full earlier and later by family name alone ("Robert Wood ... Wood sagte")."""
    taken = occupied(found)
    first_seen: dict[str, tuple[str, int]] = {}
    for f in found:
        surface = text[f.start : f.end]
        # only a name the registry lists, never a title ("der russische Außenminister")
        if f.kind is EntityKind.PERSON and f.last_token > f.first_token and (surface == registry.get(f.entity).name or any(a.entity == f.entity for a in registry.named(surface))):
            words = surface.split()
            family = words[0] if registry.state_of(f.entity) in registry.family_name_first else words[-1]
            family = _base(family.rstrip(",."))
            if len(family) >= 3 and family[:1].isupper():
                first_seen.setdefault(family, (f.entity, f.start))
    out = []
    for sentence in sentences:
        for position, token in enumerate(sentence.tokens):
            if (sentence.index, position) in taken:
                continue
            hit = first_seen.get(token.text) or first_seen.get(_base(token.text))
            if hit is None or hit[1] >= token.start:
                continue
            before = sentence.tokens[position - 1].text if position else ""
            if before in _DETERMINERS:
                continue  # "im Park" is a place, not Park Jin
            entity = hit[0]
            out.append(Found(entity, EntityKind.PERSON, MentionForm.NAME, token.start, token.end, sentence.index, position, position))
    return out


def _standing_for_state(found: Found, sentence: Sentence, rules: TextRules) -> Found:
    """An adjective of state before a noun like "Delegation" or "Führung" stands for the state."""
    following = sentence.tokens[found.last_token + 1 : found.last_token + 2]
    if not following or following[0].text not in rules.state_nouns or found.kind is not EntityKind.STATE:
        return found
    if found.form is MentionForm.ADJECTIVE or found.genitive:  # "chinesische Delegation", "Nordkoreas Vertretung"
        return replace(found, form=MentionForm.METONYM, end=following[0].end, last_token=found.last_token + 1, genitive=False)
    return found


def _single(word: str, index: AliasIndex):
    candidates = index.entries.get((word,)) or index.entries.get((_base(word),))
    names = tuple(c for c in candidates or () if c[1] in (MentionForm.NAME, MentionForm.METONYM))
    return names or None


def _compound_parts(sentence: Sentence, i: int, index: AliasIndex, registry: Registry, rules: TextRules) -> list[Found]:
    """Names inside a hyphenated compound ("Japan-Südkorea-USA", "Russland-Afrika-Gipfel")."""
    token = sentence.tokens[i]
    if "-" not in token.text:
        return []
    parts = [(m.group(0), token.start + m.start(), token.start + m.end()) for m in re.finditer(r"[^-]+", token.text)]
    if len(parts) < 2:
        return []
    named = [(part, start, end, _single(part, index)) for part, start, end in parts]
    body = named[:-1] if named[-1][0] in rules.relation_heads else named
    if len(body) < 2 and body is named or not all(hit for *_, hit in body):
        return []
    out = []
    for _, start, end, candidates in body:
        chosen = _choose(candidates, registry, locative=False)
        out.append(Found(chosen[0], registry.get(chosen[0]).kind, chosen[1], start, end, sentence.index, i, i))
    return out


def _names_inside(sentence: Sentence, first: int, stop: int, index: AliasIndex, registry: Registry, rules: TextRules) -> list[Found]:
    """A state or place named inside an event's name ("Krieg gegen die Ukraine", "Russland-Afrika-Gipfel")."""
    out = []
    for position in range(first, stop):
        token = sentence.tokens[position]
        for part in re.finditer(r"[^-]+", token.text):
            candidates = index.entries.get((part.group(0),))
            names = [c for c in candidates or () if c[1] is MentionForm.NAME and (registry.get(c[0]).kind is EntityKind.STATE or registry.get(c[0]).kind.is_place)]
            if names:
                locative = _is_locative(sentence, position, rules)
                start, end = token.start + part.start(), token.start + part.end()
                out.append(Found(names[0][0], registry.get(names[0][0]).kind, MentionForm.NAME, start, end, sentence.index, position, position, locative, in_event=True))
    return out


def _institutions(sentences: tuple[Sentence, ...], found: list[Found], registry: Registry, skip) -> list[Found]:
    """Bare institution nouns ("das Verteidigungsministerium") resolved to the state in context."""
    if not registry.institutions:
        return []
    states = Counter(f.entity for f in found if f.kind is EntityKind.STATE)
    taken = occupied(found)
    states_and_places = by_sentence(f for f in found if registry.state_of(f.entity) and (f.kind is EntityKind.STATE or f.kind.is_place))
    out = []
    for sentence in sentences:
        nearby = states_and_places.get(sentence.index, [])
        for position, token in enumerate(sentence.tokens):
            if (sentence.index, position) in taken or _skipped(token.start, skip):
                continue
            for institution in registry.institutions:
                if token.text not in institution.surfaces:
                    continue
                state = _context_state(nearby, position, institution, states, registry)
                if state:
                    entity = institution.by_state[state]
                    out.append(Found(entity, registry.get(entity).kind, MentionForm.NAME, token.start, token.end, sentence.index, position, position))
    return out


def _context_state(nearby: list[Found], position: int, institution, states: Counter, registry: Registry) -> str | None:
    """The state right before (adjective, genitive) or after ("in Moskau") the noun, else the
    article's most named state among those the institution exists for."""
    close = [f for f in nearby if -2 <= f.first_token - position <= 3 and registry.state_of(f.entity) in institution.by_state]
    if close:
        return registry.state_of(min(close, key=lambda f: abs(f.first_token - position)).entity)
    ranked = [state for state, _ in states.most_common() if state in institution.by_state]
    return ranked[0] if ranked else None


def _skipped(position: int, skip: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= position < end for start, end in skip)


def _match_at(words: list[str], i: int, index: AliasIndex):
    first = words[i]
    if first not in index.first_tokens and _base(first) not in index.first_tokens:
        return None
    for length in range(min(index.longest, len(words) - i), 0, -1):
        key = tuple(words[i : i + length])
        candidates = index.entries.get(key)
        base = _base(key[-1])
        if candidates:
            genitive = base != key[-1] and any(c in index.entries.get((*key[:-1], base), ()) for c in candidates)
            return length, candidates, genitive
        if base != key[-1]:
            candidates = index.entries.get((*key[:-1], base))
            names = tuple(c for c in candidates or () if c[1] not in (MentionForm.ADJECTIVE, MentionForm.DEMONYM))
            if names:
                return length, names, True
    return None


@lru_cache(maxsize=1 << 16)  # asked for every token, several times: a text's words repeat
def _base(word: str) -> str:
    """The word without a genitive ending ("Putins" -> "Putin"), or the word itself."""
    for ending in _GENITIVE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _choose(candidates, registry: Registry, locative: bool) -> tuple[str, MentionForm]:
    """A name both a place and a state (a capital) is the place after a locative word, else the government."""
    places = [c for c in candidates if registry.get(c[0]).kind.is_place]
    others = [c for c in candidates if not registry.get(c[0]).kind.is_place]
    if places and others:
        return places[0] if locative else (others[0][0], MentionForm.METONYM)
    return candidates[0]


def _resolve(candidates, sentence: Sentence, first: int, last: int, registry: Registry, rules: TextRules, locative: bool, genitive: bool) -> Found:
    locative = locative or _is_locative(sentence, first, rules)
    chosen = _choose(candidates, registry, locative)
    entity = registry.get(chosen[0])
    start, end = sentence.tokens[first].start, sentence.tokens[last].end
    return Found(chosen[0], entity.kind, chosen[1], start, end, sentence.index, first, last, locative, genitive)


def _is_locative(sentence: Sentence, first: int, rules: TextRules) -> bool:
    words = [t.text for t in sentence.tokens]
    position = first
    while position >= 2 and words[position - 1][:1].islower() and words[position - 1] not in rules.locative and first - position < 2:
        position -= 1  # "in der russischen Region Kursk": look past the adjective
    before = words[position - 1] if position >= 1 else ""
    two_before = " ".join(words[position - 2 : position]) if position >= 2 else ""
    if {before, before.lower(), two_before, two_before.lower()} & rules.locative:  # "Im Sicherheitsrat" opens a sentence
        return True
    if before in rules.route_from:
        return any(w in rules.route_to for w in words[first + 1 : first + 8])
    return False
