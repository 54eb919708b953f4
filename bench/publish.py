"""Time publishing to a real Oxigraph server (`oxigraph serve`, installed with the test extras):
the sample corpus and a synthetic corpus, first load and unchanged re-publish, median of several runs.

    .venv/bin/python bench/publish.py [--articles 1000] [--repeat 3]
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
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from oxigraph_server import OxigraphServer  # noqa: E402
from synthetic import write_corpus  # noqa: E402

from etl.pipeline import RunConfig, Vocabulary, run  # noqa: E402
from etl.publish import GraphStore, payloads_from_file, publish  # noqa: E402


def measure(name: str, inputs: str, work: Path, repeat: int) -> None:
    out = work / f"{name}-out"
    started = time.perf_counter()
    result = run(RunConfig((inputs,), out))
    run_seconds = time.perf_counter() - started
    payloads = payloads_from_file(out / "graph.trig", Vocabulary.load().ontology)
    triples = sum(p.triples for p in payloads)
    first, again = [], []
    for attempt in range(repeat):
        server = OxigraphServer(work / f"{name}-db-{attempt}").start()
        try:
            store = GraphStore(server.store)
            first.append(publish(payloads, store).seconds)
            again.append(publish(payloads, store).seconds)
            store.close()
        finally:
            server.stop()
    print(
        f"{name}: {len(result.articles)} articles, {len(payloads)} graphs, {triples} triples; run {run_seconds:.2f} s "
        f"(embedded store {result.store.seconds:.2f} s); publish {statistics.median(first):.2f} s "
        f"({triples / statistics.median(first):,.0f} triples/s), unchanged re-publish {statistics.median(again):.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        measure("sample", str(ROOT / "articles"), work, args.repeat)
        write_corpus(work / "synthetic", args.articles)
        measure(f"synthetic-{args.articles}", str(work / "synthetic"), work, args.repeat)


if __name__ == "__main__":
    main()
