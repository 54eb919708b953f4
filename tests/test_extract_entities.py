"""Actors and places in German text: inflections, transliterations, metonyms."""

from etl.extract.document import analyse
from etl.model import MentionForm


def _found(read_text, pack, text):
    doc = analyse(read_text(text), pack)
    return [(doc.text[f.start : f.end], f.entity, f.form) for f in doc.entities]


def _mentioned(extract_text, text):
    return {m.entity for m in extract_text(text).mentions}


def test_german_inflections_find_the_base_name(read_text, pack):
    found = _found(read_text, pack, "Putins Minister lobte Schoigus Besuch und Nordkoreas Küste.")
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


def test_names_joined_in_a_compound(extract_text):
    mentioned = _mentioned(extract_text, "Bündnis\n\nDas Trio Japan-Südkorea-USA rückt zusammen, der Russland-Afrika-Gipfel weniger.")
    assert {"japan", "south-korea", "united-states", "russia"} <= mentioned
    assert "north-korea" not in _mentioned(extract_text, "Experten\n\nDie Nordkorea-Experten sind sich uneins.")


def test_a_state_inside_an_event_name_is_mentioned(extract_text):
    assert "ukraine" in _mentioned(extract_text, "Krieg\n\nRussland braucht Granaten für seinen Krieg gegen die Ukraine.")


def test_an_adjective_before_a_state_noun_stands_for_the_state(extract_text):
    assert "china" in _mentioned(extract_text, "Feier\n\nEine chinesische Delegation reiste nach Pjöngjang.")
    assert "china" not in _mentioned(extract_text, "Feier\n\nEin chinesischer Koch reiste nach Pjöngjang.")


def test_a_bare_ministry_is_the_one_of_the_state_in_context(extract_text):
    assert "ministry-of-foreign-affairs-of-russia" in _mentioned(extract_text, "Moskau\n\nDie Sprecherin des Außenministeriums in Moskau schwieg.")
    assert "ministry-of-national-defence-of-north-korea" in _mentioned(extract_text, "Pjöngjang\n\nDas Verteidigungsministerium Nordkoreas schwieg.")
    record = extract_text("Konferenz\n\nRussland lud ein. Russland und Nordkorea feiern. Eine vom Verteidigungsministerium organisierte Feier.")
    assert "ministry-of-defence-of-russia" in {m.entity for m in record.mentions}


def test_an_acronym_glued_to_the_next_word_is_still_found(extract_text):
    assert "tass" in _mentioned(extract_text, "Meldung\n\nNach Angaben der Agentur TASSZu diesem Anlass kamen viele.")


def test_a_family_name_alone_refers_to_the_person_named_before(read_text, pack):
    found = _found(read_text, pack, "Sitzung\n\nDer Diplomat Robert Wood sprach zuerst. Wood sagte, die Lage sei ernst. Im Park Jin war nichts.")
    assert [f for f in found if f[0] == "Wood"] == [("Wood", "robert-a-wood", MentionForm.NAME)]
    found = _found(read_text, pack, "Treffen\n\nChoe Son Hui reiste an. Choe sagte wenig.")
    assert sum(1 for f in found if f[1] == "choe-son-hui") == 2


def test_a_title_is_never_taken_for_a_family_name(read_text, pack):
    text = "Gespräch\n\nDer russische Verteidigungsminister traf Kim. Verteidigungsminister wechseln oft, sagte ein Beobachter."
    found = _found(read_text, pack, text)
    assert [f for f in found if f[1] == "sergei-shoigu"] == [("russische Verteidigungsminister", "sergei-shoigu", MentionForm.NAME)]
