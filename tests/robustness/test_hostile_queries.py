"""Nothing is injected: values reach SPARQL only as bound terms, and RDF only through the RDF
library's own term escaping."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from etl import rdfio
from etl.cli import main
from etl.errors import QueryError
from etl.publish import STATE_QUERY
from etl.query import parse_bindings, query_store, run_query
from etl.vocab import NKG

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NAMES = (
    'Kim" } ; DROP ALL ; #',
    "Kim' } UNION { ?actor ?p ?o } #",
    'Kim"""\\" . <http://evil.example/x> <http://evil.example/y> "z" .',
    "Kim\\u0022) || true || (\"",
    "}}} ?name ?label {{{",
    "Kim\n} ; CLEAR DEFAULT",
    "@prefix ex: <http://evil.example/> .",
    "\u202eKim\u202c \U0001F680 \x00",
    "",
)
BY_LABEL = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?actor WHERE { ?actor rdfs:label ?label . FILTER (STR(?label) = ?name) } ORDER BY ?actor"""


@pytest.fixture
def hostile_graph(tmp_path) -> Path:
    """One actor per hostile name, labelled with it, plus a bystander."""
    graph = Graph()
    for number, name in enumerate(HOSTILE_NAMES):
        graph.add((URIRef(f"https://w3id.org/newskg/id/entity/hostile-{number}"), RDFS.label, Literal(name, lang="en")))
    graph.add((URIRef("https://w3id.org/newskg/id/entity/bystander"), RDFS.label, Literal("Kim", lang="en")))
    path = tmp_path / "hostile.ttl"
    rdfio.write_atomic(path, rdfio.turtle_bytes(graph))
    return path


@pytest.mark.parametrize("number", range(len(HOSTILE_NAMES)))
def test_a_bound_hostile_name_finds_exactly_its_actor(hostile_graph, number):
    name = HOSTILE_NAMES[number]
    result = run_query(BY_LABEL, hostile_graph, parse_bindings([f"name={name}"], BY_LABEL))
    assert [str(row[1].value) for row in result.rows] == [f"https://w3id.org/newskg/id/entity/hostile-{number}"]
    assert result.rows[0][0] == ox.Literal(name)


def test_hostile_names_leave_the_store_as_it_was(hostile_graph, tmp_path):
    folder = tmp_path / "store"
    store = ox.Store(str(folder))
    store.load(path=str(hostile_graph), format=ox.RdfFormat.TURTLE)
    before = sorted(str(q) for q in store)
    del store
    for name in HOSTILE_NAMES:
        query_store(BY_LABEL, folder, parse_bindings([f"name={name}"], BY_LABEL))
    assert sorted(str(q) for q in ox.Store.read_only(str(folder))) == before


def test_the_cli_binds_values_and_refuses_updates(sample_output, capsys):
    out, _ = sample_output
    store = out / "store"
    count = len(list(ox.Store.read_only(str(store))))
    assert main(["query", "claims-about", "--store", str(store), "--bind", "name=russland", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) >= 3 and all(row.startswith("russland,https://w3id.org/newskg/id/entity/russia,") for row in rows)
    for name in HOSTILE_NAMES[:3]:
        assert main(["query", "claims-about", "--store", str(store), "--bind", f"name={name}", "--format", "csv"]) == 0
        assert capsys.readouterr().out.splitlines()[1:] == [], name
    assert main(["query", "DELETE WHERE { ?s ?p ?o }", "--store", str(store)]) == 2
    assert "not valid SPARQL" in capsys.readouterr().err
    assert len(list(ox.Store.read_only(str(store)))) == count


@pytest.mark.parametrize(
    ("bind", "message"),
    [
        ("actor=<http://x> } DROP ALL { <http://y>", "is not a valid IRI"),
        ("name", "expected NAME=VALUE"),
        ("na me=Kim", "expected NAME=VALUE"),
        ("nobody=Kim", "the query has no variable ?nobody"),
    ],
)
def test_bad_bindings_are_usage_errors(bind, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_bindings([bind], BY_LABEL)


def test_bind_is_refused_at_an_endpoint(capsys):
    assert main(["query", "claims-about", "--endpoint", "http://127.0.0.1:9/query", "--bind", "name=Kim"]) == 2
    assert "newskg does not paste values into queries" in capsys.readouterr().err


def test_no_sparql_or_turtle_is_built_from_strings_in_the_package():
    """f-strings, % and .format() never produce SPARQL or Turtle in etl/: terms go through the RDF
    library, values through bindings."""
    syntax = re.compile(r"\b(SELECT|INSERT|DELETE|CONSTRUCT|ASK|WHERE|PREFIX|GRAPH|VALUES|BIND)\b|@prefix|<\{|\}>|\^\^")
    found = []
    for path in sorted((ROOT / "etl").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            template = _template(node)
            if template is not None and syntax.search(template):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {template[:80]}")
    assert found == []


def test_the_publish_state_query_uses_the_vocabulary_namespace():
    assert f"<{NKG}>" in STATE_QUERY and "nkg:graphHash" in STATE_QUERY


def _template(node: ast.AST) -> str | None:
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
        return node.left.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" and isinstance(node.func.value, ast.Constant):
        return str(node.func.value.value)
    return None
