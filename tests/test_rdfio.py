import io
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from etl import rdfio
from etl.errors import GraphInputError
from etl.vocab import PREFIXES

ROOT = Path(__file__).resolve().parent.parent

_SERIALIZE = """
import sys
from etl import rdfio
sys.stdout.buffer.write(rdfio.turtle_bytes(rdfio.read_graph(sys.argv[1])))
"""


def _hostile_graph() -> Graph:
    graph = Graph()
    node = URIRef("https://w3id.org/newskg/id/entity/x")
    for text in ('"""', "\\", "<>{}", "@prefix x: <y> .", "\u202eabc\u202c", "🚀", "tab\tnew\nline", "ctrl\x01\x7f"):
        graph.add((node, RDFS.comment, Literal(text)))
    graph.add((node, RDFS.label, Literal("Pjöngjang", lang="de")))
    graph.add((node, URIRef("https://w3id.org/newskg/ns#textLength"), Literal(42, datatype=XSD.integer)))
    return graph


def test_turtle_round_trips_with_hostile_literals(tmp_path):
    graph = _hostile_graph()
    path = tmp_path / "g.ttl"
    rdfio.write_atomic(path, rdfio.turtle_bytes(graph))
    assert isomorphic(rdfio.read_graph(path), graph)
    assert isomorphic(Graph().parse(path), graph), "rdflib's own parser reads it back too"


def test_sample_graph_round_trips(sample_output, tmp_path):
    out, _ = sample_output
    graph = rdfio.read_graph(out / "graph.ttl")
    again = tmp_path / "again.ttl"
    rdfio.write_atomic(again, rdfio.turtle_bytes(graph))
    assert isomorphic(rdfio.read_graph(again), graph)
    trig = rdfio.read_graph(out / "graph.trig")
    assert isomorphic(trig, graph), "the union of the named graphs is graph.ttl"
    written = list(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(written) == len(set(written)) == len(graph), "graph.ttl states each triple once, though graphs share meetings"


def test_bytes_do_not_depend_on_the_process(sample_output):
    out, _ = sample_output
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", _SERIALIZE, str(out / "graph.ttl")], env=env, capture_output=True, check=True, cwd=ROOT)
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert isomorphic(Graph().parse(data=outputs.pop(), format="turtle"), Graph().parse(out / "graph.ttl"))


def test_graph_blocks_join_to_the_bytes_of_the_whole_document(sample_output):
    """graph.trig and graph.ttl are written from blocks made graph by graph (in the workers):
    joined under the prefix lines they must be exactly what pyoxigraph writes for everything at once."""
    out, _ = sample_output
    quads = list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    names = sorted({q.graph_name.value for q in quads})
    assert len(names) >= 3
    by_graph = {name: [q.triple for q in quads if q.graph_name.value == name] for name in names}
    trig = io.BytesIO()
    rdfio.blocks_writer(ox.RdfFormat.TRIG, [rdfio.trig_block(name, rdfio.turtle_block(by_graph[name])) for name in names])(trig)
    whole = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    assert trig.getvalue() == whole == (out / "graph.trig").read_bytes()
    assert trig.getvalue().count(b"@prefix ") == len(PREFIXES), "the prefix lines once, at the top"

    triples = rdfio.sorted_triples(dict.fromkeys(q.triple for q in quads))
    subjects = sorted({str(t.subject) for t in triples})
    cut = str(subjects[len(subjects) // 2])
    first, second = [t for t in triples if str(t.subject) < cut], [t for t in triples if str(t.subject) >= cut]
    turtle = io.BytesIO()
    rdfio.blocks_writer(ox.RdfFormat.TURTLE, [rdfio.turtle_block(first), b"", rdfio.turtle_block(second)])(turtle)
    assert turtle.getvalue() == ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def test_a_graph_block_keeps_hostile_literals_on_their_lines():
    triples = rdfio.sorted_triples(_hostile_graph())
    name = "https://w3id.org/newskg/id/graph/hostile"
    block = rdfio.trig_block(name, rdfio.turtle_block(triples))
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name)) for t in triples]
    assert rdfio.prefix_lines(ox.RdfFormat.TRIG) + block == ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    assert set(ox.parse(rdfio.prefix_lines(ox.RdfFormat.TRIG) + block, format=ox.RdfFormat.TRIG)) == set(quads)


def test_a_document_of_empty_blocks_is_empty():
    written = io.BytesIO()
    rdfio.blocks_writer(ox.RdfFormat.TRIG, [b"", rdfio.turtle_block([])])(written)
    assert written.getvalue() == b"" == ox.serialize([], format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def test_blank_nodes_get_canonical_labels():
    def report(first: str, second: str) -> Graph:
        graph = Graph()
        for label in (first, second):
            node = BNode(label)
            graph.add((node, RDFS.label, Literal(f"result {label[-1]}")))
        return graph

    assert rdfio.canonical_turtle_bytes(report("a1", "b2")) == rdfio.canonical_turtle_bytes(report("zz1", "yy2"))


def test_atomic_write_replaces_whole_files_and_leaves_no_temporaries(tmp_path):
    path = tmp_path / "out" / "graph.ttl"
    rdfio.write_atomic(path, b"first")
    rdfio.write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["graph.ttl"]
    assert path.stat().st_mode & 0o644 == 0o644


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "graph.ttl"
    rdfio.write_atomic(path, b"previous")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(rdfio.os, "replace", broken_replace)
    with pytest.raises(OSError):
        rdfio.write_atomic(path, b"half")
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_unreadable_graph_files_are_input_errors(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(GraphInputError, match="broken.ttl: not valid Turtle"):
        rdfio.read_graph(broken)
    with pytest.raises(GraphInputError, match="cannot be read"):
        rdfio.read_graph(tmp_path / "missing.ttl")
    with pytest.raises(GraphInputError, match="unknown RDF file type '.docx'"):
        rdfio.read_graph(tmp_path / "graph.docx")
