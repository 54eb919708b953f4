"""Every bad input of the catalogue in one batch: one line each, the rest of the batch goes on,
exit code 4 (partial), and what is read keeps its exact offsets."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from bad_inputs import AS_HTML, CASES, ONCE, SKIPPED, WARNED, Case, message_path, run_batch
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SDO, SH

from etl.datapack import slug
from etl.sources import Skipped, read_sources
from etl.vocab import NKG, OA

DECODED_AS = {"bom.txt": "utf-8-sig", "utf16.txt": "utf-16", "latin1.txt": "cp1252", "cp1252.txt": "cp1252", "zeilenenden.txt": "utf-8", "feindselig.txt": "utf-8", "lange_zeile.txt": "utf-8", "gut.txt": "utf-8"}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return run_batch(tmp_path_factory.mktemp("bad-inputs"))


@pytest.fixture(scope="module")
def graph(batch):
    return Graph().parse(batch.out / "graph.ttl")


def _article(graph: Graph, name: str):
    return graph.value(predicate=NKG.sourceName, object=Literal(name))


def _lines_about(batch, case: Case) -> list[str]:
    named = message_path(case, batch.paths[case.kind])
    return [line for line in batch.stderr.splitlines() if line.startswith(f"newskg: skipped {named}: ")]


def test_the_batch_goes_on_and_exits_partial(batch, graph):
    skipped = [case for case in CASES if case.outcome == SKIPPED]
    assert batch.code == 4, batch.stderr
    assert len(batch.stderr.splitlines()) == len(skipped), "one line per skipped input, nothing else on stderr"
    read = 1 + sum(1 for case in CASES if case.outcome != SKIPPED) + 4  # the good article; the good records of the cut-off, number and nesting feeds
    assert f"articles: {read} read, {len(skipped)} skipped" in batch.stdout
    assert "SHACL: conforms" in batch.stdout
    assert len(set(graph.subjects(RDF.type, NKG.Article))) == read
    report = Graph().parse(batch.out / "validation.ttl")
    assert (None, SH.conforms, Literal(True)) in report


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_each_input_gets_its_outcome_and_message(batch, graph, case):
    path = batch.paths[case.kind]
    lines = _lines_about(batch, case)
    if case.outcome == SKIPPED:
        assert len(lines) == 1, batch.stderr
        assert case.message in lines[0]
        assert f"  skipped: {message_path(case, path)}: " in batch.stdout, "the summary lists it too"
        assert _article(graph, path.name) is None
        return
    assert lines == []
    if case.outcome == ONCE:
        first = path.with_name("zweimal_a.txt")
        article = _article(graph, first.name)
        assert article is not None and _article(graph, path.name) is None
        assert set(graph.objects(article, NKG.alsoReadFrom)) == {Literal(path.name)}
        assert f"read once: {path}: same text as {first} (one article; both sources recorded)" in batch.stdout
        return
    article = _article(graph, path.name)
    assert article is not None, f"{path.name} is not in the graph"
    if case.outcome == WARNED:
        assert f"warning: {path.name}: " in batch.stdout and case.message in batch.stdout
    if case.outcome == AS_HTML:
        assert graph.value(article, NKG.sourceFormat) == Literal("html")


@pytest.mark.parametrize("name", sorted(DECODED_AS))
def test_offsets_point_into_the_decoded_file(batch, graph, name):
    text = (batch.folder / name).read_bytes().decode(DECODED_AS[name])
    article = _article(graph, name)
    assert graph.value(article, NKG.textLength).toPython() == len(text)
    quotes = 0
    for evidence in graph.subjects(OA.hasSource, article):
        selectors = list(graph.objects(evidence, OA.hasSelector))
        position = next(s for s in selectors if (s, OA.start, None) in graph)
        exact = next(graph.value(s, OA.exact) for s in selectors if (s, OA.exact, None) in graph)
        start, end = graph.value(position, OA.start).toPython(), graph.value(position, OA.end).toPython()
        assert text[start:end] == str(exact), (name, start, end)
        quotes += 1
    assert quotes >= 2, f"{name}: expected evidence for at least a mention and a fact"


def test_decoded_text_reads_as_german(batch, graph):
    latin1 = _article(graph, "latin1.txt")
    quotes = {str(graph.value(s, OA.exact)) for e in graph.subjects(OA.hasSource, latin1) for s in graph.objects(e, OA.hasSelector)}
    assert {"Pjöngjang", "Moskau"} <= quotes, "Latin-1 ö decoded"
    headlines = {str(h) for h in graph.objects(None, SDO.headline)}
    assert {"Dementi aus Pjöngjang", "Kreml: keine Munition", "Schoigu in Pjöngjang"} <= headlines


def test_hostile_characters_survive_the_round_trip(batch, graph):
    article = _article(graph, "feindselig.txt")
    assert str(graph.value(article, SDO.headline)) == 'Sonderzeichen """ <x> {y} \U0001F680'
    contexts = {str(v) for p in (OA.prefix, OA.suffix) for v in graph.objects(None, p)}
    assert any('"""Wir liefern' in c for c in contexts), "the quote marks reach a literal unharmed"
    data = (batch.out / "graph.ttl").read_bytes()
    quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(graph)
    trig = list(ox.parse((batch.out / "graph.trig").read_bytes(), format=ox.RdfFormat.TRIG))
    assert {(q.subject, q.predicate, q.object) for q in trig} == {(q.subject, q.predicate, q.object) for q in quads}



def test_the_json_lines_limit_is_per_record_not_per_file(tmp_path, pack):
    small = {"id": "k", "published": "2023-09-13", "text": "Kim Jong Un traf Wladimir Putin in Wladiwostok."}
    big = {"id": "g", "text": "Putin traf Kim. " * 400}
    lines = [json.dumps(small), json.dumps(big), json.dumps({**small, "id": "k2", "text": small["text"] + " Schoigu auch."})]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + "{\"id\": \"w\", \"text\": \"Pjöngjang bestreitet.\"}\n".encode("cp1252"))
    items = list(read_sources([str(path)], pack, max_bytes=1000))
    assert path.stat().st_size > 1000, "the file is above the limit, its records are not"
    assert [i.source for i in items if not isinstance(i, Skipped)] == ["feed.jsonl#k", "feed.jsonl#k2", "feed.jsonl#w"]
    (skipped,) = [i for i in items if isinstance(i, Skipped)]
    assert (skipped.source, skipped.reason) == (f"{path}:2", "line 2 is longer than the limit of 1,000 bytes (raise it with --max-bytes)")
    latin = items[-1]
    assert latin.text == "Pjöngjang bestreitet." and "decoded as Windows-1252" in latin.warnings[0]


def test_a_name_in_another_script_still_gets_its_own_key():
    assert slug("Kim Jong Un") == "kim-jong-un"
    keys = {slug("김정은"), slug("Ким Чен Ын"), slug("金正恩")}
    assert len(keys) == 3 and all(k.startswith("x-") and len(k) == 18 for k in keys)
    assert slug("김정은") == slug("김정은")
