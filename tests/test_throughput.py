"""Per-article work in worker processes: the same bytes and the same store for any number of
jobs, each shared fact once, progress bars only where someone watches."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import SH

from etl.pipeline import RunConfig, run
from etl.progress import Progress
from etl.workers import WorkerError, Workers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

OUTPUTS = ("graph.ttl", "graph.trig", "validation.ttl", "links.csv", "manifest.json")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """40 articles of realistic length (bench/corpus.py) beside the sample corpus: meetings and
    named claims recur across articles, so graphs share nodes."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 40, seed=11)
    for article in (ROOT / "articles").iterdir():
        (folder / article.name).write_bytes(article.read_bytes())
    return folder


def _quads(store: Path) -> set:
    opened = ox.Store.read_only(str(store))
    try:
        return set(opened)
    finally:
        del opened


def test_any_number_of_jobs_gives_the_same_bytes_and_store(corpus, tmp_path):
    results = {jobs: run(RunConfig((str(corpus),), tmp_path / f"j{jobs}", jobs=jobs)) for jobs in (1, 2, 3)}
    assert all(r.conforms for r in results.values())
    assert len(results[1].articles) == 45
    for name in OUTPUTS:
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes() == (tmp_path / "j3" / name).read_bytes(), name
    assert _quads(tmp_path / "j1" / "store") == _quads(tmp_path / "j3" / "store")
    assert [a.triples for a in results[1].articles] == [a.triples for a in results[3].articles]


def test_graph_ttl_states_shared_facts_once_and_counts_the_union(corpus, tmp_path):
    result = run(RunConfig((str(corpus),), tmp_path / "out", jobs=2))
    ttl = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(tmp_path / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE)]
    assert len(ttl) == len(set(ttl)) == result.triples
    union = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(tmp_path / "out" / "graph.trig"), format=ox.RdfFormat.TRIG)}
    assert set(ttl) == union
    per_graph = sum(a.triples for a in result.articles)
    assert per_graph > len({t for t in ttl if "/id/article/" in str(t.subject) or "/id/evidence/" in str(t.subject)}), "graphs share meetings and claims"
    meetings_in_graphs = sum(1 for q in ox.parse(path=str(tmp_path / "out" / "graph.trig"), format=ox.RdfFormat.TRIG)
                             if q.predicate.value.endswith("#type") and q.object.value.endswith("#Meeting"))
    meetings_in_union = sum(1 for t in ttl if t.predicate.value.endswith("#type") and t.object.value.endswith("#Meeting"))
    assert meetings_in_graphs > meetings_in_union >= 1, "a meeting reported by several articles is one node, described once"


def test_a_broken_fact_found_in_a_worker_fails_the_gate(corpus, tmp_path, monkeypatch):
    """A violation on an article's own node (checked in the worker) and one on a shared node
    (checked after all graphs are in) both reach the report."""
    import etl.mapping as mapping

    made = mapping.article_statements

    def broken(record, known):
        statements = made(record, known)
        if record.article.source == "000_675f5c807e68a90c.txt":
            kept = [t for t in statements.triples() if not t.predicate.value.endswith(("#textLength", "#meetingStatus"))]
            assert len(kept) < len(statements.triples())
            statements = mapping.Statements.of(kept)
        return statements

    monkeypatch.setattr("etl.pipeline.article_statements", broken)
    result = run(RunConfig((str(corpus),), tmp_path / "out", jobs=1))
    assert not result.conforms
    paths = {str(p) for p in result.report.graph.objects(None, SH.resultPath)}
    assert paths == {"https://w3id.org/newskg/ns#textLength", "https://w3id.org/newskg/ns#meetingStatus"}
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_workers_keep_the_input_order():
    with Workers(3, lambda: None, chunk=2, window=3) as workers:
        assert list(workers.map(_slow_square, range(40))) == [n * n for n in range(40)]


def _slow_square(n: int) -> int:
    if n % 7 == 0:
        import time

        time.sleep(0.02)  # later items finish first
    return n * n


def _run_on_a_terminal(args: list[str]) -> str:
    """The CLI with stdout and stderr on a pseudo-terminal; everything it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "etl", *args], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, cwd=ROOT, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bars_on_a_terminal_and_not_in_a_pipe(tmp_path):
    shown = _run_on_a_terminal(["run", "articles", "--out", str(tmp_path / "a"), "--progress", "--jobs", "2"])
    assert "newskg: articles: " in shown and "newskg: graphs: 100%" in shown and "5/5" in shown
    hidden = _run_on_a_terminal(["run", "articles", "--out", str(tmp_path / "b"), "--no-progress"])
    assert "SHACL: conforms" in hidden and "newskg: articles" not in hidden
    piped = subprocess.run([sys.executable, "-m", "etl", "run", "articles", "--out", str(tmp_path / "c")], cwd=ROOT, capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == ""


def test_progress_follows_the_terminal(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert not Progress(None).enabled and Progress(True).enabled
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert Progress(None).enabled and not Progress(None).forced and not Progress(False).enabled


def test_jobs_must_be_positive(tmp_path):
    done = subprocess.run([sys.executable, "-m", "etl", "run", "articles", "--out", str(tmp_path), "--jobs", "0"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "expected at least 1 worker process, got 0" in done.stderr


def test_a_worker_that_dies_ends_the_run_with_a_clear_error():
    with pytest.raises(WorkerError, match="a worker process died"):
        with Workers(2, lambda: None, chunk=1, window=2) as workers:
            list(workers.map(_die_on_five, range(10)))


def _die_on_five(n: int) -> int:
    if n == 5:
        os._exit(9)  # as a SIGKILL or the OOM killer would end it: no exception, no cleanup
    return n
