"""Persons named by their office on the article's date, and persons the registry does not know."""

from etl.model import Attribution, Stance


def _persons(record):
    return {m.entity for m in record.mentions if m.entity not in ("russia", "north-korea", "united-states", "south-korea")}


def test_an_office_names_whoever_held_it_on_the_articles_date(extract_text):
    text = "Besuch\n\nDer russische Verteidigungsminister reiste nach Pjöngjang."
    assert "sergei-shoigu" in _persons(extract_text(text, date="2023-07"))
    assert "andrei-belousov" in _persons(extract_text(text, date="2024-09"))


def test_genitive_and_prefixed_titles(extract_text):
    record = extract_text("Gipfel\n\nRusslands Außenminister sprach mit dem US-Präsidenten.", date="2024-03")
    assert {"sergey-lavrov", "joe-biden"} <= _persons(record)
    record = extract_text("Gipfel\n\nDer Außenminister Nordkoreas sprach mit dem US-Präsidenten.", date="2025-03")
    assert {"choe-son-hui", "donald-trump"} <= _persons(record)
    record = extract_text("Nato\n\nDer Generalsekretär der Nato warnte vor Waffenlieferungen.", date="2024-11")
    assert "mark-rutte" in _persons(record)


def test_a_title_before_a_known_name_adds_no_second_person(extract_text):
    record = extract_text("Besuch\n\nDer russische Verteidigungsminister Andrej Beloussow traf Kim Jong Un.", date="2023-07")
    assert "sergei-shoigu" not in _persons(record)
    assert "andrei-belousov" in _persons(record)


def test_an_unknown_person_with_a_role_becomes_an_actor(extract_text):
    record = extract_text(
        "Truppen\n\nDer südkoreanische Abgeordnete Lee Seong Kweun sagte, Nordkorea habe 3000 Soldaten nach Russland geschickt.",
        date="2024-10-24",
    )
    (person,) = record.entities
    assert (person.key, person.name, person.role, person.state, person.wikidata) == (
        "lee-seong-kweun", "Lee Seong Kweun", "südkoreanische Abgeordnete", "south-korea", None,
    )
    assert "lee-seong-kweun" in {m.entity for m in record.mentions}
    (claim,) = record.claims
    assert (claim.attribution, claim.claimant, claim.stance) == (Attribution.NAMED, "lee-seong-kweun", Stance.ASSERTS)
    assert (claim.supplier, claim.recipient, claim.materiel) == ("north-korea", "russia", ("military-personnel",))
    assert claim.quantity.value == 3000


def test_an_experts_state_comes_from_the_body_he_works_for(extract_text):
    record = extract_text("Analyse\n\nMilitärexperte Markus Reisner vom Institute for the Study of War erwartet weitere Lieferungen.")
    (person,) = record.entities
    assert (person.name, person.role, person.state) == ("Markus Reisner", "Militärexperte", "united-states")


def test_capitalized_nouns_after_a_role_are_no_name(extract_text):
    assert extract_text("Lage\n\nDer Sprecher Außenministerium Moskau Kreml Stellungnahme blieb aus.").entities == ()
    assert extract_text("Lage\n\nDer Sprecher sagte nichts.").entities == ()
