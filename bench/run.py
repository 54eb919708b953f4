"""Time each stage of the pipeline on a corpus, with peak memory and side-by-side baselines.

    .venv/bin/python bench/run.py [INPUT ...] [--repeat 3] [--no-baselines]
    .venv/bin/python bench/corpus.py /tmp/news10k --articles 10000 && .venv/bin/python bench/run.py /tmp/news10k

Stages: read, extract, map (records to RDF), validate (SHACL), serialize (Turtle and TriG), load
(the embedded store). Prints seconds, share, articles/s and triples/s (medians of --repeat runs),
and the process's peak resident memory after each stage. Baselines, on the same triples:
  (a) rdflib's Turtle serializer against the project's writer (rdfio.turtle_bytes);
  (b) pyshacl over the whole graph against the project's validation (etl.validate);
  (c) the raw floor: pyoxigraph parsing the Turtle and serializing it again.
Numbers go into closing notes; no test asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
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
from etl.datapack import load_datapack  # noqa: E402
from etl.extract import extract  # noqa: E402
from etl.mapping import map_records  # noqa: E402
from etl.pipeline import Vocabulary  # noqa: E402
from etl.publish import payloads_of, sync_embedded  # noqa: E402
from etl.sources import Skipped, read_sources  # noqa: E402
from etl.validate import validate_graph  # noqa: E402

STAGES = ("read", "extract", "map", "validate", "serialize", "load")
RDF_STAGES = ("map", "validate", "serialize", "load")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def one_run(inputs: list[str], baselines: bool) -> dict[str, float]:
    pack = load_datapack()
    vocabulary = Vocabulary.load()
    times: dict[str, float] = {}
    memory: dict[str, float] = {}

    def timed(stage: str, work):
        start = time.perf_counter()
        value = work()
        times[stage] = time.perf_counter() - start
        memory[stage] = peak_mib()
        return value

    articles = timed("read", lambda: [a for a in read_sources(inputs, pack) if not isinstance(a, Skipped)])
    records = timed("extract", lambda: [extract(a, pack) for a in articles])
    mapped = timed("map", lambda: map_records(corefer(records, pack.registry), pack, vocabulary.ontology))
    union = mapped.union()
    report = timed("validate", lambda: validate_graph(union, vocabulary.shapes, vocabulary.ontology))

    def serialize():
        named = rdfio.sorted_named_graphs(mapped.items())
        return rdfio.turtle_bytes(union), rdfio.trig_bytes(named), payloads_of(named, vocabulary.ontology)

    turtle, _, payloads = timed("serialize", serialize)
    with tempfile.TemporaryDirectory() as folder:
        timed("load", lambda: sync_embedded(Path(folder) / "store", payloads))
    result = {**times, **{f"peak {s}": m for s, m in memory.items()}}
    result.update(articles=len(articles), triples=len(union), conforms=float(report.conforms))
    if baselines:
        result.update(_baselines(union, turtle, vocabulary, times))
    return result


def _baselines(union, turtle: bytes, vocabulary: Vocabulary, times: dict[str, float]) -> dict[str, float]:
    start = time.perf_counter()
    union.serialize(format="turtle")
    rdflib_turtle = time.perf_counter() - start
    start = time.perf_counter()
    rdfio.turtle_bytes(union)  # the serialize stage also writes TriG and payloads: time Turtle alone
    own_turtle_time = time.perf_counter() - start
    start = time.perf_counter()
    pyshacl_validate(union, shacl_graph=vocabulary.shapes, ont_graph=vocabulary.ontology, inference="none", advanced=True, allow_warnings=True)
    pyshacl_whole = time.perf_counter() - start
    start = time.perf_counter()
    triples = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    parse_floor = time.perf_counter() - start
    start = time.perf_counter()
    ox.serialize(triples, format=ox.RdfFormat.TURTLE)
    serialize_floor = time.perf_counter() - start
    return {
        "rdflib turtle": rdflib_turtle,
        "own turtle": own_turtle_time,
        "pyshacl whole graph": pyshacl_whole,
        "own validation": times["validate"],
        "floor parse": parse_floor,
        "floor serialize": serialize_floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "articles")])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-baselines", action="store_true", help="time the stages only")
    args = parser.parse_args()
    runs = [one_run(args.inputs, not args.no_baselines) for _ in range(args.repeat)]

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    articles, triples = int(runs[0]["articles"]), int(runs[0]["triples"])
    total = sum(median(stage) for stage in STAGES)
    print(f"{articles} articles, {triples} triples, conforms: {bool(runs[0]['conforms'])}; median of {args.repeat} runs")
    for stage in STAGES:
        print(f"  {stage:<10} {median(stage):9.3f} s  {100 * median(stage) / total:5.1f} %   peak memory after it {median('peak ' + stage):8.0f} MiB")
    print(f"  {'total':<10} {total:9.3f} s  {articles / total:,.1f} articles/s  {triples / total:,.0f} triples/s")
    if args.no_baselines:
        return
    floor = median("floor parse") + median("floor serialize")
    rdf = sum(median(stage) for stage in RDF_STAGES)
    print("baselines on the same triples:")
    print(f"  (a) Turtle: rdflib {median('rdflib turtle'):.3f} s, newskg's writer {median('own turtle'):.3f} s: "
          f"{median('rdflib turtle') / median('own turtle'):.1f}x faster")
    print(f"  (b) SHACL: pyshacl on the whole graph {median('pyshacl whole graph'):.3f} s, newskg's validation {median('own validation'):.3f} s: "
          f"{median('pyshacl whole graph') / median('own validation'):.2f}x")
    print(f"  (c) floor: pyoxigraph parses {median('floor parse'):.3f} s + serializes {median('floor serialize'):.3f} s = {floor:.3f} s; "
          f"the RDF stages (map, validate, serialize, load) take {rdf:.3f} s = {rdf / floor:.0f}x the floor")
    print(f"  validation is {100 * median('validate') / total:.0f} % of the run")


if __name__ == "__main__":
    main()
