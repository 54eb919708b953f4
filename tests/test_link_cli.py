"""`newskg link` end to end against the local Wikidata stand-in: link online, cache, review, import."""

import csv
import io
import shutil
from datetime import UTC, datetime

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, XSD
from wikidata_fake import Fault, too_many_requests

from etl.cli import main
from etl.datapack import DEFAULT_DATA_DIR, read_registry_rows
from etl.vocab import ID, NKG, WD

ARTICLE = (
    " date 2024-03-05 Schoigu in Pjöngjang\n"
    "Der russische Sicherheitsratssekretär Sergei Schoigu ist am Dienstag in Pjöngjang mit Machthaber Kim Jong-un "
    "zusammengetroffen. Thema war nach Angaben der Staatsagentur KCNA auch die Lage auf der Krim.\n"
)
SHOIGU, CRIMEA = ID["entity/sergei-shoigu"], ID["entity/crimea"]


@pytest.fixture
def workspace(tmp_path):
    """A data pack whose registry lacks the IDs of Shoigu and of Crimea, an article naming both, and the folders."""
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_DATA_DIR, pack)
    rows = (pack / "actors.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    blanked = []
    for line in rows:
        cells = line.rstrip("\n").split("\t")
        if cells[0] in ("Sergei Shoigu", "Crimea"):
            cells[1], cells[-1] = "", "unverified"
        blanked.append("\t".join(cells) + "\n")
    (pack / "actors.tsv").write_text("".join(blanked), encoding="utf-8")
    article = tmp_path / "articles" / "schoigu.txt"
    article.parent.mkdir()
    article.write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def link(capsys, workspace, *extra):
    code = main([
        "link", str(workspace / "articles"), "--data", str(workspace / "pack"), "--out", str(workspace / "out"),
        "--cache", str(workspace / "cache"), "--registry", str(workspace / "registry.tsv"), *map(str, extra),
    ])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def graph(workspace):
    return Graph().parse(workspace / "out" / "graph.ttl")


def test_link_online_links_one_clear_winner_and_lists_the_ambiguous(workspace, fake, capsys):
    fake.faults = [too_many_requests("1")]  # the first answer is a 429: wait, then ask again
    before = datetime.now(UTC).date().isoformat()
    code, out, err = link(capsys, workspace, "--online", "--api", fake.url, "--export", workspace / "review.csv")
    days = {before, datetime.now(UTC).date().isoformat()}
    assert code == 0, err
    g = graph(workspace)
    assert g.value(SHOIGU, OWL.sameAs) == WD["Q32024"]
    assert g.value(SHOIGU, NKG.linkConfidence) == Literal("online")
    assert g.value(SHOIGU, NKG.linkScore).toPython() == 1
    assert g.value(SHOIGU, NKG.linkedOn) in {Literal(day, datatype=XSD.date) for day in days}
    assert g.value(SHOIGU, NKG.belongsToState) == ID["entity/russia"]
    assert g.value(CRIMEA, OWL.sameAs) is None
    assert "1 online" in out and "1 ambiguous" in out
    assert "review crimea: Q7835 Krim (1.00); Q756294 Autonome Republik Krim (1.00)" in out
    assert fake.max_in_flight == 1
    assert fake.requests[0] == fake.requests[1]  # the request the 429 turned away, asked again
    review = list(csv.DictReader(io.StringIO((workspace / "review.csv").read_text(encoding="utf-8"))))
    assert [(r["newskg_id"], r["status"], r["wikidata_type"], r["state_qid"]) for r in review] == [(str(CRIMEA), "ambiguous", "Q56061", "Q212")]
    assert review[0]["candidates"].startswith("Q7835 Krim (1.00); Q756294 Autonome Republik Krim (1.00); Q15966495 Republik Krim")


def test_a_second_run_asks_nothing_and_writes_the_same_graph(workspace, fake, capsys):
    assert link(capsys, workspace, "--online", "--api", fake.url)[0] == 0
    first, asked = (workspace / "out" / "graph.ttl").read_bytes(), len(fake.requests)
    links = (workspace / "out" / "links.csv").read_bytes()
    code, out, _ = link(capsys, workspace, "--online", "--api", fake.url)
    assert code == 0 and len(fake.requests) == asked and "wikidata: 0 requests sent" in out
    assert (workspace / "out" / "graph.ttl").read_bytes() == first
    assert link(capsys, workspace, "--offline", "--api", fake.url)[0] == 0
    assert (workspace / "out" / "graph.ttl").read_bytes() == first
    assert (workspace / "out" / "links.csv").read_bytes() == links
    code = main(["run", str(workspace / "articles"), "--data", str(workspace / "pack"), "--out", str(workspace / "out"),
                 "--cache", str(workspace / "cache"), "--registry", str(workspace / "registry.tsv"), "--api", fake.url])
    assert code == 0 and (workspace / "out" / "graph.ttl").read_bytes() == first
    assert len(fake.requests) == asked
    assert link(capsys, workspace, "--offline")[0] == 0  # Wikidata's own answers are not cached: the stand-in's do not count for it
    assert graph(workspace).value(SHOIGU, OWL.sameAs) is None


def test_offline_without_a_cache_links_only_from_the_registry(workspace, fake, capsys):
    code, out, _ = link(capsys, workspace)
    assert code == 0 and fake.requests == []
    assert graph(workspace).value(SHOIGU, OWL.sameAs) is None
    assert "2 not looked up" in out and "add --online" in out


def test_reviewed_ids_come_back_through_import_into_the_local_registry(workspace, fake, capsys):
    link(capsys, workspace, "--online", "--api", fake.url, "--export", workspace / "review.csv")
    reviewed = (workspace / "review.csv").read_text(encoding="utf-8").replace(",ambiguous,,", ",ambiguous,http://www.wikidata.org/entity/Q7835,")
    (workspace / "reviewed.csv").write_text(reviewed, encoding="utf-8")
    asked = len(fake.requests)
    code, out, err = link(capsys, workspace, "--import", workspace / "reviewed.csv", "--api", fake.url)
    assert code == 0, err
    assert "imported from" in out and "1 updated" in out
    [row] = read_registry_rows(workspace / "registry.tsv")
    assert (row["name"], row["qid"], row["confidence"], row["label_de"]) == ("Crimea", "Q7835", "reviewed", "Krim")
    assert "Halbinsel Krim" in row["aliases_de"]  # the pack's row, with the reviewed ID
    g = graph(workspace)
    assert g.value(CRIMEA, OWL.sameAs) == WD["Q7835"] and g.value(CRIMEA, NKG.linkConfidence) == Literal("reviewed")
    assert g.value(CRIMEA, NKG.linkScore) is None
    assert len(fake.requests) == asked  # offline: the review needed no request


def test_import_reads_an_openrefine_export_and_reports_bad_ids(workspace, capsys):
    (workspace / "openrefine.csv").write_text(
        "name;Wikidata ID\nCrimea;Q7835\nSergei Shoigu;Shoigu\nSomebody New;https://www.wikidata.org/wiki/Q32024\n", encoding="utf-8"
    )
    code, out, err = link(capsys, workspace, "--import", workspace / "openrefine.csv")
    assert code == 0
    assert "1 added, 1 updated" in out and "1 skipped" in out
    assert "line 3: 'Shoigu' is not a Wikidata item ID" in err
    rows = {r["name"]: r for r in read_registry_rows(workspace / "registry.tsv")}
    assert rows["Somebody New"]["qid"] == "Q32024" and rows["Somebody New"]["type"] == "Person"


def test_import_without_an_id_column_is_a_usage_error(workspace, capsys):
    (workspace / "bad.csv").write_text("name,comment\nCrimea,looks right\n", encoding="utf-8")
    code, _, err = link(capsys, workspace, "--import", workspace / "bad.csv")
    assert code == 2
    assert "bad.csv: no column of Wikidata IDs" in err and "found name, comment" in err
    assert not (workspace / "registry.tsv").exists()


def test_wikidata_refusing_is_a_runtime_error_naming_the_endpoint(workspace, fake, capsys):
    fake.faults = [Fault(403, body="Please set a user-agent and respect our robot policy", content_type="text/plain")]
    code, _, err = link(capsys, workspace, "--online", "--api", fake.url)
    assert code == 3
    assert fake.url in err and "HTTP 403: Please set a user-agent" in err
    assert not (workspace / "out" / "graph.ttl").exists()
    assert len(fake.requests) == 1


def test_the_user_agent_carries_the_contact(workspace, fake, capsys):
    link(capsys, workspace, "--online", "--api", fake.url, "--contact", "osint-desk@example.org")
    assert fake.user_agents and all("osint-desk@example.org" in agent for agent in fake.user_agents)


def test_import_takes_no_links_a_person_did_not_review(workspace, fake, capsys):
    link(capsys, workspace, "--online", "--api", fake.url)  # links.csv lists Shoigu as linked online
    code, out, _ = link(capsys, workspace, "--import", workspace / "out" / "links.csv", "--api", fake.url)
    assert code == 0 and "0 added, 0 updated" in out
    assert not (workspace / "registry.tsv").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("qid\nQ7835\n", "no newskg_id or name to say whose ID Q7835 is"),
        ("name,qid,type\nSomebody New,Q7835,human\n", "type 'human' of 'Somebody New' is not one of"),
        ("name,qid\nKim Jong Un,Q7747\n", "Q7747 is already the ID of 'Vladimir Putin'"),
        ("name,qid,state_qid\nSomebody New,Q7835,Q64\n", "state 'Q64' of 'Somebody New' is not the Wikidata ID of a registry state"),
        ("newskg_id,name,qid\nhttps://w3id.org/newskg/id/entity/crimea,Crimea\n", None),
    ],
)
def test_import_refuses_rows_that_would_break_the_registry(workspace, capsys, content, message):
    (workspace / "rows.csv").write_text(content, encoding="utf-8")
    code, out, err = link(capsys, workspace, "--import", workspace / "rows.csv")
    assert code == 0
    if message:
        assert message in err and "1 skipped" in out
    assert not (workspace / "registry.tsv").exists()


def test_importing_a_header_only_export_changes_nothing(workspace, capsys):
    (workspace / "empty.csv").write_text("newskg_id,name,label_de,type,wikidata_type,state,state_qid,status,qid\n", encoding="utf-8")
    code, out, _ = link(capsys, workspace, "--import", workspace / "empty.csv")
    assert code == 0 and "0 added, 0 updated, 0 unchanged, 0 skipped" in out
    assert not (workspace / "registry.tsv").exists()
