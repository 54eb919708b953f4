"""The `newskg` command: arguments to a configuration, outcomes to exit codes."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tabulate import tabulate

from etl import rdfio, resources
from etl.datapack import DEFAULT_DATA_DIR, load_datapack
from etl.docs import write_docs
from etl.errors import DataPackError, GraphInputError, NewskgError, QueryError
from etl.evaluate import GoldError, evaluate, load_gold
from etl.http import shown
from etl.model import LinkStatus
from etl.pipeline import GRAPH_TRIG, GRAPH_TTL, MANIFEST_JSON, STORE_DIR, RunConfig, RunResult, Vocabulary, extract_corpus, run
from etl.publish import DEFAULT_GRAPH_PREFIX, GraphStore, payloads_from_file, publish, sync_embedded, validated_before
from etl.query import parse_bindings, query_endpoint, query_store, read_query, run_query, show
from etl.report import REPORT_HTML, write_report
from etl.review import NEEDS_REVIEW, ReviewFileError, import_reviewed, write_links_csv
from etl.sources import DEFAULT_MAX_BYTES, Skipped, read_sources
from etl.validate import ENGINES, validate_graph
from etl.wikidata import WIKIDATA_API
from etl.workers import available_cores

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_USAGE = 2
EXIT_RUNTIME = 3
EXIT_PARTIAL = 4

EXIT_CODES = """exit codes:
  0  done; the graph conforms to the shapes
  1  the data does not conform to the shapes (nothing written to graph.*; see validation.ttl)
  2  usage error, or input that cannot be read (no readable article, an unparsable graph file)
  3  runtime error (a bug or a broken environment)"""
RUN_EXIT_CODES = EXIT_CODES + """
  4  partial: the graph conforms and was written, but some inputs were skipped (each named on
     stderr with its reason, and listed in the summary)"""


def _home() -> Path:
    """Where the Wikidata answer cache and the local registry live: $NEWSKG_HOME, else .newskg/ here."""
    return Path(os.environ.get("NEWSKG_HOME") or ".newskg")


def _add_linking_options(command: argparse.ArgumentParser) -> None:
    home = _home()
    command.add_argument("--registry", type=Path, default=home / "registry.tsv",
                         help=f"local registry of reviewed Wikidata IDs that overrides the bundled one (default: {home / 'registry.tsv'})")
    command.add_argument("--cache", type=Path, default=home / "cache",
                         help=f"folder of cached Wikidata answers (default: {home / 'cache'}; NEWSKG_HOME moves both)")
    command.add_argument("--api", default=os.environ.get("NEWSKG_WIKIDATA_API") or WIKIDATA_API, metavar="URL",
                         help=f"the MediaWiki API whose answers count, asked with link --online (default: $NEWSKG_WIKIDATA_API or {WIKIDATA_API})")


def _add_run_options(command: argparse.ArgumentParser) -> None:
    """What `run` and `link` share: the inputs, the output and data folders, the size limit, linking."""
    command.add_argument("inputs", nargs="*", default=["articles"], metavar="INPUT", help="file, folder or glob (default: articles/)")
    command.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    command.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="domain data pack folder (default: the bundled one)")
    command.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                         help=f"skip files larger than N bytes; for JSON Lines, records longer than N (default: {DEFAULT_MAX_BYTES})")
    command.add_argument("--jobs", "-j", type=_jobs, default=available_cores(), metavar="N",
                         help=f"worker processes for extraction, mapping and validation; the output is byte-identical for any N "
                         f"(default: the cores this process may use, here {available_cores()})")
    command.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                         help="progress bars on stderr (default: on a terminal, for stages that take more than 2 seconds)")
    command.add_argument("--html", action=argparse.BooleanOptionalAction, default=True,
                         help="write report.html beside a conforming graph (default: on; `newskg report` writes it alone)")
    _add_linking_options(command)


def _at_least_one(what: str, unit: str) -> Callable[[str], int]:
    """An argparse type: a whole number of `unit`s, at least 1."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"expected at least 1 {unit}, got {value}")
        return value

    return parse


_jobs = _at_least_one("a number of worker processes", "worker process")
_positive_int = _at_least_one("a whole number of bytes", "byte")


