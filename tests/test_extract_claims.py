"""Arms-transfer claims read from short German texts written for these tests."""

import pytest

from etl.model import Attribution, DateValue, Stance


def _claims(extract_text, text, date="2023-08-15"):
    return extract_text(text, date=date).claims


def _tuples(claims):
    return {(c.attribution.value, c.claimant, c.stance.value, c.supplier, c.recipient) for c in claims}


def test_a_named_accusation_with_its_date(extract_text):
    (claim,) = _claims(extract_text, "Vorwurf\n\nIm Februar beschuldigten die USA Nordkorea, Raketen an Russland geliefert zu haben.")
    assert (claim.attribution, claim.claimant, claim.stance) == (Attribution.NAMED, "united-states", Stance.ASSERTS)
    assert (claim.supplier, claim.recipient) == ("north-korea", "russia")
    assert claim.materiel == ("missiles",)
    assert claim.claim_date == DateValue(2023, 2)


def test_a_denial_in_a_relative_clause_is_a_second_claim(extract_text):
    claims = _claims(extract_text, "Vorwurf\n\nDie USA werfen Nordkorea vor, Artilleriegranaten an die Gruppe Wagner geliefert zu haben, was Pjöngjang bestreitet.")
    assert _tuples(claims) == {
        ("named", "united-states", "asserts", "north-korea", "wagner-group"),
        ("named", "north-korea", "denies", "north-korea", "wagner-group"),
    }
    assert all(c.materiel == ("artillery-ammunition",) for c in claims)


def test_a_denial_in_the_next_sentence_refers_back(extract_text):
    text = "Lieferungen\n\nLaut Washington hat Nordkorea Munition an Russland geliefert. Der Kreml wies die Vorwürfe als falsch zurück."
    assert _tuples(_claims(extract_text, text)) == {
        ("named", "united-states", "asserts", "north-korea", "russia"),
        ("named", "kremlin", "denies", "north-korea", "russia"),
    }


def test_denying_a_deal_uses_the_usual_direction(extract_text):
    claims = _claims(extract_text, "Dementi\n\nPjöngjang und Moskau dementieren Waffendeals.")
    assert _tuples(claims) == {
        ("named", "north-korea", "denies", "north-korea", "russia"),
        ("named", "russia", "denies", "north-korea", "russia"),
    }


def test_observers_speculate(extract_text):
    (claim,) = _claims(extract_text, "Analyse\n\nRussland, so sagen Beobachter, könnte von Nordkorea vor allem Artilleriegranaten kaufen.")
    assert (claim.attribution, claim.claimant, claim.stance) == (Attribution.UNNAMED, None, Stance.SPECULATES)
    assert (claim.supplier, claim.recipient) == ("north-korea", "russia")


def test_the_authors_own_nominal_statement(extract_text):
    (claim,) = _claims(extract_text, "Kommentar\n\nDabei ging es auch um die Waffenlieferungen Nordkoreas nach Russland.")
    assert (claim.attribution, claim.claimant, claim.stance) == (Attribution.AUTHOR, None, Stance.ASSERTS)
    assert (claim.supplier, claim.recipient, claim.materiel) == ("north-korea", "russia", ("weapons",))


def test_materiel_and_its_origin(extract_text):
    (claim,) = _claims(extract_text, "Drohnen\n\nRussland setzt Drohnen aus dem Iran ein.")
    assert (claim.supplier, claim.recipient, claim.materiel) == ("iran", "russia", ("drones",))


def test_an_adjective_on_the_materiel_names_the_supplier(extract_text):
    (claim,) = _claims(extract_text, "Einsatz\n\nDie russische Armee kauft nordkoreanische Raketen.")
    assert (claim.supplier, claim.recipient) == ("north-korea", "russia")


def test_troops_with_their_number(extract_text):
    (claim,) = _claims(extract_text, "Truppen\n\nNach Angaben Südkoreas hat Nordkorea 12.000 Soldaten nach Russland geschickt.")
    assert (claim.claimant, claim.supplier, claim.recipient) == ("south-korea", "north-korea", "russia")
    assert claim.materiel == ("military-personnel",)
    assert claim.quantity.text == "12.000 Soldaten" and claim.quantity.value == 12000


