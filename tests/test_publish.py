"""Publishing to the real Oxigraph server and keeping the embedded store in step."""

import base64
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer

from etl.cli import main
from etl.errors import QueryError
from etl.pipeline import RunConfig, run
from etl.publish import (
    BULK_BATCH,
    DEFAULT_GRAPH_PREFIX,
    GraphStore,
    Payload,
    PublishError,
    _batches,
    payloads_from_file,
    publish,
    sync_embedded,
)
from etl.query import query_endpoint, query_store

CALM = "\nDie Lage an der Grenze blieb nach Angaben von Beobachtern ruhig.\n"


@pytest.fixture
def server(tmp_path):
    oxigraph = OxigraphServer(tmp_path / "oxigraph").start()
    yield oxigraph
    oxigraph.stop()


@pytest.fixture
def corpus(sample_copy, tmp_path):
    """The sample corpus, run once into its own output folder."""
    out = tmp_path / "out"
    result = run(RunConfig((str(sample_copy),), out))
    assert result.conforms
    return sample_copy, out


def _publish(capsys, *args):
    code = main(["publish", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _expected_counts(trig, vocabulary):
    """Triples per graph as published: the file's graphs and the ontology, each with its hash triple."""
    return {DEFAULT_GRAPH_PREFIX + p.key: p.triples + 1 for p in payloads_from_file(trig, vocabulary.ontology)}


def test_the_sample_corpus_is_published_one_named_graph_per_article(corpus, server, capsys, vocabulary):
    _, out = corpus
    code, stdout, stderr = _publish(capsys, out / "graph.trig", "--endpoint", server.store)
    assert code == 0, stderr
    counts = server.triples_per_graph()
    assert counts == _expected_counts(out / "graph.trig", vocabulary)
    assert len(counts) == 7  # 5 articles, the registry, the ontology
    assert counts[DEFAULT_GRAPH_PREFIX + "registry"] > 100 and counts[DEFAULT_GRAPH_PREFIX + "ontology"] > 100
    assert "7 graphs loaded, 0 unchanged, 0 dropped" in stdout
    code, stdout, _ = _publish(capsys, out / "graph.trig", "--endpoint", server.store)
    assert code == 0 and "0 graphs loaded, 7 unchanged" in stdout
    code, stdout, _ = _publish(capsys, out / "graph.trig", "--endpoint", server.store, "--full")
    assert code == 0 and "7 graphs loaded, 0 unchanged" in stdout


def test_a_changed_article_replaces_only_its_graph(corpus, server, capsys):
    articles, out = corpus
    assert _publish(capsys, out / "graph.trig", "--endpoint", server.store)[0] == 0
    before = server.hashes()
    changed = sorted(articles.glob("*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + CALM, encoding="utf-8")
    assert run(RunConfig((str(articles),), out)).conforms
    code, stdout, _ = _publish(capsys, out / "graph.trig", "--endpoint", server.store)
    assert code == 0 and "1 graphs loaded, 6 unchanged, 1 dropped" in stdout
    after = server.hashes()
    assert len(set(before) - set(after)) == 1 and len(set(after) - set(before)) == 1  # the old article graph went, the new came
    assert {g: h for g, h in after.items() if g in before} == {g: h for g, h in before.items() if g in after}


def test_a_removed_article_is_dropped_from_the_embedded_and_the_remote_store(corpus, server, capsys):
    articles, out = corpus
    assert _publish(capsys, out / "graph.trig", "--endpoint", server.store)[0] == 0
    sorted(articles.glob("*.txt"))[0].unlink()
    result = run(RunConfig((str(articles),), out))
    assert result.store.summary().endswith("1 dropped")
    graphs = query_store("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", out / "store").rows
    assert len(graphs) == 6
    code, stdout, _ = _publish(capsys, out / "graph.trig", "--endpoint", server.store)
    assert code == 0 and "dropped" in stdout
    assert len(server.triples_per_graph()) == 6


def test_an_incremental_run_rewrites_only_the_changed_graphs_of_the_embedded_store(corpus):
    articles, out = corpus
    again = run(RunConfig((str(articles),), out))
    assert again.store.sent == [] and len(again.store.unchanged) == 7
    changed = sorted(articles.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + CALM, encoding="utf-8")
    result = run(RunConfig((str(articles),), out))
    assert len(result.store.sent) == 1 and len(result.store.dropped) == 1 and len(result.store.unchanged) == 6


def test_graphs_an_interrupted_bulk_load_left_unstamped_are_replaced_or_dropped(corpus, vocabulary):
    """A killed bulk load leaves graphs without their hash stamp: the next sync must neither trust
    nor keep them (a wanted one is loaded again whole, one no run wants any more goes)."""
    _, out = corpus
    store_dir = out / "store"
    payloads = payloads_from_file(out / "graph.trig", vocabulary.ontology)
    article = next(p for p in payloads if p.key not in ("ontology", "registry"))
    store = ox.Store(str(store_dir))
    wanted, stray = ox.NamedNode(article.name(DEFAULT_GRAPH_PREFIX)), ox.NamedNode(DEFAULT_GRAPH_PREFIX + "0000000000000000")
    store.remove_graph(wanted)
    half = ox.Quad(ox.NamedNode("https://example.org/half"), ox.NamedNode("https://example.org/p"), ox.Literal("loaded before the kill"))
    store.extend([ox.Quad(half.subject, half.predicate, half.object, wanted), ox.Quad(half.subject, half.predicate, half.object, stray)])
    store.flush()
    del store

    report = sync_embedded(store_dir, payloads)

    assert report.sent == [article.key] and len(report.unchanged) == 6 and report.dropped == []
    store = ox.Store.read_only(str(store_dir))
    assert not list(store.quads_for_pattern(half.subject, None, None)), "nothing of the interrupted load is kept"
    assert ox.NamedNode(DEFAULT_GRAPH_PREFIX + "0000000000000000") not in set(store.named_graphs())
    assert len(list(store.quads_for_pattern(None, None, None, wanted))) == article.triples + 1


def test_query_runs_against_the_embedded_store_by_default_and_against_an_endpoint(corpus, server, capsys, monkeypatch):
    _, out = corpus
    monkeypatch.chdir(out.parent)
    shutil.move(out, out.parent / "output")
    assert main(["query", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/newskg/ns#ArmsTransferClaim> }", "--format", "csv"]) == 0
    local = capsys.readouterr().out
    (out.parent / "output" / "graph.ttl").unlink()  # the answer came from the store, not the file
    assert main(["query", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/newskg/ns#ArmsTransferClaim> }", "--format", "csv"]) == 0
    assert capsys.readouterr().out == local
    assert main(["publish", "--endpoint", server.store]) == 0
    capsys.readouterr()
    assert main(["query", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/newskg/ns#ArmsTransferClaim> }",
                 "--format", "csv", "--endpoint", server.query_url]) == 0
    assert capsys.readouterr().out == local and local.splitlines()[1] == "17"


def test_a_non_conforming_graph_is_refused_and_nothing_is_sent(corpus, server, capsys):
    _, out = corpus
    broken = out / "broken.trig"
    text = (out / "graph.trig").read_text(encoding="utf-8")
    broken.write_text(text.replace("nkg:stance stance:asserts", "nkg:stance stance:maybe", 1), encoding="utf-8")
    code, stdout, _ = _publish(capsys, broken, "--endpoint", server.store)
    assert code == 1
    assert "does not conform" in stdout and "nothing published" in stdout
    assert server.triples_per_graph() == {}


def test_the_server_stopping_mid_publish_is_retried(corpus, server, vocabulary):
    _, out = corpus
    payloads = payloads_from_file(out / "graph.trig", vocabulary.ontology)
    restarted = []

    def restart_on_first_wait(seconds):
        if not restarted:
            server.start()
            restarted.append(seconds)

    store = GraphStore(server.store, sleep=restart_on_first_wait, backoff=0.01)
    _stop_after_puts(store, server, 3)
    report = publish(payloads, store)
    assert len(report.sent) == 7 and restarted
    assert server.triples_per_graph() == _expected_counts(out / "graph.trig", vocabulary)


def test_an_interrupted_publish_says_what_was_sent_and_resumes(corpus, server, vocabulary):
    _, out = corpus
    payloads = payloads_from_file(out / "graph.trig", vocabulary.ontology)
    store = GraphStore(server.store, sleep=lambda s: None, attempts=3, backoff=0.01)
    _stop_after_puts(store, server, 3)
    with pytest.raises(PublishError) as caught:
        publish(payloads, store)
    message = str(caught.value)
    assert server.store in message and "no answer after 3 attempts" in message
    assert "Published 3 of 7 graphs to send" in message and "not published: 4" in message
    server.start()
    again = GraphStore(server.store)
    report = publish(payloads, again)
    assert len(report.sent) == 4 and len(report.unchanged) == 3
    puts = again.requests - 1  # less the query of what the store holds
    assert puts == 4
    assert server.triples_per_graph() == _expected_counts(out / "graph.trig", vocabulary)


def _stop_after_puts(store, server, count):
    """Stop the server (its process, as an operator would) once `count` graphs have been loaded."""
    done = []

    def hook(response, *args, **kwargs):
        if response.request.method == "PUT" and response.ok:
            done.append(1)
            if len(done) == count:
                server.stop()
        return response

    store.session.hooks["response"].append(hook)


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def _deny(self):
        _Recorder.seen.append(self.headers.get("Authorization"))
        body = b"Unauthorized: wrong user or password"
        self.send_response(401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = _deny

    def log_message(self, *args):
        pass


def test_credentials_are_sent_but_never_shown(corpus, capsys, monkeypatch):
    _, out = corpus
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/ds/data"
        monkeypatch.setenv("NEWSKG_STORE_PASSWORD", "pa55-word-from-env")
        code, stdout, stderr = _publish(capsys, out / "graph.trig", "--endpoint", endpoint, "--user", "loader")
        assert code == 3
        assert "HTTP 401: Unauthorized: wrong user or password" in stderr and "/ds/query" in stderr
        assert "pa55-word-from-env" not in stdout + stderr
        assert _Recorder.seen[-1] == "Basic " + base64.b64encode(b"loader:pa55-word-from-env").decode()
        code, stdout, stderr = _publish(capsys, out / "graph.trig", "--endpoint", endpoint.replace("127.0.0.1", "u:s3cret@127.0.0.1"))
        assert code == 3 and "s3cret" not in stdout + stderr
    finally:
        server.shutdown()
        server.server_close()


def test_publish_without_an_endpoint_loads_the_embedded_store(corpus, capsys):
    _, out = corpus
    shutil.rmtree(out / "store")
    code, stdout, _ = _publish(capsys, out / "graph.trig")
    assert code == 0 and "7 graphs loaded" in stdout
    assert len(query_store("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", out / "store").rows) == 7


def test_a_bad_graph_prefix_is_a_usage_error(corpus, capsys):
    _, out = corpus
    code, _, stderr = _publish(capsys, out / "graph.trig", "--graph-prefix", "not an iri>")
    assert code == 2 and "expected an absolute IRI" in stderr


def test_a_graph_prefix_names_the_published_graphs(corpus, server, capsys, vocabulary):
    _, out = corpus
    prefix = "https://example.org/news/graph/"
    assert _publish(capsys, out / "graph.trig", "--endpoint", server.store, "--graph-prefix", prefix)[0] == 0
    expected = {prefix + name[len(DEFAULT_GRAPH_PREFIX):]: n for name, n in _expected_counts(out / "graph.trig", vocabulary).items()}
    assert server.triples_per_graph() == expected


def test_no_client_sends_credentials_from_netrc(corpus, tmp_path, monkeypatch, vocabulary):
    """Credentials reach a server only when given: a ~/.netrc entry for it is never sent, not by
    publish, not by `query --endpoint`."""
    _, out = corpus
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login leaked password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/ds"
        _Recorder.seen.clear()
        with pytest.raises(QueryError, match="HTTP 401"):
            query_endpoint("ASK { ?s ?p ?o }", f"{base}/query")
        store = GraphStore(f"{base}/data", attempts=1)
        with pytest.raises(PublishError):
            publish(payloads_from_file(out / "graph.trig", vocabulary.ontology), store)
        store.close()
        assert len(_Recorder.seen) == 2 and _Recorder.seen == [None, None]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("sizes, parts, expected", [
    ([100] * 10, 2, [[100] * 5, [100] * 5]),
    ([100] * 3, 2, [[100], [100], [100]]),  # a run ends before it would pass its share
    ([500_000, 500_000, 500_000], 1, [[500_000], [500_000], [500_000]]),  # one run would pass a bulk batch
    ([2_000_000, 10], 2, [[2_000_000], [10]]),  # a graph above a batch is a run of its own
    ([], 2, []),
])
def test_bulk_loads_hold_whole_graphs_in_order_and_stay_below_one_loader_batch(sizes, parts, expected):
    payloads = [Payload(f"g{i:03d}", b"", "", size) for i, size in enumerate(sizes)]
    batches = _batches(payloads, parts)
    assert [[p.triples for p in batch] for batch in batches] == expected
    assert [p for batch in batches for p in batch] == payloads
    assert all(sum(p.triples for p in batch) <= BULK_BATCH or len(batch) == 1 for batch in batches)
