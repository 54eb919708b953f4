"""SPARQL over a graph file, on pyoxigraph's engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests

from etl import rdfio, resources
from etl.errors import QueryError
from etl.http import client_session, shown
from etl.vocab import PREFIXES


@dataclass(frozen=True)
class QueryResult:
    """A SELECT's variables and rows (values as N-Triples-like strings), or an ASK's answer."""

    variables: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    boolean: bool | None = None


def bundled_queries() -> dict[str, Path]:
    """The competency queries shipped with newskg, by name (articles, actors, meetings, claims, claims-by-state)."""
    return {path.stem: path for path in sorted(resources.queries_dir().glob("*.rq"))}


def read_query(text_or_path: str) -> str:
    """A query given inline, the text of a .rq file, or a bundled query named without its suffix."""
    bundled = bundled_queries()
    if text_or_path in bundled and not Path(text_or_path).exists():
        return bundled[text_or_path].read_text(encoding="utf-8")
    path = Path(text_or_path)
    if text_or_path.endswith((".rq", ".sparql")) or (len(text_or_path) < 300 and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            raise QueryError(f"{text_or_path}: cannot be read ({err.strerror or err})") from None
    return text_or_path


Bindings = dict[str, ox.NamedNode | ox.Literal]
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_bindings(items: list[str], query: str) -> Bindings:
    """`NAME=VALUE` pairs as RDF terms for the query's variables: `<IRI>` is an IRI (checked by
    the RDF library), anything else a plain string literal. The terms are handed to the engine,
    which substitutes them for the variables, so no value is ever spliced into query text."""
    bindings: Bindings = {}
    for item in items:
        name, equals, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not equals or not _VARIABLE_NAME.fullmatch(name):
            raise QueryError(f"--bind {item!r}: expected NAME=VALUE with a SPARQL variable name, e.g. name=\"Kim Jong Un\"")
        if not re.search(rf"[?$]{name}(?![A-Za-z0-9_])", query):
            raise QueryError(f"--bind {name}: the query has no variable ?{name}")
        bindings[name] = _bound_term(name, value)
    return bindings


def _bound_term(name: str, value: str) -> ox.NamedNode | ox.Literal:
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as err:
            raise QueryError(f"--bind {name}: {value!r} is not a valid IRI ({err})") from None
    return ox.Literal(value)


def run_query(query: str, graph_file: Path, bindings: Bindings | None = None) -> QueryResult:
    """Run a SELECT or ASK query over the graph file (named graphs are queried as one union)."""
    return _answer(rdfio.load_store(graph_file), query, bindings)


def query_store(query: str, folder: Path, bindings: Bindings | None = None) -> QueryResult:
    """Run a query over the embedded on-disk store (opened read-only, so a running load is no obstacle)."""
    try:
        store = ox.Store.read_only(str(folder))
    except OSError as err:
        raise QueryError(f"{folder}: not a readable newskg store ({err})") from None
    return _answer(store, query, bindings)


def query_endpoint(query: str, endpoint: str, auth: tuple[str, str] | None = None, timeout: float = 120.0) -> QueryResult:
    """Run a query at a SPARQL 1.1 Protocol endpoint (the query travels as the request body, never spliced into a URL)."""
    session = client_session("newskg-query", auth=auth, accept="application/sparql-results+json")
    try:
        response = session.post(endpoint, data=query.encode("utf-8"), timeout=timeout, headers={"Content-Type": "application/sparql-query"})
    except requests.RequestException as err:
        raise QueryError(f"{shown(endpoint)}: cannot be reached ({type(err).__name__})") from None
    finally:
        session.close()
    if response.status_code >= 400:
        raise QueryError(f"{shown(endpoint)}: HTTP {response.status_code}: {response.text.strip()[:500]}")
    try:
        doc = response.json()
    except ValueError:
        raise QueryError(f"{shown(endpoint)}: expected SPARQL JSON results, got {response.text[:200]!r}") from None
    if "boolean" in doc:
        return QueryResult((), (), bool(doc["boolean"]))
    variables = tuple(doc.get("head", {}).get("vars", []))
    rows = tuple(tuple(_term(b.get(v)) for v in variables) for b in doc.get("results", {}).get("bindings", []))
    return QueryResult(variables, rows)


def _term(value: dict | None):
    if value is None:
        return None
    if value["type"] == "uri":
        return ox.NamedNode(value["value"])
    if value["type"] == "bnode":
        return ox.BlankNode(value["value"])
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])


def _answer(store: ox.Store, query: str, bindings: Bindings | None = None) -> QueryResult:
    substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    try:
        answer = store.query(query, use_default_graph_as_union=True, substitutions=substitutions or None)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult((), (), bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            rows = tuple(tuple(solution[v] for v in variables) for solution in answer)  # evaluation happens here
            return QueryResult(variables, rows)
    except SyntaxError as err:
        raise QueryError(f"the query is not valid SPARQL ({err})") from None
    except (RuntimeError, OSError, ValueError) as err:  # a bound variable the SELECT clause lacks, a SERVICE call
        raise QueryError(f"the query cannot run ({type(err).__name__}: {err})") from None
    raise QueryError("only SELECT and ASK queries print as a table (CONSTRUCT and DESCRIBE are not supported here)")


def show(term: object, compact: bool = True) -> str:
    """A term for display: prefixed name for known IRIs, the plain value of a literal."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if compact:
            for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
                if term.value.startswith(namespace):
                    return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
