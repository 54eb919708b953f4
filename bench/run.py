"""Time the pipeline on a corpus: each stage in one process, the whole run with 1..N jobs, peak
memory, and side-by-side baselines.

    .venv/bin/python bench/run.py [INPUT ...] [--repeat 3] [--jobs 1,2] [--no-baselines]
    .venv/bin/python bench/corpus.py /tmp/news10k --articles 10000 && .venv/bin/python bench/run.py /tmp/news10k

Stages (one process, the functions the pipeline calls): read, extract, map (records to
triples), validate (newskg's SHACL engine: per article, then the shared nodes), serialize
(N-Triples per graph, TriG and Turtle), load (the embedded store). Whole runs: `newskg run`
with each --jobs value in a fresh process, with that process's and its workers' peak memory;
the outputs of all job counts must be byte-identical. Baselines, on the same triples:
  (a) rdflib's Turtle serializer against the project's writer;
  (b) pyshacl over the whole graph against newskg's validation;
  (c) the raw floor: pyoxigraph parsing graph.ttl and serializing it again.
(a) and (b) are skipped above --baseline-limit triples (rdflib's writer is super-linear).
Numbers are medians of --repeat runs and go into closing notes; no test asserts a time.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
from pyshacl import validate as pyshacl_validate  # noqa: E402

from etl import rdfio  # noqa: E402
from etl.coref import corefer  # noqa: E402
from etl.datapack import known_entities, load_datapack  # noqa: E402
from etl.extract import extract  # noqa: E402
from etl.mapping import (  # noqa: E402
    REGISTRY_GRAPH,
    article_statements,
    entity_types,
    graph_iri,
    is_article_local,
    owner_runs,
    registry_triples,
    split_by_owner,
)
from etl.pipeline import Vocabulary  # noqa: E402
from etl.publish import payload_of, sync_embedded, with_ontology  # noqa: E402
from etl.shacl import Engine  # noqa: E402
from etl.sources import Skipped, read_sources  # noqa: E402

STAGES = ("read", "extract", "map", "validate", "serialize", "load")
RDF_STAGES = ("map", "validate", "serialize", "load")


def peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def stage_run(inputs: list[str]) -> dict:
    """Each stage timed on its own, in this process."""
    pack = load_datapack()
    vocabulary = Vocabulary.load()
    engine = Engine(vocabulary.shapes, vocabulary.ontology)
    times: dict[str, float] = {}

    def timed(stage: str, work):
        start = time.perf_counter()
        value = work()
        times[stage] = time.perf_counter() - start
        return value

    articles = timed("read", lambda: [a for a in read_sources(inputs, pack) if not isinstance(a, Skipped)])
    records = timed("extract", lambda: [extract(a, pack) for a in articles])
    merged = corefer(records, pack.registry)
    known = known_entities(pack.registry, merged).entities

    def map_all():
        indexed = [(r, rdfio.sorted_index(article_statements(r, known).index)) for r in merged]
        graphs = [(r, index, rdfio.index_triples(index)) for r, index in indexed]
        used = set().union(*(r.entity_keys() for r in merged))
        return graphs, rdfio.sorted_triples(registry_triples(used, known, vocabulary.ontology, {}))

    graphs, registry = timed("map", map_all)

    def validate_all():
        results, shared = [], {}
        types = entity_types(known.values())
        for _, index, triples in graphs:
            results += engine.validate(engine.data(types, index), is_article_local)
            _, about_shared, context = split_by_owner(owner_runs(triples))
            shared.update(dict.fromkeys([*about_shared, *context]))
        results += engine.validate(engine.data([*shared, *registry, *rdfio.ox_triples(vocabulary.ontology)]), lambda n: not is_article_local(n))
        return results

    results = timed("validate", validate_all)

    def serialize():
        named, turtle_blocks, shared = [], [], dict.fromkeys(registry)
        for record, _, triples in sorted(graphs, key=lambda graph: graph[0].article.key):
            name = str(graph_iri(record.article.key))
            runs = owner_runs(triples)
            blocks = [(own, rdfio.turtle_block(run)) for own, run in runs]
            named.append((name, rdfio.ntriples_bytes(triples), rdfio.trig_block(name, b"".join(block for _, block in blocks))))
            turtle_blocks += [block for own, block in blocks if own]
            shared.update(dict.fromkeys(t for own, run in runs if not own for t in run))
        named.append((str(REGISTRY_GRAPH), rdfio.ntriples_bytes(registry), rdfio.trig_block(str(REGISTRY_GRAPH), rdfio.turtle_block(registry))))
        named.sort()
        trig, turtle = io.BytesIO(), io.BytesIO()
        rdfio.blocks_writer(ox.RdfFormat.TRIG, [block for *_, block in named])(trig)
        rdfio.blocks_writer(ox.RdfFormat.TURTLE, [*turtle_blocks, rdfio.turtle_block(rdfio.sorted_triples(shared))])(turtle)
        return [(name, data) for name, data, _ in named], turtle.getvalue()

    named, turtle = timed("serialize", serialize)
    payloads = with_ontology([payload_of(name, data, hashlib.sha256(data).hexdigest(), data.count(b"\n")) for name, data in named], vocabulary.ontology)
    with tempfile.TemporaryDirectory() as folder:
        timed("load", lambda: sync_embedded(Path(folder) / "store", payloads))
    triples = sum(len(t) for *_, t in graphs) + len(registry)
    return {"times": times, "articles": len(articles), "triples": triples, "results": len(results), "turtle": turtle, "peak": peak_mib()}


def whole_run(inputs: list[str], jobs: int, html: bool) -> dict:
    """`newskg run` in a fresh process: wall time, peak memory of it and of its largest worker, output hashes."""
    with tempfile.TemporaryDirectory() as out:
        code = (
            "import json, resource, sys, time; from pathlib import Path; from etl.pipeline import RunConfig, run; "
            f"t = time.perf_counter(); r = run(RunConfig(tuple({inputs!r}), Path({out!r}), jobs={jobs}, progress=False, html_report={html})); "
            "print(json.dumps({'seconds': time.perf_counter() - t, 'triples': r.triples, 'articles': len(r.articles), 'conforms': r.conforms, "
            "'peak': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'worker_peak': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))"
        )
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["hashes"] = {name: hashlib.sha256((Path(out) / name).read_bytes()).hexdigest() for name in ("graph.ttl", "graph.trig", "validation.ttl")}
        return result


def baselines(turtle: bytes, vocabulary: Vocabulary, limit: int, triples: int) -> dict:
    from rdflib import Graph

    found = {}
    start = time.perf_counter()
    parsed = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    found["floor parse"] = time.perf_counter() - start
    start = time.perf_counter()
    ox.serialize(parsed, format=ox.RdfFormat.TURTLE)
    found["floor serialize"] = time.perf_counter() - start
    if triples <= limit:
        union = Graph().parse(data=turtle, format="turtle")
        start = time.perf_counter()
        union.serialize(format="turtle")
        found["rdflib turtle"] = time.perf_counter() - start
        start = time.perf_counter()
        pyshacl_validate(union, shacl_graph=vocabulary.shapes, ont_graph=vocabulary.ontology, inference="none", advanced=True, allow_warnings=True)
        found["pyshacl whole graph"] = time.perf_counter() - start
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "articles")])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="1,2", help="job counts for the whole runs, comma-separated (default: 1,2)")
    parser.add_argument("--no-stages", action="store_true", help="only the whole runs")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--html", action="store_true", help="whole runs also write report.html (off: the report is a view, not the pipeline)")
    parser.add_argument("--baseline-limit", type=int, default=400_000, metavar="TRIPLES")
    args = parser.parse_args()
    med = statistics.median
    if not args.no_stages:
        runs = [stage_run(args.inputs) for _ in range(args.repeat)]
        first = runs[0]
        articles, triples = first["articles"], first["triples"]
        total = sum(med(r["times"][s] for r in runs) for s in STAGES)
        print(f"{articles} articles, {triples} triples, {first['results']} validation results; stages in one process, median of {args.repeat} runs")
        for stage in STAGES:
            seconds = med(r["times"][stage] for r in runs)
            print(f"  {stage:<10} {seconds:9.3f} s  {100 * seconds / total:5.1f} %")
        print(f"  {'total':<10} {total:9.3f} s  {articles / total:,.1f} articles/s  {triples / total:,.0f} triples/s  peak memory {first['peak']:,.0f} MiB")
        if not args.no_baselines:
            vocabulary = Vocabulary.load()
            found = [baselines(first["turtle"], vocabulary, args.baseline_limit, triples) for _ in range(args.repeat)]
            floor = med(f["floor parse"] for f in found) + med(f["floor serialize"] for f in found)
            rdf = sum(med(r["times"][s] for r in runs) for s in RDF_STAGES)
            print("baselines on the same triples:")
            if "rdflib turtle" in found[0]:
                ours = med(r["times"]["serialize"] for r in runs)
                rdflib_time = med(f["rdflib turtle"] for f in found)
                print(f"  (a) Turtle: rdflib {rdflib_time:.3f} s; newskg's serialize stage (N-Triples per graph, TriG and Turtle) {ours:.3f} s: {rdflib_time / ours:.1f}x faster")
                pyshacl_time = med(f["pyshacl whole graph"] for f in found)
                ours = med(r["times"]["validate"] for r in runs)
                print(f"  (b) SHACL: pyshacl on the whole graph {pyshacl_time:.3f} s; newskg's engine {ours:.3f} s: {pyshacl_time / ours:.1f}x faster")
            else:
                print(f"  (a), (b) skipped: {triples} triples is above --baseline-limit {args.baseline_limit}")
            print(f"  (c) floor: pyoxigraph parses graph.ttl in {med(f['floor parse'] for f in found):.3f} s and serializes it in "
                  f"{med(f['floor serialize'] for f in found):.3f} s = {floor:.3f} s; the RDF stages (map, validate, serialize, load) take "
                  f"{rdf:.3f} s = {rdf / floor:.1f}x the floor")
            print(f"  validation is {100 * med(r['times']['validate'] for r in runs) / total:.0f} % of the stages")
    hashes = set()
    for jobs in (int(j) for j in args.jobs.split(",")):
        whole = [whole_run(args.inputs, jobs, args.html) for _ in range(args.repeat)]
        seconds = med(w["seconds"] for w in whole)
        hashes |= {json.dumps(w["hashes"], sort_keys=True) for w in whole}
        w = whole[0]
        print(f"newskg run --jobs {jobs}{'' if args.html else ' --no-html'}: {seconds:.2f} s = {w['articles'] / seconds:,.1f} articles/s, {w['triples'] / seconds:,.0f} triples/s; "
              f"peak memory {max(x['peak'] for x in whole):,.0f} MiB (largest worker {max(x['worker_peak'] for x in whole):,.0f} MiB); conforms: {w['conforms']}")
    print(f"outputs byte-identical across job counts and runs: {len(hashes) == 1}")


if __name__ == "__main__":
    main()
