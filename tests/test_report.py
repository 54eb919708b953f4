"""The HTML report: what it shows is what the graph says, every evidence span is exact, and the
file needs no network to open."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from etl import rdfio
from etl.cli import main
from etl.report import _shown_span, build_report
from etl.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = """PREFIX nkg: <https://w3id.org/newskg/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def report_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1))


def ask(graph: Path, query: str) -> list[dict]:
    answer = rdfio.load_store(graph).query(PREFIXES + query, use_default_graph_as_union=True)
    names = [variable.value for variable in answer.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in answer]


@pytest.fixture(scope="module")
def sample(sample_output):
    out, result = sample_output
    html = (out / "report.html").read_text(encoding="utf-8")
    return out, result, html, report_data(html)


def test_the_run_writes_the_report_of_its_graph(sample):
    out, result, html, data = sample
    graph = out / "graph.trig"
    assert out / "report.html" in result.written
    claims = ask(graph, "SELECT DISTINCT ?fact WHERE { ?fact a nkg:ArmsTransferClaim }")
    meetings = ask(graph, "SELECT DISTINCT ?fact WHERE { ?fact a nkg:Meeting }")
    assert sorted(c["id"] for c in data["claims"]) == sorted(c["fact"] for c in claims)
    assert sorted(m["id"] for m in data["meetings"]) == sorted(m["fact"] for m in meetings)
    assert (result.html_report.claims, result.html_report.meetings) == (len(claims), len(meetings)) == (17, 8)
    assert html.count('<tr class="fact-row"') == len(claims) + len(meetings)


def test_every_meeting_and_claim_with_a_date_is_on_the_timeline_as_the_span_it_means(sample):
    out, _, _, data = sample
    dated = ask(out / "graph.trig", """
        SELECT DISTINCT ?fact ?time ?precision WHERE {
          { ?fact a nkg:Meeting ; nkg:hasTime ?i }
          UNION { ?fact a nkg:ArmsTransferClaim ; nkg:claimTime ?i }
          UNION { ?fact a nkg:ArmsTransferClaim ; prov:wasDerivedFrom/nkg:publicationTime ?i FILTER NOT EXISTS { ?fact nkg:claimTime ?any } }
          ?i nkg:precision ?precision ; time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?time }""")
    events = {e["id"]: e for e in data["events"]}
    assert len(events) == len({d["fact"] for d in dated}) == 25
    for row in dated:
        event = events[row["fact"]]
        if row["precision"].endswith("unitMonth"):
            year, month = map(int, row["time"].split("-"))
            assert (event["start"], event["precision"]) == (f"{year}-{month:02d}-01", "month")
            assert event["end"] == (f"{year + 1}-01-01" if month == 12 else f"{year}-{month + 1:02d}-01")
        elif row["precision"].endswith("unitDay"):
            assert event["start"] == row["time"] and event["precision"] == "day"
    month_meeting = next(e for e in data["events"] if e["kind"] == "meeting" and e["precision"] == "month")
    assert month_meeting["start"].endswith("-01") and month_meeting["end"] > month_meeting["start"][:7] + "-28"


def test_every_evidence_span_shown_is_the_quote_at_its_offsets(sample, pack):
    _, _, _, data = sample
    texts = {key: article["text"] for key, article in data["articles"].items()}
    spans = [e for fact in data["claims"] + data["meetings"] for e in fact["evidence"]]
    assert len(spans) >= 25
    for evidence in spans:
        text = texts[evidence["article"]]
        assert evidence["shown"] == [evidence["start"], evidence["end"]]  # plain text: the offsets themselves
        assert text[evidence["start"]:evidence["end"]] == evidence["exact"]


def test_the_network_joins_actors_by_meetings_and_claimed_transfers(sample):
    _, _, _, data = sample
    network = data["network"]
    spokes = [e for e in network["edges"] if e["kind"] == "meeting"]
    transfers = [e for e in network["edges"] if e["kind"] == "claim"]
    assert len(spokes) == sum(len(m["participants"]) for m in data["meetings"] if len(m["participants"]) > 1)
    assert len(transfers) == sum(1 for c in data["claims"] if c["supplier"] and c["recipient"])
    assert set(network["positions"]) == {node for e in network["edges"] for node in (e["source"], e["target"])}
    north_korea = "https://w3id.org/newskg/id/entity/north-korea"
    assert any(e["source"] == north_korea and e["target"].endswith("/russia") for e in transfers)
    actors = {a["id"]: a for a in data["actors"]}
    assert actors[north_korea]["wikidata"] == "https://www.wikidata.org/wiki/Q423"


def test_every_linked_actor_links_to_its_wikidata_page(sample):
    out, _, html, data = sample
    linked = ask(out / "graph.trig", "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a <http://www.w3.org/2002/07/owl#sameAs> ?q }")
    shown = [a for a in data["actors"] if a["wikidata"]]
    assert 0 < len(shown) <= int(linked[0]["n"])
    for actor in shown:
        assert f'<a href="{actor["wikidata"]}" target="_blank" rel="noopener">{actor["qid"]}</a>' in html


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "link", "source", "video", "audio") and (attrs.get("src") or attrs.get("href")):
            self.fetched.append(attrs.get("src") or attrs.get("href"))
        if tag == "a":
            self.links.append(attrs["href"])


