"""Wikidata links for the actors and places a graph uses.

The registry's own IDs (verified or corroborated in the bundled reference, reviewed in a local
registry) come first. An entity without one is looked up: Wikidata's search in German, then in
English; its candidates' labels and aliases, types (instance of, climbing subclass of) and states
are compared with what the registry knows. Only one clear winner above the threshold is linked;
several plausible ones are left for review, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

from rapidfuzz import fuzz

from etl.datapack import LinkRules, Registry
from etl.model import Candidate, Entity, EntityKind, LinkDecision, LinkStatus
from etl.wikidata import Item, SearchHit

LINKABLE_KINDS = frozenset({EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.STATE, EntityKind.CITY, EntityKind.REGION, EntityKind.FACILITY})
MAX_LISTED = 6


class Lookup(Protocol):
    def search(self, text: str, language: str, limit: int) -> tuple[list[SearchHit], str] | None: ...

    def items(self, qids: Iterable[str], languages: tuple[str, ...] = ()) -> tuple[dict[str, Item], str] | None: ...


def link_entities(entities: Iterable[Entity], registry: Registry, rules: LinkRules, lookup: Lookup | None) -> dict[str, LinkDecision]:
    """A decision for each linkable entity: the registry's ID, or what Wikidata's answers support."""
    decisions = {}
    for entity in sorted(entities, key=lambda e: e.key):
        if entity.kind not in LINKABLE_KINDS:
            continue
        if entity.wikidata:
            decisions[entity.key] = LinkDecision(entity.key, LinkStatus.REGISTRY, entity.wikidata, entity.confidence)
        elif lookup is None:
            decisions[entity.key] = LinkDecision(entity.key, LinkStatus.NOT_LOOKED_UP)
        else:
            decisions[entity.key] = _look_up(entity, registry, rules, lookup)
    return _one_entity_per_item(decisions, registry)


def _one_entity_per_item(decisions: dict[str, LinkDecision], registry: Registry) -> dict[str, LinkDecision]:
    """An item a registry entity already stands for, or that two lookups found, links nobody online:
    two nodes `owl:sameAs` one item would merge two actors in the user's graph."""
    taken = {e.wikidata for e in registry.entities.values() if e.wikidata}
    found: dict[str, int] = {}
    for decision in decisions.values():
        if decision.status is LinkStatus.ONLINE:
            found[decision.qid] = found.get(decision.qid, 0) + 1
    return {
        key: replace(d, status=LinkStatus.AMBIGUOUS, qid=None, confidence=None, score=None)
        if d.status is LinkStatus.ONLINE and (d.qid in taken or found[d.qid] > 1)
        else d
        for key, d in decisions.items()
    }


# ---------------------------------------------------------------- one lookup


def _look_up(entity: Entity, registry: Registry, rules: LinkRules, lookup: Lookup) -> LinkDecision:
    not_looked_up = LinkDecision(entity.key, LinkStatus.NOT_LOOKED_UP)
    searches = _searches(entity, rules)
    if not searches:
        return not_looked_up
    hits: dict[str, SearchHit] = {}
    days: list[str] = []
    for text, language in searches:
        answer = lookup.search(text, language, rules.search_limit)
        if answer is None:
            return not_looked_up
        found, day = answer
        days.append(day)
        for hit in found:
            hits.setdefault(hit.qid, hit)
    if not hits:
        return LinkDecision(entity.key, LinkStatus.NO_MATCH, date=max(days))
    answer = lookup.items(hits, rules.languages)
    if answer is None:
        return not_looked_up
    found, day = answer
    days.append(day)
    items = {item.qid: (item, hits.get(asked) or hits.get(item.qid)) for asked, item in sorted(found.items())}  # redirects: one per item
    expected = frozenset(rules.types.get(entity.kind, ()))
    classes = _class_ancestors([item for item, _ in items.values()], expected, rules, lookup, days)
    if classes is None:
        return not_looked_up
    state_qid = _state_qid(entity, registry)
    candidates = [_candidate(entity, item, hit, classes, expected, state_qid, rules) for item, hit in items.values()]
    return _decide(entity.key, candidates, rules, max(days))


def _searches(entity: Entity, rules: LinkRules) -> list[tuple[str, str]]:
    """German label in German first, then the English name in English."""
    names = {"de": entity.label_de, "en": entity.name}
    return [(names[lang], lang) for lang in rules.languages if names.get(lang)]


def _state_qid(entity: Entity, registry: Registry) -> str | None:
    if entity.kind is EntityKind.STATE or not entity.state or entity.state not in registry.entities:
        return None
    return registry.get(entity.state).wikidata