def test_technology_in_exchange(extract_text):
    (claim,) = _claims(extract_text, "Tausch\n\nNordkorea hofft im Gegenzug auf russische Satellitentechnologie.")
    assert (claim.supplier, claim.recipient, claim.stance) == ("russia", "north-korea", Stance.SPECULATES)
    assert claim.materiel == ("satellite-technology",)


def test_questions_are_not_assertions_but_headline_questions_speculate(extract_text):
    assert _claims(extract_text, "Analyse\n\nLiefert Nordkorea Raketen an Russland?") == ()
    (claim,) = _claims(extract_text, "Liefert Nordkorea Raketen an Russland?\n\nEine Analyse.")
    assert (claim.attribution, claim.stance) == (Attribution.AUTHOR, Stance.SPECULATES)


def test_weapon_words_without_a_transfer_are_no_claim(extract_text):
    assert _claims(extract_text, "Test\n\nNordkorea testete am Sonntag eine Rakete. Russland hat eine große Rüstungsindustrie.") == ()


def test_claim_evidence_is_exact_and_inside_the_text(extract_text):
    record = extract_text("Vorwurf\n\nIm Februar beschuldigten die USA Nordkorea, Raketen an Russland geliefert zu haben.")
    (claim,) = record.claims
    (evidence,) = claim.evidence
    assert record.article.original[evidence.start : evidence.end] == evidence.quote
    assert "beschuldigten die USA" in evidence.quote and "geliefert" in evidence.quote


def test_a_source_taking_up_the_transfer_before(extract_text):
    text = "Verdacht\n\nDie Russen wollten nordkoreanische Waffen kaufen. Und das taten sie nach amerikanischen Erkenntnissen auch."
    assert ("named", "united-states", "asserts", "north-korea", "russia") in _tuples(_claims(extract_text, text))


def test_a_need_alone_is_no_claim_but_sets_what_the_next_sentence_delivers(extract_text):
    assert _claims(extract_text, "Bedarf\n\nRussland braucht Artilleriegranaten.") == ()
    (claim,) = _claims(extract_text, "Bedarf\n\nRussland braucht Artilleriegranaten. Die kann Nordkorea liefern.")
    assert (claim.supplier, claim.recipient, claim.materiel, claim.stance) == ("north-korea", "russia", ("artillery-ammunition",), Stance.SPECULATES)
    (claim,) = _claims(extract_text, "Bedarf\n\nRussland braucht Artilleriegranaten aus Nordkorea.")
    assert (claim.supplier, claim.recipient) == ("north-korea", "russia")


def test_roles_are_read_within_the_part_of_the_sentence(extract_text):
    text = "Partner\n\nRussland kauft Munition aus Nordkorea – das macht Putin zum Partner für Kim Jong Un."
    assert _tuples(_claims(extract_text, text)) == {("author", None, "asserts", "north-korea", "russia")}


def test_a_heading_naming_no_party_claims_nothing(extract_text):
    assert _claims(extract_text, "Einleitung\n\nWaffen für den Krieg gekauft\n\nDer Text geht weiter.") == ()


def test_reported_speech_goes_on_in_the_subjunctive(extract_text):
    text = "Analyse\n\nVictor Cha befürchtet eine enge Partnerschaft. Nordkorea könne nicht ewig Munition an Russland liefern."
    (claim,) = _claims(extract_text, text)
    assert (claim.claimant, claim.stance, claim.supplier, claim.recipient) == ("victor-cha", Stance.ASSERTS, "north-korea", "russia")


def test_helping_to_produce_is_a_transfer_of_technology(extract_text):
    (claim,) = _claims(extract_text, "Hilfe\n\nLaut Cha helfen die Russen Nordkorea dabei, mehr Munition zu produzieren.")
    assert (claim.supplier, claim.recipient, claim.materiel) == ("russia", "north-korea", ("military-technology",))


def test_hearsay_is_attributed_to_unnamed_sources(extract_text):
    (claim,) = _claims(extract_text, "Bericht\n\nNordkorea soll Russland Millionen Artilleriegranaten geliefert haben.")
    assert (claim.attribution, claim.stance, claim.supplier, claim.recipient) == (Attribution.UNNAMED, Stance.ASSERTS, "north-korea", "russia")
    assert claim.quantity.text == "Millionen Artilleriegranaten"


