"""Persons named by their office and persons the registry does not know.

"der russische Außenminister", "Russlands Verteidigungsminister", "Außenminister Nordkoreas" and
"US-Präsident" name whoever held the office on the article's date (the holders are data in
`roles.toml`). A title or role followed by a name the registry does not know ("der südkoreanische
Abgeordnete Lee Seong-kweun", "Militärexperte Markus Reisner vom Bundesheer") makes a new person
actor, without a Wikidata link, with the role as the article states it.
"""

from __future__ import annotations

import re

from etl.datapack import Registry, RoleRules, TitleRule, slug
from etl.extract.entities import Found, alias_index, occupied
from etl.extract.text import Sentence, by_sentence
from etl.model import DateValue, Entity, EntityKind, MentionForm

_NAME_TOKEN = re.compile(r"[A-ZÄÖÜ][a-zäöüßA-ZÄÖÜ]*(?:[-'’][A-Za-zäöüßÄÖÜ]+)*")


def find_role_mentions(
    sentences: tuple[Sentence, ...], found: list[Found], registry: Registry, roles: RoleRules, published: DateValue | None
) -> tuple[list[Found], dict[str, Entity]]:
    """Office holders and new persons, as mentions, and the new persons' entities."""
    taken = occupied(found)
    found_in = by_sentence(found)
    mentions: list[Found] = []
    people: dict[str, Entity] = {}
    for sentence in sentences:
        here = found_in.get(sentence.index, [])
        for position, token in enumerate(sentence.tokens):
            if (sentence.index, position) in taken:
                continue
            rule, owner = _title(sentence, position, here, registry, roles)
            is_role = rule is not None or roles.is_role_noun(token.text)
            if not is_role:
                continue
            if any(f.first_token == position + 1 and f.kind is EntityKind.PERSON for f in here):
                continue  # the title introduces a person the registry knows
            name = _unknown_name(sentence, position, taken, roles)
            if name is not None:
                mention, entity = _new_person(sentence, position, name, here, owner, registry, roles)
                mentions.append(mention)
                people.setdefault(entity.key, entity)
                taken.update((sentence.index, t) for t in range(name[0], name[1] + 1))
                continue
            holder = rule.holder(published) if rule else None
            if holder:
                start = owner.start if owner and owner.end <= token.start else token.start
                first = owner.first_token if owner and owner.end <= token.start else position
                mentions.append(Found(holder, EntityKind.PERSON, MentionForm.NAME, start, token.end, sentence.index, first, position))
                taken.add((sentence.index, position))
    return mentions, people


def _title(sentence: Sentence, position: int, here: list[Found], registry: Registry, roles: RoleRules) -> tuple[TitleRule | None, Found | None]:
    """The title at this token and the actor whose office it is, if the context names it."""
    word = sentence.tokens[position].text
    if "-" in word:  # "US-Präsident", "Nato-Generalsekretär"
        prefix, base = word.rsplit("-", 1)
        owners = [c[0] for c in alias_index(registry).entries.get((prefix,), ()) if registry.get(c[0]).kind.is_actor]
        for rule in roles.titles_named(base):
            if rule.of in owners:
                return rule, None
    rules = roles.titles_named(word)
    if not rules:
        return None, None
    owner = _owner_before(sentence, position, here) or _owner_after(sentence, position, here)
    if owner is None:
        bare = [rule for rule in rules if rule.bare]
        return (bare[0], None) if len(bare) == 1 else (None, None)
    key = owner.entity
    state = registry.state_of(key) or key
    for rule in rules:
        if rule.of in (key, state):
            return rule, owner
    return None, owner


def _owner_before(sentence: Sentence, position: int, here: list[Found]) -> Found | None:
    """"der russische Außenminister", "Russlands früherer Außenminister"."""
    for found in here:
        if found.kind.is_actor and found.last_token < position and position - found.last_token <= 2:
            between = sentence.tokens[found.last_token + 1 : position]
            if all(t.text[:1].islower() for t in between) and (found.form is MentionForm.ADJECTIVE or found.genitive):
                return found
    return None


def _owner_after(sentence: Sentence, position: int, here: list[Found]) -> Found | None:
    """"Außenminister Russlands", "Generalsekretär der Nato"."""
    for found in here:
        if not found.kind.is_actor:
            continue
        if found.first_token == position + 1 and found.genitive:
            return found
        if found.first_token == position + 2 and sentence.tokens[position + 1].text in ("der", "des"):
            return found
    return None


def _unknown_name(sentence: Sentence, position: int, taken: set, roles: RoleRules) -> tuple[int, int] | None:
    """Two to four name-like tokens right after a role, none of them a known entity."""
    tokens = sentence.tokens
    picked: list[int] = []
    index = position + 1
    while index < len(tokens) and len(picked) < 5:
        if (sentence.index, index) in taken:
            return None
        text = tokens[index].text
        if _NAME_TOKEN.fullmatch(text) and not text.isupper():
            picked.append(index)
        elif text in roles.particles and picked:
            picked.append(index)
        else:
            break
        index += 1
    while picked and tokens[picked[-1]].text in roles.particles:
        picked.pop()
    if sum(1 for i in picked if tokens[i].text[:1].isupper()) < 2:
        return None
    if index < len(tokens) and tokens[index].text[:1].isupper() and _NAME_TOKEN.fullmatch(tokens[index].text):
        return None  # a longer run of capitalized words is more likely a title or a noun phrase
    return picked[0], picked[-1]


def _new_person(sentence: Sentence, position: int, name: tuple[int, int], here: list[Found], owner: Found | None, registry: Registry, roles: RoleRules) -> tuple[Found, Entity]:
    tokens = sentence.tokens
    start, end = tokens[name[0]].start, tokens[name[1]].end
    surface = " ".join(t.text for t in tokens[name[0] : name[1] + 1])
    adjective = owner if owner and owner.end <= tokens[position].start else _owner_before(sentence, position, here)
    role_start = adjective.start if adjective else tokens[position].start
    role = _text_between(sentence, role_start, tokens[position].end)
    state = registry.state_of(adjective.entity) if adjective else (registry.state_of(owner.entity) if owner else None)
    state = state or _affiliation_state(sentence, name[1], here, registry, roles)
    entity = Entity(slug(surface), surface, surface, EntityKind.PERSON, None, state, (surface,), "unlinked", role)
    return Found(entity.key, EntityKind.PERSON, MentionForm.NAME, start, end, sentence.index, name[0], name[1]), entity


def _text_between(sentence: Sentence, start: int, end: int) -> str:
    return " ".join(t.text for t in sentence.tokens if start <= t.start and t.end <= end)


def _affiliation_state(sentence: Sentence, last: int, here: list[Found], registry: Registry, roles: RoleRules) -> str | None:
    """"Experte X vom CSIS": the state of the body the person works for."""
    following = [t.text for t in sentence.tokens[last + 1 : last + 3]]
    cue = 2 if " ".join(following) in roles.affiliation else 1 if following[:1] and following[0] in roles.affiliation else 0
    if not cue:
        return None
    for found in here:
        if found.kind.is_actor and last + cue < found.first_token <= last + cue + 2:
            return registry.state_of(found.entity)
    return None
