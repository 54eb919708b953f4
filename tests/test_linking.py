"""Linking decisions against the local Wikidata stand-in: one clear winner, ambiguity, type and state checks."""

from dataclasses import replace

import pytest

from etl.linking import link_entities, normalized
from etl.model import Entity, EntityKind, LinkStatus
from etl.wikidata import AnswerCache, WikidataClient


@pytest.fixture
def client(fake, tmp_path):
    cache = AnswerCache(tmp_path / "cache")
    yield WikidataClient(cache, online=True, api=fake.url, sleep=lambda s: None, today=lambda: "2026-11-21")
    cache.close()


def unlinked(pack, name):
    """A registry entity as if the registry had no Wikidata ID for it."""
    entity = pack.registry.by_name(name)
    return replace(entity, wikidata=None, confidence="unverified")


def registry_without(pack, *entities):
    return replace(pack.registry, entities={**pack.registry.entities, **{e.key: e for e in entities}})


def test_one_clear_candidate_is_linked_with_its_score_and_day(pack, client):
    shoigu = unlinked(pack, "Sergei Shoigu")
    decision = link_entities([shoigu], registry_without(pack, shoigu), pack.linking, client)[shoigu.key]
    assert decision.status is LinkStatus.ONLINE
    assert decision.qid == "Q32024"  # the ID the verified reference gives him
    assert decision.confidence == "online" and decision.score == 1.0 and decision.date == "2026-11-21"
    best = decision.candidates[0]
    assert (best.name, best.type_fit, best.state_fit) == (1.0, 1.0, 1.0)


def test_equally_good_candidates_are_listed_for_review_never_guessed(pack, client):
    crimea = unlinked(pack, "Crimea")
    decision = link_entities([crimea], registry_without(pack, crimea), pack.linking, client)[crimea.key]
    assert decision.status is LinkStatus.AMBIGUOUS and decision.qid is None
    scores = {c.qid: c.score for c in decision.candidates}
    assert scores["Q7835"] == scores["Q756294"] == 1.0  # "Krim" is the label of one and an alias of the other
    assert scores["Q15966495"] < 1.0  # the same alias, but Wikidata puts it in another state


def test_a_candidate_of_another_type_is_never_linked(pack, client):
    kursk_city = Entity("kursk", "Kursk", "Kursk", EntityKind.CITY, None, "russia", ("Kursk",))
    decision = link_entities([kursk_city], registry_without(pack, kursk_city), pack.linking, client)["kursk"]
    assert decision.status is LinkStatus.NO_MATCH and decision.qid is None
    [oblast] = decision.candidates
    assert oblast.qid == "Q3178" and oblast.name == 1.0 and oblast.type_fit == 0.0


def test_a_candidate_in_another_state_falls_below_the_threshold(pack, client):
    republic = unlinked(pack, "Republic of Crimea")  # the registry puts it in Ukraine; the stand-in says Russia
    decision = link_entities([republic], registry_without(pack, republic), pack.linking, client)[republic.key]
    assert decision.status is LinkStatus.AMBIGUOUS
    [candidate] = decision.candidates
    assert candidate.qid == "Q15966495" and candidate.state_fit == 0.0
    assert candidate.score == pytest.approx(0.8) and candidate.score < pack.linking.threshold


def test_the_type_check_climbs_subclass_of(pack, client, fake):
    vladivostok = unlinked(pack, "Vladivostok")
    rules = replace(pack.linking, types={**pack.linking.types, EntityKind.CITY: ("Q515",)})  # "city" only: big city must climb
    decision = link_entities([vladivostok], registry_without(pack, vladivostok), rules, client)[vladivostok.key]
    assert decision.status is LinkStatus.ONLINE and decision.qid == "Q959"
    asked = [r["ids"] for r in fake.requests if r["action"] == "wbgetentities"]
    assert asked == ["Q959", "Q1549591"]  # the candidate, then its class; the climb stops at a fitting class


def test_registry_ids_need_no_request(pack, client, fake):
    putin = pack.registry.by_name("Vladimir Putin")
    decision = link_entities([putin], pack.registry, pack.linking, client)[putin.key]
    assert (decision.status, decision.qid, decision.confidence) == (LinkStatus.REGISTRY, "Q7747", "verified")
    assert fake.requests == []


def test_without_a_lookup_or_an_answer_an_actor_is_not_looked_up(pack, fake, tmp_path):
    shoigu = unlinked(pack, "Sergei Shoigu")
    registry = registry_without(pack, shoigu)
    assert link_entities([shoigu], registry, pack.linking, None)[shoigu.key].status is LinkStatus.NOT_LOOKED_UP
    cache = AnswerCache(tmp_path / "empty")
    offline = WikidataClient(cache, online=False, api=fake.url)
    assert link_entities([shoigu], registry, pack.linking, offline)[shoigu.key].status is LinkStatus.NOT_LOOKED_UP
    assert fake.requests == []
    cache.close()


def test_a_fuzzy_name_is_never_linked_however_well_type_and_state_fit(pack, client):
    clipped = Entity("sergei-sch", "Sergei Sch", "Sergei Sch", EntityKind.PERSON, None, "russia", ("Sergei Sch",))
    decision = link_entities([clipped], registry_without(pack, clipped), pack.linking, client)["sergei-sch"]
    assert decision.status is LinkStatus.AMBIGUOUS and decision.qid is None
    [candidate] = decision.candidates
    assert candidate.qid == "Q32024" and candidate.name < 1.0 and candidate.score >= pack.linking.threshold


def test_an_item_the_registry_gives_to_another_entity_is_not_linked_again(pack, client):
    double = Entity("s-schoigu", "S. Schoigu", "Sergei Schoigu", EntityKind.PERSON, None, "russia", ("Sergei Schoigu",))
    decision = link_entities([double], registry_without(pack, double), pack.linking, client)["s-schoigu"]
    assert decision.status is LinkStatus.AMBIGUOUS and decision.candidates[0].qid == "Q32024"  # Shoigu's verified ID


def test_two_lookups_finding_one_item_link_neither(pack, client):
    shoigu = unlinked(pack, "Sergei Shoigu")
    double = Entity("s-schoigu", "S. Schoigu", "Sergei Schoigu", EntityKind.PERSON, None, "russia", ("Sergei Schoigu",))
    decisions = link_entities([shoigu, double], registry_without(pack, shoigu, double), pack.linking, client)
    assert {d.status for d in decisions.values()} == {LinkStatus.AMBIGUOUS}


def test_places_events_and_weapons_are_not_all_linked(pack):
    kinds = {e.kind for e in pack.registry.entities.values()}
    decisions = link_entities(pack.registry.entities.values(), pack.registry, pack.linking, None)
    linked_kinds = {pack.registry.get(k).kind for k in decisions}
    assert EntityKind.EVENT in kinds and EntityKind.EVENT not in linked_kinds
    assert {EntityKind.PERSON, EntityKind.STATE, EntityKind.CITY} <= linked_kinds


@pytest.mark.parametrize(("a", "b"), [("Kim Jong-un", "Kim Jong Un"), ("Recep Tayyip Erdoğan", "recep tayyip erdogan"), ("Washington, D.C.", "Washington DC")])
def test_names_compare_without_case_accents_or_punctuation(a, b):
    assert normalized(a) == normalized(b)
