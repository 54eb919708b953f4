"""Actors and places in German text: inflections, transliterations, metonyms."""

from etl.extract.document import analyse
from etl.model import MentionForm


def _found(read_text, pack, text):
    doc = analyse(read_text(text), pack)
    return [(doc.text[f.start : f.end], f.entity, f.form) for f in doc.entities]


def _mentioned(extract_text, text):
    return {m.entity for m in extract_text(text).mentions}


def test_german_inflections_find_the_base_name(read_text, pack):
    found = _found(read_text, pack, "Putins Minister lobte Schoigus Besuch und Nordkoreas Führung.")
    assert ("Putins", "vladimir-putin", MentionForm.NAME) in found
    assert ("Schoigus", "sergei-shoigu", MentionForm.NAME) in found
    assert ("Nordkoreas", "north-korea", MentionForm.NAME) in found


def test_transliteration_variants(extract_text):
    variants = "Schojgu traf Lavrov. Danach sprach Lawrow mit Schoigu in Pyongyang, später in Pjöngjang."
    mentioned = _mentioned(extract_text, variants)
    assert {"sergei-shoigu", "sergey-lavrov", "pyongyang"} <= mentioned


def test_capital_is_a_place_after_a_locative_word_and_the_government_elsewhere(read_text, pack):
    found = _found(read_text, pack, "Moskau bestreitet die Berichte. Der Gast landete in Moskau.")
    assert found[0] == ("Moskau", "russia", MentionForm.METONYM)
    assert found[-1] == ("Moskau", "moscow", MentionForm.NAME)


def test_kremlin_washington_and_white_house_as_actors(read_text, pack):
    found = _found(read_text, pack, "Der Kreml schweigt. Washington widerspricht, und das Weiße Haus warnt.")
    entities = {entity for _, entity, _ in found}
    assert {"kremlin", "united-states", "white-house"} <= entities


def test_an_adjective_alone_is_not_a_mention_of_the_state(extract_text):
    mentioned = _mentioned(extract_text, "Ein russischer Diplomat lobte die nordkoreanische Küche.")
    assert "russia" not in mentioned and "north-korea" not in mentioned
    assert "russia" in _mentioned(extract_text, "Russland lobte die Küche.")


def test_generic_armed_forces_count_as_the_state(extract_text):
    assert "russia" in _mentioned(extract_text, "Die russische Armee rückte vor.")


def test_agency_dateline_names_no_actor(extract_text):
    mentioned = _mentioned(extract_text, "Einleitung\n\nWashington (dpa) - Kim Jong Un hat eine Rakete getestet.")
    assert "kim-jong-un" in mentioned
    assert "united-states" not in mentioned and "washington-d-c" not in mentioned


def test_mention_evidence_is_the_exact_words(extract_text):
    record = extract_text("Wladimir Putin empfing Kim Jong-un.")
    original = record.article.original
    for mention in record.mentions:
        assert original[mention.evidence.start : mention.evidence.end] == mention.evidence.quote
    assert {m.evidence.quote for m in record.mentions} == {"Wladimir Putin", "Kim Jong-un"}