def test_troops_fighting_somewhere_were_sent_to_that_places_state(extract_text):
    text = "Front\n\nRussland und Nordkorea schweigen. Selenskyj sagte, nordkoreanische Soldaten kämpften bereits in der Region Kursk."
    (claim,) = _claims(extract_text, text, date="2024-11-05")
    assert (claim.claimant, claim.supplier, claim.recipient, claim.materiel) == ("volodymyr-zelensky", "north-korea", "russia", ("military-personnel",))
    assert _claims(extract_text, "Geschichte\n\nSoldaten der Roten Armee und koreanische Patrioten kämpften gemeinsam.") == ()


def test_a_denial_without_evidence_words(extract_text):
    (claim,) = _claims(extract_text, "Dementi\n\nEs gebe keine Beweise für Waffenlieferungen aus Nordkorea an Russland, sagte Peskow.")
    assert (claim.claimant, claim.stance, claim.supplier, claim.recipient) == ("dmitry-peskov", Stance.DENIES, "north-korea", "russia")
    (claim,) = _claims(extract_text, "Dementi\n\nKim Yo Jong wies Berichte über Waffenverkäufe an Russland als absurd zurück.")
    assert (claim.claimant, claim.stance) == ("kim-yo-jong", Stance.DENIES)


def test_an_exchange_is_two_claims_in_opposite_directions(extract_text):
    text = "Tausch\n\nRussland braucht Soldaten. Im Gegenzug für die Truppen erhält Pjöngjang nach Einschätzung von Experten Luftabwehrsysteme und Geld."
    claims = _claims(extract_text, text, date="2024-11-05")
    assert {(c.supplier, c.recipient, c.materiel) for c in claims} == {
        ("russia", "north-korea", ("military-equipment",)),
        ("north-korea", "russia", ("military-personnel",)),
    }
    assert all(c.attribution is Attribution.UNNAMED for c in claims)


def test_coordinated_verbs_are_two_transfers(extract_text):
    claims = _claims(extract_text, "Handel\n\nNordkorea liefert Waffen und bekommt dafür russische Raketentechnologie.")
    assert {(c.supplier, c.recipient, c.materiel) for c in claims} == {
        ("north-korea", "russia", ("weapons",)),
        ("russia", "north-korea", ("missile-technology",)),
    }


def test_a_hypothetical_is_no_claim(extract_text):
    assert _claims(extract_text, "Szenario\n\nSollte Russland Nordkorea U-Boot-Technologie liefern, würde das die Region destabilisieren.") == ()
    assert _claims(extract_text, "Szenario\n\nFalls Nordkorea Raketen an Russland liefert, drohen Sanktionen.") == ()


def test_a_list_of_accusers_and_an_infinitive_clause(extract_text):
    text = "Vorwurf\n\nWashington, Seoul und Kiew beschuldigen Pjöngjang, Russland mit Waffen für den Krieg zu versorgen."
    assert _tuples(_claims(extract_text, text)) == {
        ("named", "united-states", "asserts", "north-korea", "russia"),
        ("named", "south-korea", "asserts", "north-korea", "russia"),
        ("named", "ukraine", "asserts", "north-korea", "russia"),
    }


def test_a_speaker_set_off_by_commas(extract_text):
    text = "Bericht\n\nDer Sprecher des Weißen Hauses, John Kirby, hatte erklärt, Nordkorea habe Munition an Russland geliefert."
    (claim,) = _claims(extract_text, text)
    assert (claim.claimant, claim.supplier, claim.recipient) == ("john-kirby", "north-korea", "russia")


def test_a_pronoun_as_speaker_and_both_governments(extract_text):
    text = "Dementi\n\nKim Yo Jong meldete sich zu Wort. Nordkorea liefere Waffen an Russland, hieß es in Seoul. Sie nannte die Berichte absurd."
    assert ("named", "kim-yo-jong", "denies", "north-korea", "russia") in _tuples(_claims(extract_text, text))
    text = "Einsatz\n\nRussland und Nordkorea schwiegen lange. Im April räumten beide Regierungen ein, dass nordkoreanische Soldaten in der Region Kursk kämpften."
    assert {("named", "russia", "asserts", "north-korea", "russia"), ("named", "north-korea", "asserts", "north-korea", "russia")} <= _tuples(
        _claims(extract_text, text, date="2025-05")
    )


