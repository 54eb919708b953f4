"""Time each stage of the pipeline on a corpus (default: the sample corpus), median of several runs.

    .venv/bin/python bench/stages.py [INPUT ...] [--repeat 5]

Prints seconds per stage, articles/s and triples/s. Numbers go into closing notes; no test
asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import rdfio  # noqa: E402
from etl.coref import corefer  # noqa: E402
from etl.datapack import load_datapack  # noqa: E402
from etl.extract import extract  # noqa: E402
from etl.mapping import map_records  # noqa: E402
from etl.pipeline import Vocabulary  # noqa: E402
from etl.sources import Skipped, read_sources  # noqa: E402
from etl.validate import validate_graph  # noqa: E402


def one_run(inputs: list[str]) -> dict[str, float]:
    pack = load_datapack()
    vocabulary = Vocabulary.load()
    times: dict[str, float] = {}

    start = time.perf_counter()
    articles = [a for a in read_sources(inputs, pack) if not isinstance(a, Skipped)]
    times["read"] = time.perf_counter() - start

    start = time.perf_counter()
    records = [extract(a, pack) for a in articles]
    times["extract"] = time.perf_counter() - start

    start = time.perf_counter()
    mapped = map_records(corefer(records, pack.registry), pack, vocabulary.ontology)
    union = mapped.union()
    times["map"] = time.perf_counter() - start

    start = time.perf_counter()
    report = validate_graph(union, vocabulary.shapes, vocabulary.ontology)
    times["validate"] = time.perf_counter() - start

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        rdfio.write_atomic(Path(folder) / "graph.ttl", rdfio.turtle_bytes(union))
        rdfio.write_atomic(Path(folder) / "graph.trig", rdfio.trig_bytes(rdfio.sorted_named_graphs(mapped.items())))
    times["serialize"] = time.perf_counter() - start

    times["articles"] = len(articles)
    times["triples"] = len(union)
    times["conforms"] = float(report.conforms)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "articles")])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runs = [one_run(args.inputs) for _ in range(args.repeat)]
    stages = ("read", "extract", "map", "validate", "serialize")
    medians = {stage: statistics.median(r[stage] for r in runs) for stage in stages}
    total = sum(medians.values())
    articles, triples = runs[0]["articles"], runs[0]["triples"]
    print(f"{int(articles)} articles, {int(triples)} triples, median of {args.repeat} runs")
    for stage in stages:
        print(f"  {stage:<10} {medians[stage]:8.3f} s  {100 * medians[stage] / total:5.1f} %")
    print(f"  {'total':<10} {total:8.3f} s  {articles / total:,.0f} articles/s  {triples / total:,.0f} triples/s")


if __name__ == "__main__":
    main()