def test_the_report_is_self_contained(sample):
    _, _, html, _ = sample
    parser = _Resources()
    parser.feed(html)
    assert parser.fetched == []  # nothing to load: scripts and styles are inline
    assert "plotly.js v" in html
    assert parser.links and all(re.fullmatch(r"https://www\.wikidata\.org/wiki/Q\d+", link) for link in parser.links)


def test_the_report_is_the_same_bytes_from_run_and_report_whatever_the_hash_seed(sample, tmp_path):
    out, _, html, _ = sample
    pages = []
    for seed in ("1", "2"):
        target = tmp_path / f"report-{seed}.html"
        done = subprocess.run([sys.executable, "-m", "etl", "report", str(ROOT / "articles"), "--graph", str(out / "graph.trig"),
                               "--out", str(target)], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "25 dated events (0 undated), 17 claims, 8 meetings" in done.stdout
        pages.append(target.read_text(encoding="utf-8"))
    assert pages[0] == pages[1] == html


def test_without_the_articles_the_evidence_is_shown_as_quotes(sample, tmp_path, capsys):
    out, _, _, _ = sample
    target = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "elsewhere"), "--graph", str(out / "graph.trig"), "--out", str(target)]) == 0
    err = capsys.readouterr().err
    data = report_data(target.read_text(encoding="utf-8"))
    assert all(a["text"] is None for a in data["articles"].values())
    assert all(e["shown"] is None for fact in data["claims"] for e in fact["evidence"])
    assert "000_675f5c807e68a90c.txt: article text not given (content hash" in err


def test_an_html_article_is_shown_as_its_reading_text_with_the_span_mapped_back(tmp_path, pack):
    page = tmp_path / "bericht.html"
    page.write_text(
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Munition für Moskau</title>'
        '<meta property="article:published_time" content="2023-10-13"></head><body><nav><a href="/">Start</a></nav>'
        "<article><h1>Munition für Moskau</h1>"
        "<p>Die US-Regierung wirft Nordkorea vor, <b>mehr als tausend Container</b> mit Munition an Russland geliefert zu haben.</p>"
        "<p>Kim Jong Un hatte Wladimir Putin im September 2023 im Kosmodrom Wostotschny getroffen.</p>"
        "</article><footer>© Zeitung</footer></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(page), "--out", str(out), "--jobs", "1"]) == 0
    data = report_data((out / "report.html").read_text(encoding="utf-8"))
    (article,) = data["articles"].values()
    original = page.read_text(encoding="utf-8")
    spans = [e for fact in data["claims"] + data["meetings"] for e in fact["evidence"]]
    assert spans and any("<b>" in original[e["start"]:e["end"]] for e in spans)
    for evidence in spans:
        start, end = evidence["shown"]
        assert article["text"][start:end] == evidence["exact"]
        assert original.index(evidence["exact"].split(" ")[0], evidence["start"]) == evidence["start"]


def test_run_without_html_writes_no_report(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(ROOT / "articles" / "000_675f5c807e68a90c.txt"), "--out", str(out), "--no-html", "--jobs", "1"]) == 0
    assert (out / "graph.trig").is_file() and not (out / "report.html").exists()


def test_a_missing_graph_is_a_usage_error(tmp_path, capsys):
    assert main(["report", "--graph", str(tmp_path / "none.trig"), "--out", str(tmp_path / "r.html")]) == 2
    assert "none.trig: no such file (expected the graph.trig that `newskg run` writes)" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_build_report_counts_what_it_draws(sample):
    out, _, _, data = sample
    report = build_report(out / "graph.trig", [])
    assert (report.events, report.undated, report.claims, report.meetings) == (25, 0, 17, 8)
    assert report.edges == len(data["network"]["edges"]) == 39
    assert report.actors == len(data["actors"]) == 25
    assert report.nodes == 17  # the actors that meet or supply or receive; claimants and places are not drawn


def test_a_span_that_ends_at_a_line_end_maps_back_to_its_words(tmp_path, pack):
    page = tmp_path / "zeilen.html"
    page.write_text("<html><head><title>Titel</title></head><body><article><h1>Munition für Moskau</h1>"
                    "<p>Nordkorea liefert Granaten.<br>Russland zahlt mit Öl.</p><p>Ein zweiter Absatz mit genug Text.</p>"
                    "</article></body></html>", encoding="utf-8")
    (article,) = read_sources([str(page)], pack)
    for words in ("Munition für Moskau", "Nordkorea liefert Granaten.", "Russland zahlt mit Öl."):
        start = article.text.index(words)
        evidence = article.evidence(start, start + len(words))
        item = {"start": evidence.start, "end": evidence.end, "exact": evidence.quote}
        assert _shown_span(item, article) == [start, start + len(words)], words