def _add_credentials(command: argparse.ArgumentParser) -> None:
    command.add_argument("--user", default=os.environ.get("NEWSKG_STORE_USER"), help="user for HTTP basic authentication (default: $NEWSKG_STORE_USER)")
    command.add_argument("--password", help="its password (default: $NEWSKG_STORE_PASSWORD, which, unlike a flag, no process list shows)")


def _credentials(args: argparse.Namespace) -> tuple[str, str] | None:
    password = args.password if args.password is not None else os.environ.get("NEWSKG_STORE_PASSWORD", "")
    return (args.user, password) if args.user else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newskg",
        description="Turn German news articles into a validated RDF knowledge graph of Russia–North Korea relations.",
        epilog=RUN_EXIT_CODES + "\n\nexample:\n  newskg run articles/ --out output/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run_cmd = commands.add_parser(
        "run",
        help="read articles, extract facts, validate and write the graph",
        description="Read articles (files, folders or globs of .txt, .html and .jsonl), extract actors, meetings and "
        "arms-transfer claims, validate the graph with SHACL and write graph.ttl, graph.trig and validation.ttl.",
        epilog=RUN_EXIT_CODES + "\n\nexample:\n  newskg run articles/ 'more/*.html' --out output/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_run_options(run_cmd)
    run_cmd.set_defaults(handler=_run)

    link_cmd = commands.add_parser(
        "link",
        help="link actors and places to Wikidata: registry, cache, and (with --online) Wikidata's API",
        description="Run the pipeline and link every actor and place the graph uses. IDs come from the bundled registry "
        "(verified or corroborated), from the local registry (reviewed), and from Wikidata's answers: with --online, "
        "actors without an ID are searched (wbsearchentities, German then English) and their candidates checked "
        "(wbgetentities: type and state). Only one clear winner above the threshold is linked; ambiguous ones are "
        "listed for review. Every answer is cached, so a second run asks nothing and gives the same graph. "
        "Writes the graph like `run` and links.csv (one row per entity, with its status and candidates).",
        epilog=RUN_EXIT_CODES.replace("3  runtime error (a bug or a broken environment)", "3  runtime error: Wikidata unreachable or refusing after retries, a bug, or a broken environment")
        + "\n\nreview loop:\n  newskg link --online --export review.csv   # reconcile review.csv in OpenRefine, fill in the qid column\n"
        "  newskg link --import review.csv           # reviewed IDs go into the local registry\n\nexample:\n  newskg link articles/ --online --export review.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_run_options(link_cmd)
    mode = link_cmd.add_mutually_exclusive_group()
    mode.add_argument("--online", action="store_true", help="ask Wikidata for what the registry and the cache do not hold")
    mode.add_argument("--offline", action="store_true", help="use only the registries and the cache (the default)")
    link_cmd.add_argument("--export", type=Path, metavar="FILE.csv", help="write the actors that need review (unlinked, ambiguous) as CSV for OpenRefine")
    link_cmd.add_argument("--import", dest="import_csv", type=Path, metavar="FILE.csv",
                          help="first take the reviewed IDs of this CSV (a qid column beside newskg_id or name) into the local registry")
    link_cmd.add_argument("--contact", default=os.environ.get("NEWSKG_CONTACT"),
                          help="your e-mail or URL, sent in the User-Agent as Wikimedia asks (default: $NEWSKG_CONTACT)")
    link_cmd.add_argument("--maxlag", type=int, default=5, metavar="SECONDS",
                          help="ask Wikidata to refuse while its replicas lag more than this; 0 sends no maxlag (default: 5)")
    link_cmd.set_defaults(handler=_link)

    validate_cmd = commands.add_parser(
        "validate",
        help="check RDF files against the newskg shapes",
        description="Validate RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD) against shapes/newskg-shapes.ttl, "
        "each file on its own. The decision is each SHACL report's sh:conforms. A file that is missing or cannot be parsed "
        "is named with the reason and the others are still checked; this is the command CI and pre-commit run on changed "
        "Turtle files (examples/ci/).",
        epilog="exit codes:\n  0  every file conforms\n  1  a file does not conform\n  2  usage error, or a file is missing or cannot be parsed"
        "\n  3  runtime error\n\nreport of one file:\n  newskg validate output/graph.ttl --report report.ttl"
        "\n\nexample:\n  newskg validate data/*.ttl --report-dir shacl-reports",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the RDF files to validate")
    reports = validate_cmd.add_mutually_exclusive_group()
    reports.add_argument("--report", type=Path, help="also write the SHACL report (Turtle) to this file (one FILE only)")
    reports.add_argument("--report-dir", type=Path, metavar="DIR",
                         help="also write each file's SHACL report to DIR/<its path>.report.ttl (for a CI artifact)")
    validate_cmd.add_argument("--engine", choices=ENGINES, default="newskg",
                              help="newskg's SHACL engine (fast; the default) or pyshacl (the reference it is tested against); both give the same results")
    validate_cmd.set_defaults(handler=_validate)

    report_cmd = commands.add_parser(
        "report",
        help="write the HTML report: timeline, network of actors, claims with their evidence",
        description="Write one self-contained HTML file (no network needed to view it) from a graph written by `newskg run`: "
        "a timeline of meetings and claims by date and precision, a network of actors filterable by state, stance and "
        "materiel, and tables of claims and meetings whose rows open the article with the evidence highlighted at its "
        "offsets. The article texts are read again from INPUT and matched to the graph by content hash; evidence whose "
        "article is not found is shown as its quote. `newskg run` writes the same report as output/report.html.",
        epilog="exit codes:\n  0  written (warnings, if any, on stderr)\n  2  usage error, or the graph is missing or cannot be parsed"
        "\n  3  runtime error\n\nexample:\n  newskg report articles/ --graph output/graph.trig --out output/report.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report_cmd.add_argument("inputs", nargs="*", default=["articles"], metavar="INPUT", help="the articles the graph was made from (default: articles/)")
    report_cmd.add_argument("--graph", type=Path, default=Path("output") / GRAPH_TRIG, help="the graph (default: output/graph.trig)")
    report_cmd.add_argument("--out", type=Path, default=Path("output") / REPORT_HTML, help="the HTML file to write (default: output/report.html)")
    report_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="the data pack the run used (default: the bundled one)")
    report_cmd.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N", help=f"as for run (default: {DEFAULT_MAX_BYTES})")
    report_cmd.set_defaults(handler=_report)

    docs_cmd = commands.add_parser(
        "docs",
        help="render the ontology to HTML documentation (pyLODE)",
        description="Render ontology/newskg.ttl with pyLODE into one HTML page: every class and property with its labels, "
        "comment, domain, range and super-classes.",
        epilog="exit codes:\n  0  written\n  2  the ontology is missing or cannot be parsed\n  3  runtime error"
        "\n\nexample:\n  newskg docs --out output/docs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    docs_cmd.add_argument("--ontology", type=Path, default=resources.ontology_file(), help="the ontology (default: the bundled one)")
    docs_cmd.add_argument("--out", type=Path, default=Path("output") / "docs", help="output folder (default: output/docs/)")
    docs_cmd.set_defaults(handler=_docs)

    query_cmd = commands.add_parser(
        "query",
        help="run a SPARQL SELECT or ASK query over the graph and print a table",
        description="Run SPARQL over the embedded store output/store/ that `newskg run` keeps (or output/graph.ttl "
        "when there is no store), over a graph file (--graph), or at a SPARQL endpoint (--endpoint). QUERY is a .rq "
        "file, the name of a bundled query (articles, actors, meetings, claims, claims-by-state, claims-about) or the "
        "query text. Named graphs are queried as one union. Only SELECT and ASK run; the store is opened read-only.",
        epilog=EXIT_CODES + "\n\nexample:\n  newskg query claims-about --bind name='Kim Jong Un' --format csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    query_cmd.add_argument("query", metavar="QUERY", help="a .rq file, a bundled query's name, or SPARQL text")
    source = query_cmd.add_mutually_exclusive_group()
    source.add_argument("--store", type=Path, help="an embedded store folder (default: output/store, else output/graph.ttl)")
    source.add_argument("--graph", type=Path, help="an RDF file (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD)")
    source.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 query endpoint, e.g. http://localhost:7878/query or http://localhost:3030/ds/query")
    _add_credentials(query_cmd)
    query_cmd.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                           help="give the query's variable ?NAME this value: <IRI> for an IRI, anything else is a string "
                           "(bound by the SPARQL engine, never pasted into the query; the store and graph files only)")
    query_cmd.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format (default: table)")
    query_cmd.set_defaults(handler=_query)

    publish_cmd = commands.add_parser(
        "publish",
        help="load the validated graph into a SPARQL store (the embedded one, or a Graph Store Protocol server)",
        description="Load a run's graph (default: output/graph.trig) into the embedded store (default) or, with "
        "--endpoint, into a server speaking the SPARQL 1.1 Graph Store HTTP Protocol: one named graph per article, "
        "the registry and the ontology in graphs of their own, each sent with PUT as N-Triples (replacing exactly "
        "that graph). Each graph states its content hash, so only new or changed graphs are sent, graphs of removed "
        "articles are dropped, and an interrupted publish resumes. Only a conforming graph is published: the run's "
        "validation is trusted when manifest.json still matches the file, otherwise the graph is validated first.\n\n"
        "endpoints:\n  Oxigraph server:  --endpoint http://localhost:7878/store   (queries: http://localhost:7878/query)\n"
        "  Apache Jena Fuseki: --endpoint http://localhost:3030/DATASET/data   (queries: http://localhost:3030/DATASET/query)",
        epilog=EXIT_CODES.replace("(nothing written to graph.*; see validation.ttl)", "(nothing sent; the report is printed)")
        .replace("3  runtime error (a bug or a broken environment)", "3  runtime error: the store unreachable or refusing after retries (says what was and was not published)")
        + "\n\ncredentials: --user and --password, or NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD; never shown in messages"
        "\n\nexample:\n  newskg publish --endpoint http://localhost:3030/news/data --user loader",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    publish_cmd.add_argument("graph", nargs="?", type=Path, default=Path("output") / GRAPH_TRIG, metavar="GRAPH",
                             help="a TriG or N-Quads file written by `newskg run` (default: output/graph.trig)")
    publish_cmd.add_argument("--endpoint", metavar="URL", help="Graph Store Protocol endpoint (default: the embedded store beside GRAPH)")
    publish_cmd.add_argument("--query-endpoint", metavar="URL", help="its SPARQL query endpoint (default: the endpoint's last path segment replaced by 'query')")
    publish_cmd.add_argument("--graph-prefix", metavar="IRI", default=DEFAULT_GRAPH_PREFIX, help=f"name graphs as IRI + key (default: {DEFAULT_GRAPH_PREFIX})")
    publish_cmd.add_argument("--full", action="store_true", help="send every graph, whatever the store holds")
    _add_credentials(publish_cmd)
    publish_cmd.set_defaults(handler=_publish)

    evaluate_cmd = commands.add_parser(
        "evaluate",
        help="score extraction against gold annotations",
        description="Run the extraction on INPUT (default: articles/) and score it against gold files (one JSON per "
        "article, the format of FORMAT.md): precision, recall and F1 for actors, meetings, claims and transfer "
        "relations, stance accuracy and materiel overlap, with each article's misses and false alarms.",
        epilog="exit codes:\n  0  scored\n  2  usage error, or gold files that cannot be read\n  3  runtime error"
        "\n\nexample:\n  newskg evaluate --gold tests/gold articles/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate_cmd.add_argument("inputs", nargs="*", default=["articles"], metavar="INPUT", help="file, folder or glob (default: articles/)")
    evaluate_cmd.add_argument("--gold", type=Path, required=True, help="folder of gold JSON files")
    evaluate_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="domain data pack folder (default: the bundled one)")
    evaluate_cmd.add_argument("--json", type=Path, help="also write the scores and the per-article breakdown as JSON")
    evaluate_cmd.set_defaults(handler=_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (GraphInputError, QueryError, GoldError, ReviewFileError) as err:
        _error(str(err))
        return EXIT_USAGE
    except NewskgError as err:
        _error(str(err))
        return EXIT_RUNTIME
    except OSError as err:  # an output folder that cannot be written, a full disk
        _error(f"{err.filename or 'a file'}: {err.strerror or err}")
        return EXIT_RUNTIME
    except Exception as err:  # noqa: BLE001 - the last line of defence reports and exits 3
        _error(f"internal error: {type(err).__name__}: {err}")
        traceback.print_exc(file=sys.stderr)
        return EXIT_RUNTIME


def _error(message: str) -> None:
    print(f"newskg: {message}", file=sys.stderr)


# ---------------------------------------------------------------- run


def _run(args: argparse.Namespace) -> int:
    return _reported(run(_run_config(args)), args)


def _reported(result: RunResult, args: argparse.Namespace) -> int:
    """Print what a run skipped and its summary; the exit code it earns."""
    for skipped in result.skipped:
        _error(f"skipped {skipped}")
    if not result.articles:
        _error("no article could be read from " + ", ".join(args.inputs))
        return EXIT_USAGE
    print(_run_summary(result))
    if not result.conforms:
        return EXIT_NOT_CONFORMING
    return EXIT_PARTIAL if result.skipped else EXIT_OK


def _run_config(args: argparse.Namespace, *, online: bool = False) -> RunConfig:
    return RunConfig(
        tuple(args.inputs), args.out, args.data, args.max_bytes, local_registry=args.registry, cache_dir=args.cache, online=online,
        wikidata_api=args.api, contact=getattr(args, "contact", None), maxlag=getattr(args, "maxlag", 5),
        jobs=args.jobs, progress=args.progress, html_report=args.html,
    )


def _run_summary(result: RunResult) -> str:
    lines = [f"articles: {len(result.articles)} read, {len(result.skipped)} skipped"]
    rows = [(a.source, a.mentions, a.meetings, a.claims, a.triples) for a in result.articles]
    table = tabulate(rows, headers=("article", "mentions", "meetings", "claims", "triples"), tablefmt="plain")
    lines += ["  " + line for line in table.splitlines()]
    for article in result.articles:
        lines += [f"  warning: {article.source}: {w}" for w in article.warnings]
    lines += [f"  skipped: {s}" for s in result.skipped]
    lines += [f"  read once: {d}" for d in result.duplicates]
    facts = result.facts
    lines.append(
        f"facts: {facts['mentions']} mentions of {facts['entities']} actors and places, {facts['meetings']} meetings, "
        f"{facts['claims']} claims, {facts['evidence']} evidence spans"
    )
    lines.append(f"graph: {result.triples} triples in {result.named_graphs} named graphs")
    lines.append("links: " + _link_counts(result))
    report = result.report
    if report.conforms:
        lines.append("SHACL: conforms")
    else:
        lines.append(f"SHACL: does not conform ({report.violations} violations); graph.ttl and graph.trig left as they were")
        lines += ["  " + line for line in report.summary()]
    lines.append("wrote: " + ", ".join(str(p) for p in result.written))
    if result.store:
        lines.append(f"store: {result.store_dir}: {result.store.summary()}")
    return "\n".join(lines)


def _link_counts(result: RunResult) -> str:
    decisions = result.links.values()
    how = Counter(d.confidence for d in decisions if d.linked)
    status = Counter(d.status for d in decisions)
    return (
        f"{sum(how.values())} of {len(decisions)} actors and places linked to Wikidata "
        f"({', '.join(f'{n} {c}' for c, n in sorted(how.items())) or 'none'}); "
        f"{status[LinkStatus.AMBIGUOUS]} ambiguous, {status[LinkStatus.NO_MATCH]} without a match, {status[LinkStatus.NOT_LOOKED_UP]} not looked up"
    )


# ---------------------------------------------------------------- link


def _link(args: argparse.Namespace) -> int:
    if args.import_csv:
        _import(args)
    result = run(_run_config(args, online=args.online))  # a WikidataError ends in exit 3, naming the endpoint
    code = _reported(result, args)
    if code == EXIT_USAGE:
        return code
    log = result.requests
    print(f"wikidata: {log.sent} requests sent, {log.from_cache} answered from the cache {args.cache}" + (f", {log.missing} not in the cache" if log.missing else ""))
    for decision in result.links.values():
        if decision.status is LinkStatus.AMBIGUOUS:
            listed = "; ".join(f"{c.qid} {c.label} ({c.score:.2f})" for c in decision.candidates if c.type_fit != 0.0)
            print(f"  review {decision.entity}: {listed}")
    if not args.online and any(d.status is LinkStatus.NOT_LOOKED_UP for d in result.links.values()):
        print("  (add --online to ask Wikidata about the actors not looked up)")
    if args.export:
        rules = load_datapack(args.data, args.registry).linking
        rdfio.write_atomic(args.export, write_links_csv(result.links.values(), result.entities, rules, only_review=True))
        print(f"exported {sum(1 for d in result.links.values() if d.status in NEEDS_REVIEW)} actors and places for review to {args.export}")
    return code


def _import(args: argparse.Namespace) -> None:
    pack = load_datapack(args.data, args.registry)
    today = datetime.now(UTC).date().isoformat()
    outcome, content = import_reviewed(args.import_csv, args.registry, pack.registry, args.data, today)
    if outcome.added or outcome.updated:
        _check_registry(content, args)
        rdfio.write_atomic(args.registry, content)
    print(
        f"imported from {args.import_csv}: {len(outcome.added)} added, {len(outcome.updated)} updated, "
        f"{len(outcome.unchanged)} unchanged, {len(outcome.skipped)} skipped → {args.registry}"
    )
    for reason in outcome.skipped:
        _error(f"{args.import_csv}: {reason}")


def _check_registry(content: bytes, args: argparse.Namespace) -> None:
    """Load the pack with the new local registry before it replaces the old one: a row that would
    break every later run is refused here, naming the file it came from."""
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / "registry.tsv"
        trial.write_bytes(content)
        try:
            load_datapack(args.data, trial)
        except DataPackError as err:
            raise ReviewFileError(f"{args.import_csv}: the reviewed rows do not fit the registry ({err}); {args.registry} left as it was") from None


# ---------------------------------------------------------------- publish


def _publish(args: argparse.Namespace) -> int:
    if not args.graph.is_file():
        raise GraphInputError(f"{args.graph}: no such graph file (run `newskg run` first, or give a TriG file)")
    prefix = args.graph_prefix
    if not prefix.startswith(("http://", "https://", "urn:")) or any(c in prefix for c in ' <>"{}|\\^`'):
        raise GraphInputError(f"--graph-prefix {prefix!r}: expected an absolute IRI such as {DEFAULT_GRAPH_PREFIX}")
    vocabulary = Vocabulary.load()
    if not validated_before(args.graph, args.graph.parent / MANIFEST_JSON):
        data = rdfio.read_graph(args.graph)
        report = validate_graph(data, vocabulary.shapes, vocabulary.ontology)
        if not report.conforms:
            print(f"{args.graph}: does not conform ({report.violations} violations); nothing published")
            for line in report.summary(limit=20):
                print("  " + line)
            return EXIT_NOT_CONFORMING
    payloads = payloads_from_file(args.graph, vocabulary.ontology)
    triples = sum(p.triples for p in payloads)
    if not args.endpoint:
        folder = args.graph.parent / STORE_DIR
        report = sync_embedded(folder, payloads, prefix)
        print(f"published to {folder}: {report.summary()} ({triples} triples in {len(payloads)} graphs) in {report.seconds:.2f} s")
        return EXIT_OK
    store = GraphStore(args.endpoint, query_endpoint=args.query_endpoint, auth=_credentials(args))
    try:
        report = publish(payloads, store, prefix=prefix, full=args.full)
    finally:
        store.close()
    print(f"published to {shown(args.endpoint)}: {report.summary()} ({triples} triples in {len(payloads)} graphs) in {report.seconds:.2f} s")
    return EXIT_OK


# ---------------------------------------------------------------- validate


def _validate(args: argparse.Namespace) -> int:
    if args.report and len(args.files) > 1:
        _error("--report takes one FILE; for several, use --report-dir")
        return EXIT_USAGE
    vocabulary = Vocabulary.load()
    outcomes = [_validate_file(path, vocabulary, args) for path in args.files]
    return max(outcomes)


def _validate_file(path: Path, vocabulary: Vocabulary, args: argparse.Namespace) -> int:
    """Check one file; what it earns: 0 conforms, 1 does not, 2 cannot be read."""
    try:
        if not path.is_file():
            raise GraphInputError(f"{path}: no such file (expected an RDF file to validate)")
        data = rdfio.read_graph(path)
    except GraphInputError as err:
        _error(str(err))
        return EXIT_USAGE
    report = validate_graph(data, vocabulary.shapes, vocabulary.ontology, engine=args.engine)
    target = args.report or (args.report_dir / _mirrored(path).with_name(path.name + ".report.ttl") if args.report_dir else None)
    if target:
        rdfio.write_atomic(target, rdfio.canonical_turtle_bytes(report.graph))
    if report.conforms:
        print(f"{path}: conforms ({len(data)} triples)")
        return EXIT_OK
    print(f"{path}: does not conform ({report.violations} violations in {len(data)} triples)")
    for line in report.summary(limit=20):
        print("  " + line)
    return EXIT_NOT_CONFORMING


def _mirrored(path: Path) -> Path:
    """Where under --report-dir a file's report goes: its path, made relative and kept inside."""
    return Path(*[part if part != ".." else "__" for part in path.relative_to(path.anchor).parts])


# ---------------------------------------------------------------- report and docs


def _report(args: argparse.Namespace) -> int:
    if not args.graph.is_file():
        raise GraphInputError(f"{args.graph}: no such file (expected the graph.trig that `newskg run` writes)")
    pack = load_datapack(args.data)
    articles = []
    for item in read_sources(args.inputs, pack, max_bytes=args.max_bytes):
        if isinstance(item, Skipped):
            _error(f"skipped {item}")
        else:
            articles.append(item)
    report = write_report(args.out, args.graph, articles)
    for warning in report.warnings:
        _error(f"warning: {warning}")
    print(f"wrote {args.out}: {report.events} dated events ({report.undated} undated), {report.claims} claims, "
          f"{report.meetings} meetings, {report.actors} actors; {args.out.stat().st_size:,} bytes")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    if not args.ontology.is_file():
        raise GraphInputError(f"{args.ontology}: no such file (expected the ontology in Turtle)")
    docs = write_docs(args.ontology, args.out)
    print(f"wrote {docs.page}: {docs.classes} classes, {docs.properties} properties")
    return EXIT_OK


# ---------------------------------------------------------------- evaluate


def _evaluate(args: argparse.Namespace) -> int:
    pack = load_datapack(args.data)
    gold = load_gold(args.gold, pack.registry)
    records, skipped = extract_corpus(RunConfig(tuple(args.inputs), Path("."), args.data))
    for item in skipped:
        _error(f"skipped {item}")
    evaluation = evaluate(records, gold, pack.registry)
    if args.json:
        rdfio.write_atomic(args.json, evaluation.to_json().encode("utf-8"))
    print(evaluation.render())
    return EXIT_OK


# ---------------------------------------------------------------- query


def _query(args: argparse.Namespace) -> int:
    query = read_query(args.query)
    bindings = parse_bindings(args.bind, query)
    default_store = Path("output") / STORE_DIR
    if args.endpoint:
        if bindings:
            raise QueryError("--bind works on the embedded store and on graph files: the SPARQL protocol has no way to send "
                             "values apart from the query text, and newskg does not paste values into queries")
        result = query_endpoint(query, args.endpoint, _credentials(args))
    elif args.store or (not args.graph and default_store.is_dir()):
        store = args.store or default_store
        if not store.is_dir():
            raise GraphInputError(f"{store}: no such store folder (run `newskg run` first)")
        result = query_store(query, store, bindings)
    else:
        graph = args.graph or Path("output") / GRAPH_TTL
        if not graph.is_file():
            raise GraphInputError(f"{graph}: no such graph file (run `newskg run` first, or give --graph FILE)")
        result = run_query(query, graph, bindings)
    if result.boolean is not None:
        print("true" if result.boolean else "false")
        return EXIT_OK
    print(_format_rows(result.variables, result.rows, args.format), end="")
    return EXIT_OK


def _format_rows(variables: tuple[str, ...], rows, fmt: str) -> str:
    if fmt == "table":
        table = [[show(v) for v in row] for row in rows]
        return tabulate(table, headers=variables, tablefmt="simple", disable_numparse=True) + f"\n({len(rows)} rows)\n"
    if fmt == "json":
        return json.dumps([{v: show(x, compact=False) for v, x in zip(variables, row, strict=True) if x is not None} for row in rows], ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(variables)
    writer.writerows([show(v, compact=False) for v in row] for row in rows)
    return buffer.getvalue()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
