"""One meeting or named claim reported by several articles is one node with every report."""

from rdflib.namespace import PROV, RDF

from etl.coref import corefer
from etl.mapping import map_records
from etl.model import DateValue, MeetingStatus
from etl.vocab import NKG

BEFORE = "Vorschau\n\nKim Jong Un wird Wladimir Putin in Russland treffen. Laut den USA hat Nordkorea Raketen an Russland geliefert."
AFTER = (
    "Gipfel\n\nKim Jong Un und Wladimir Putin trafen sich am 13. September 2023 in Wladiwostok. "
    "Im August hatten die USA gemeldet, Nordkorea habe Artilleriegranaten an Russland geliefert."
)


def test_reports_of_one_meeting_and_one_claim_become_one_fact(extract_text, pack, vocabulary):
    first = extract_text(BEFORE, date="2023-09-05")
    second = extract_text(AFTER, date="2023-09-14")
    assert first.meetings[0].status is MeetingStatus.PLANNED and first.meetings[0].date == DateValue(2023, 9)
    merged = corefer([first, second], pack.registry)
    (m1,), (m2,) = merged[0].meetings, merged[1].meetings
    assert (m1.participants, m1.place, m1.date, m1.status) == (("kim-jong-un", "vladimir-putin"), "vladivostok", DateValue(2023, 9, 13), MeetingStatus.HELD)
    assert (m1.participants, m1.place, m1.date, m1.status) == (m2.participants, m2.place, m2.date, m2.status)
    assert m1.evidence != m2.evidence, "each article keeps its own words"
    (c1,), (c2,) = merged[0].claims, merged[1].claims
    assert c1.claim_date == c2.claim_date == DateValue(2023, 8)
    assert c1.materiel == c2.materiel == ("artillery-ammunition", "missiles")

    graph = map_records(merged, pack, vocabulary.ontology).union()
    (meeting,) = graph.subjects(RDF.type, NKG.Meeting)
    assert len(set(graph.objects(meeting, PROV.wasDerivedFrom))) == 2
    assert len(set(graph.objects(meeting, NKG.hasEvidence))) == 2
    (claim,) = graph.subjects(RDF.type, NKG.ArmsTransferClaim)
    assert len(set(graph.objects(claim, PROV.wasDerivedFrom))) == 2


def test_different_meetings_stay_apart(extract_text, pack):
    first = extract_text("Gipfel\n\nKim Jong Un traf Wladimir Putin im April 2019 in Wladiwostok.", date="2023-09")
    second = extract_text("Gipfel\n\nKim Jong Un traf Wladimir Putin am 13. September 2023 in Russland.", date="2023-09")
    merged = corefer([first, second], pack.registry)
    assert merged[0].meetings[0].date == DateValue(2019, 4)
    assert merged[1].meetings[0].date == DateValue(2023, 9, 13)


def test_the_result_does_not_depend_on_the_order_of_articles(extract_text, pack):
    first = extract_text(BEFORE, date="2023-09-05")
    second = extract_text(AFTER, date="2023-09-14")
    one = corefer([first, second], pack.registry)
    two = corefer([second, first], pack.registry)
    assert one[0].meetings[0].date == DateValue(2023, 9, 13), "the planned meeting took the held one's date"
    assert [r.meetings for r in one] == [r.meetings for r in reversed(two)]
    assert [r.claims for r in one] == [r.claims for r in reversed(two)]