def test_a_source_that_says_nothing_makes_no_claim(extract_text):
    text = "Reaktion\n\nDie USA werfen Nordkorea Waffenlieferungen an Russland vor. Pjöngjang äußerte sich zu den Vorwürfen zunächst nicht."
    assert _tuples(_claims(extract_text, text)) == {("named", "united-states", "asserts", "north-korea", "russia")}


def test_the_agent_of_use_receives_and_the_origin_supplies(extract_text):
    text = "Granaten\n\nLaut Budanow stammt die Hälfte der von Russland verschossenen Granaten aus nordkoreanischer Produktion."
    (claim,) = _claims(extract_text, text)
    assert (claim.claimant, claim.supplier, claim.recipient) == ("kyrylo-budanov", "north-korea", "russia")


def test_a_denial_across_quotes_and_a_paragraph(extract_text):
    text = (
        "Container\n\nKirby sagte, Nordkorea habe mehr als 1000 Container mit Munition an Russland geliefert.\n\n"
        "Satellitenbilder zeigen das.\n\nMoskau wies die Vorwürfe als „haltlose Propaganda“ zurück."
    )
    assert ("named", "russia", "denies", "north-korea", "russia") in _tuples(_claims(extract_text, text))


def test_claiming_to_have_evidence(extract_text):
    text = "Trümmer\n\nRussland und Nordkorea schweigen. Kiew will Trümmer sichergestellt haben, die von nordkoreanischen Raketen stammen."
    assert ("named", "ukraine", "asserts", "north-korea", "russia") in _tuples(_claims(extract_text, text))


def test_the_sentence_opener_is_the_speaker_of_an_apposition(extract_text):
    text = "Dementi\n\nKim Yo Jong, die Schwester von Kim Jong Un, hat Berichte über Waffenlieferungen an Russland zurückgewiesen."
    (claim,) = _claims(extract_text, text, date="2024-05")
    assert (claim.claimant, claim.stance, claim.supplier, claim.recipient) == ("kim-yo-jong", Stance.DENIES, "north-korea", "russia")


def test_firing_missiles_and_holding_help_for_likely(extract_text):
    text = "Krieg\n\nRussland und Nordkorea rücken zusammen. Schon heute feuert Russland nordkoreanische Raketen auf ukrainische Städte ab."
    assert ("author", None, "asserts", "north-korea", "russia") in _tuples(_claims(extract_text, text))
    text = "U-Boote\n\nNordkorea baut U-Boote. Das CSIS hält russische Hilfe beim U-Boot-Bau für wahrscheinlich."
    (claim,) = _claims(extract_text, text)
    assert (claim.claimant, claim.stance, claim.supplier, claim.recipient) == ("center-for-strategic-and-international-studies", Stance.SPECULATES, "russia", "north-korea")


@pytest.mark.parametrize(
    ("sentence", "words", "value"),
    [
        ("Nordkorea soll Russland 1.000.000 Artilleriegranaten geliefert haben, sagen die USA.", "1.000.000 Artilleriegranaten", 1_000_000),
        ("Nordkorea soll Russland 1,5 Millionen Granaten geliefert haben, sagen die USA.", "1,5 Millionen Granaten", 1_500_000),
        ("Nordkorea soll Russland 12 000 Soldaten geschickt haben, sagen die USA.", "12 000 Soldaten", 12_000),
        ("Nordkorea soll Russland Millionen Granaten geliefert haben, sagen die USA.", "Millionen Granaten", None),
    ],
)
def test_quantities_read_german_numbers_and_leave_vague_ones_without_a_value(extract_text, sentence, words, value):
    (claim,) = _claims(extract_text, "Lieferungen\n\n" + sentence, date="2024-11-01")
    assert (claim.quantity.text, claim.quantity.value) == (words, value)