def _class_ancestors(
    items: list[Item], expected: frozenset[str], rules: LinkRules, lookup: Lookup, days: list[str]
) -> dict[str, frozenset[str]] | None:
    """For each candidate, its classes and their superclasses, climbing "subclass of" one step at
    a time up to `class_depth`, and only for candidates no class of which fits yet."""
    reach = {item.qid: set(item.values(rules.instance_of)) for item in items}
    layer = {qid: set(classes) for qid, classes in reach.items()}
    parents: dict[str, tuple[str, ...]] = {}
    for _ in range(rules.class_depth):
        climbing = [qid for qid in reach if layer[qid] and not reach[qid] & expected]
        needed = sorted({c for qid in climbing for c in layer[qid]} - parents.keys())
        if needed:
            answer = lookup.items(needed)
            if answer is None:
                return None
            found, day = answer
            days.append(day)
            parents |= {c: found[c].values(rules.subclass_of) if c in found else () for c in needed}
        for qid in climbing:
            layer[qid] = {p for c in layer[qid] for p in parents.get(c, ())} - reach[qid]
            reach[qid] |= layer[qid]
    return {qid: frozenset(classes) for qid, classes in reach.items()}


# ---------------------------------------------------------------- scoring


def _candidate(
    entity: Entity, item: Item, hit: SearchHit | None, classes: dict[str, frozenset[str]], expected: frozenset[str], state_qid: str | None, rules: LinkRules
) -> Candidate:
    name = _name_score(_entity_names(entity), item.names(rules.languages) or ([hit.label] if hit else []))
    type_fit = None if not classes[item.qid] else float(bool(classes[item.qid] & expected))
    state_fit = _state_fit(entity, item, state_qid, rules)
    parts = [(rules.weights["name"], name), (rules.weights["type"], type_fit), (rules.weights["state"], state_fit)]
    known = [(w, v) for w, v in parts if v is not None]
    score = sum(w * v for w, v in known) / sum(w for w, _ in known)
    label = next((item.labels[lang] for lang in rules.languages if lang in item.labels), hit.label if hit else item.qid)
    description = next((item.descriptions[lang] for lang in rules.languages if lang in item.descriptions), hit.description if hit else "")
    return Candidate(item.qid, label, description, round(score, 3), round(name, 3), type_fit, state_fit)


def _entity_names(entity: Entity) -> list[str]:
    """The names a candidate must carry: a person's full names (a bare surname names too many people)."""
    names = [entity.name, entity.label_de, *entity.aliases]
    if entity.kind is EntityKind.PERSON:
        names = [n for n in names if len(n.split()) > 1 or n in (entity.name, entity.label_de)]
    return list(dict.fromkeys(names))


def normalized(name: str) -> str:
    """Compare names without case, accents, hyphens or dots: "Kim Jong-un" = "Kim Jong Un"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[\W_]+", " ", ascii_name.casefold().replace(".", "")).split())


def _name_score(ours: list[str], theirs: list[str]) -> float:
    best = 0.0
    for a in map(normalized, ours):
        for b in map(normalized, theirs):
            if a and a == b:
                return 1.0
            best = max(best, fuzz.token_sort_ratio(a, b) / 100)
    return best


def _state_fit(entity: Entity, item: Item, state_qid: str | None, rules: LinkRules) -> float | None:
    prop = rules.state_property.get(entity.kind)
    if state_qid is None or prop is None or not item.values(prop):
        return None
    return 1.0 if state_qid in item.values(prop) else 0.0


def _decide(key: str, candidates: list[Candidate], rules: LinkRules, day: str) -> LinkDecision:
    def rank(c: Candidate) -> tuple[float, int]:
        return -c.score, int(c.qid[1:])

    fitting = sorted((c for c in candidates if c.type_fit != 0.0), key=rank)
    mismatched = sorted((c for c in candidates if c.type_fit == 0.0), key=rank)
    listed = tuple([c for c in fitting if c.score >= rules.review_floor][:MAX_LISTED] + mismatched[:2])
    clear = len(fitting) == 1 or (len(fitting) > 1 and fitting[0].score - fitting[1].score >= rules.margin)
    if clear and fitting[0].type_fit == 1.0 and fitting[0].name == 1.0 and fitting[0].score >= rules.threshold:
        winner = fitting[0]
        return LinkDecision(key, LinkStatus.ONLINE, winner.qid, "online", winner.score, day, listed)
    if any(c.score >= rules.review_floor for c in fitting):
        return LinkDecision(key, LinkStatus.AMBIGUOUS, date=day, candidates=listed)
    return LinkDecision(key, LinkStatus.NO_MATCH, date=day, candidates=listed)
