"""The competency queries answer with the variables they promise, on the sample corpus."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from etl.query import read_query, run_query

QUERIES = Path(__file__).resolve().parent.parent / "queries"
REQUIRED = {
    "articles": ["article", "source", "published"],
    "actors": ["article", "actor", "name", "wikidata"],
    "meetings": ["meeting", "article", "participant", "participantWikidata", "participantState", "place", "placeWikidata", "date", "status"],
    "claims": [
        "claim", "article", "claimant", "claimantWikidata", "claimantState", "stance", "supplier", "supplierWikidata",
        "supplierState", "recipient", "recipientWikidata", "recipientState", "materiel", "claimDate", "evidence",
    ],
}


def _rows(sample_output, name):
    out, _ = sample_output
    result = run_query(read_query(str(QUERIES / f"{name}.rq")), out / "graph.ttl")
    return result.variables, [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def _value(term):
    return None if term is None else term.value


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_queries_return_rows_with_their_variables(sample_output, name):
    variables, rows = _rows(sample_output, name)
    assert variables[: len(REQUIRED[name])] == tuple(REQUIRED[name])
    assert rows, f"{name}.rq returns no rows for the sample corpus"


def test_articles_name_their_source_file(sample_output):
    _, rows = _rows(sample_output, "articles")
    assert sorted(_value(r["source"]) for r in rows) == sorted(p.name for p in (QUERIES.parent / "articles").glob("*.txt"))
    published = {_value(r["source"]): _value(r["published"]) for r in rows}
    assert published["000_675f5c807e68a90c.txt"] == "2023-07"


def test_actors_link_to_wikidata_and_their_state(sample_output):
    _, rows = _rows(sample_output, "actors")
    putin = [r for r in rows if _value(r["name"]) == "Vladimir Putin"]
    assert putin and all(_value(r["wikidata"]) == "http://www.wikidata.org/entity/Q7747" for r in putin)
    assert all(_value(r["state"]) == "http://www.wikidata.org/entity/Q159" for r in putin)
    per_article = [(_value(r["article"]), _value(r["actor"])) for r in rows]
    assert len(per_article) == len(set(per_article)), "one row per actor and article"


def test_meeting_rows(sample_output):
    _, rows = _rows(sample_output, "meetings")
    assert {_value(r["status"]).rsplit("/", 1)[-1] for r in rows} <= {"held", "ongoing", "planned"}
    summit = [r for r in rows if _value(r["date"]) == "2023-09-13"]
    assert {_value(r["participantWikidata"]) for r in summit} == {"http://www.wikidata.org/entity/Q56226", "http://www.wikidata.org/entity/Q7747"}
    assert {_value(r["placeWikidata"]) for r in summit} == {"http://www.wikidata.org/entity/Q959"}
    states = {_value(r["participantState"]) for r in rows}
    assert {"http://www.wikidata.org/entity/Q159", "http://www.wikidata.org/entity/Q423"} <= states


def test_claim_rows(sample_output):
    _, rows = _rows(sample_output, "claims")
    assert {_value(r["stance"]).rsplit("/", 1)[-1] for r in rows} <= {"asserts", "denies", "speculates"}
    for row in rows:
        attribution = _value(row["attribution"]).rsplit("/", 1)[-1]
        if attribution == "author":
            assert row["claimant"] == row["article"]
        elif attribution == "unnamed":
            assert row["claimant"] is None
        else:
            assert _value(row["claimant"]).startswith("https://w3id.org/newskg/id/entity/")
        assert isinstance(row["evidence"], ox.Literal) and row["evidence"].value
    accusation = [r for r in rows if _value(r["claimantWikidata"]) == "http://www.wikidata.org/entity/Q30" and _value(r["claimDate"]) == "2023-02"]
    assert {_value(r["materiel"]) for r in accusation} == {"missiles", "artillery-ammunition"}
    assert {_value(r["supplierWikidata"]) for r in accusation} == {"http://www.wikidata.org/entity/Q423"}


def test_evidence_offsets_point_at_the_quote_in_the_file(sample_output):
    _, rows = _rows(sample_output, "claims")
    _, articles = _rows(sample_output, "articles")
    files = {_value(r["article"]): QUERIES.parent / "articles" / _value(r["source"]) for r in articles}
    for row in rows:
        text = files[_value(row["article"])].read_text(encoding="utf-8")
        assert text[int(_value(row["start"])) : int(_value(row["end"]))] == _value(row["evidence"])


EVERY_SELECTOR = """
PREFIX nkg: <https://w3id.org/newskg/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?source ?start ?end ?exact (COUNT(?fact) AS ?facts) WHERE {
  ?fact nkg:hasEvidence ?evidence .
  ?evidence oa:hasSource/nkg:sourceName ?source ;
            oa:hasSelector ?position, ?quote .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
} GROUP BY ?source ?start ?end ?exact
"""


def test_every_evidence_span_of_every_fact_is_the_exact_text_of_the_file(sample_output):
    out, _ = sample_output
    rows = run_query(EVERY_SELECTOR, out / "graph.ttl").rows
    texts = {}
    for source, start, end, exact, _facts in rows:
        # newline="" keeps the file's own line endings, so offsets count the characters as stored
        text = texts.setdefault(source.value, (QUERIES.parent / "articles" / source.value).open(encoding="utf-8", newline="").read())
        assert text[int(start.value) : int(end.value)] == exact.value
    assert len(rows) >= 250 and len(texts) == 5
    kinds = run_query("PREFIX nkg: <https://w3id.org/newskg/ns#> SELECT DISTINCT ?kind WHERE { ?fact nkg:hasEvidence ?e ; a ?kind }", out / "graph.ttl").rows
    assert {kind.value.rsplit("#", 1)[1] for (kind,) in kinds} >= {"Mention", "Meeting", "ArmsTransferClaim"}


def test_claims_add_up_by_state(sample_output):
    variables, rows = _rows(sample_output, "claims-by-state")
    assert variables[:5] == ("supplierState", "recipientState", "stance", "claims", "articles")
    by_pair = {}
    for r in rows:
        pair = (_value(r["supplierState"]), _value(r["recipientState"]))
        by_pair[pair] = by_pair.get(pair, 0) + int(_value(r["claims"]))
    assert by_pair[("North Korea", "Russia")] > by_pair[("Russia", "North Korea")] > 0
    nk_to_russia = [r for r in rows if _value(r["supplierState"]) == "North Korea" and _value(r["recipientState"]) == "Russia"]
    assert {_value(r["supplierStateWikidata"]) for r in nk_to_russia} == {"http://www.wikidata.org/entity/Q423"}
    _, claims = _rows(sample_output, "claims")
    assert sum(by_pair.values()) == len({_value(r["claim"]) for r in claims})
