"""A run killed with SIGKILL while it writes leaves the previous output whole and readable, and
the next run picks up cleanly (leftover temporary files removed, the store brought in step)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from etl.publish import STATE_QUERY
from etl.vocab import NKG

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ("graph.trig", "graph.ttl", "validation.ttl", "links.csv", "manifest.json")


def _run(corpus: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "run", str(corpus), "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=600)


def _start(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "run", str(corpus), "--out", str(out), "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


def _kill_when(process: subprocess.Popen, condition) -> bool:
    """SIGKILL the process the moment the condition holds; False if it ended first."""
    if not _signal_when(process, signal.SIGKILL, condition):
        return False
    process.wait()
    return True


def _stop_when(process: subprocess.Popen, condition) -> bool:
    """SIGSTOP the process the moment the condition holds and wait until it is frozen."""
    if not _signal_when(process, signal.SIGSTOP, condition):
        return False
    stat = Path(f"/proc/{process.pid}/stat")
    deadline = time.monotonic() + 10
    while stat.read_text().rpartition(")")[2].split()[0] != "T":
        assert time.monotonic() < deadline, "the process did not stop"
        time.sleep(0.0001)
    return True


@contextlib.contextmanager
def _child(corpus: Path, out: Path):
    """A run in a subprocess that is never left behind, stopped or running, whatever the test does."""
    process = _start(corpus, out)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _staging(out: Path) -> bool:
    """Frozen while staging: some file is staged, the manifest (staged last) is not, so no rename has begun."""
    return bool(list(out.glob(".*.part"))) and not list(out.glob(".manifest.json.*.part"))


def _graph_hashes(folder: Path) -> dict[str, str]:
    store = ox.Store.read_only(str(folder))
    return {row["graph"].value: row["hash"].value for row in store.query(STATE_QUERY)}


def _signal_when(process: subprocess.Popen, signum: int, condition, limit: float = 300.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            process.send_signal(signum)
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.0002)
    process.kill()
    raise AssertionError("the run neither reached the moment nor ended")


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _store_dump(folder: Path) -> list[str]:
    store = ox.Store.read_only(str(folder))
    return sorted(str(quad) for quad in store)


def _manifest_vouches(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A previous output (the sample corpus) and, for comparison, a clean run of a bigger corpus."""
    root = tmp_path_factory.mktemp("crash")
    corpus = root / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic.py"), str(corpus), "--articles", "40"], check=True, capture_output=True)
    clean = root / "clean"
    assert _run(corpus, clean).returncode == 0
    return corpus, _files(clean), _store_dump(clean / "store")


@pytest.fixture
def previous(tmp_path):
    out = tmp_path / "out"
    result = _run(ROOT / "articles", out)
    assert result.returncode == 0, result.stderr
    return out, _files(out), _store_dump(out / "store")


def test_sigkill_while_the_files_are_written_keeps_the_previous_output(runs, previous):
    corpus, new_files, new_store = runs
    out, old_files, old_store = previous
    for _ in range(10):
        with _child(corpus, out) as process:
            assert _stop_when(process, lambda: any(out.glob(".*.part"))), "the run ended before it wrote"
            if _staging(out):
                assert _files(out) == old_files, "staging never touches the files in place"
                process.send_signal(signal.SIGKILL)
                assert process.wait() == -signal.SIGKILL
                break
            # frozen after the staging: let it finish, put the previous output back, and again
            process.send_signal(signal.SIGCONT)
            assert process.wait() == 0
        assert _run(ROOT / "articles", out).returncode == 0
    else:
        pytest.fail("the run was never caught while it staged its files")
    assert _files(out) == old_files, "killed while staging: every previous file is intact"
    _manifest_vouches(out)
    assert _store_dump(out / "store") == old_store, "the store is only touched after the files"
    assert list(out.glob(".*.part")), "the killed run's temporary files are still there"

    rerun = _run(corpus, out)
    assert rerun.returncode == 0, rerun.stderr
    assert not list(out.glob(".*.part")), "the next run removed the leftovers"
    assert _files(out) == new_files
    assert _store_dump(out / "store") == new_store


def test_sigkill_while_the_store_is_loaded_leaves_it_readable_and_the_next_run_completes_it(runs, previous):
    """Killed while the bulk load writes its files (the changed graphs are dropped by then, and no
    loaded graph is stamped yet): the store opens, and the rerun loads exactly the graphs whose
    hash the store does not hold. What the kill left is read from the store, not assumed."""
    corpus, new_files, new_store = runs
    out, old_files, old_store = previous
    store = out / "store"
    workers: set[int] = set()
    with _child(corpus, out) as process:
        renamed = lambda: (out / "manifest.json").read_bytes() != old_files["manifest.json"]  # noqa: E731

        def loading() -> bool:
            workers.update(_children(process.pid))
            return renamed() and _bulk_loading(store)

        assert _kill_when(process, loading), "the run ended before it loaded"
        assert process.returncode == -signal.SIGKILL
    assert len(workers) == 2, "the run's two worker processes were seen"
    assert _gone(workers), "no worker outlives the killed run"
    assert _files(out) == new_files, "the files were all renamed before the store was touched"
    partial = _graph_hashes(store)  # the store opens and reads after the kill
    wanted = _graph_hashes_of(new_store)
    assert partial != _graph_hashes_of(old_store), "the load had begun"
    loaded = sum(1 for graph, digest in wanted.items() if partial.get(graph) != digest)
    dropped = sum(1 for graph in partial if graph not in wanted)
    rerun = _run(corpus, out)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{loaded} graphs loaded, {len(wanted) - loaded} unchanged, {dropped} dropped" in rerun.stdout, "the rerun sends exactly what the kill left undone"
    assert _store_dump(store) == new_store


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _gone(pids: set[int], limit: float = 10.0) -> bool:
    deadline = time.monotonic() + limit
    while any(_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _alive(pid: int) -> bool:
    """Running or sleeping (a zombie has ended; only its exit status waits to be read)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _bulk_loading(store: Path) -> bool:
    """Oxigraph's bulk loader is writing the sorted files it will hand to RocksDB (`bulk-*.sst`)."""
    return any(store.glob("bulk-*.sst"))


def test_a_second_run_into_the_same_folder_is_refused_while_one_writes(runs, tmp_path):
    corpus, new_files, _ = runs
    out = tmp_path / "out"
    for _ in range(10):
        with _child(corpus, out) as process:
            assert _stop_when(process, lambda: any(out.glob(".*.part"))), "the run ended before it wrote"
            holding = bool(list(out.glob(".*.part")))  # frozen inside the locked write
            try:
                second = _run(ROOT / "articles", out) if holding else None
            finally:
                process.send_signal(signal.SIGCONT)
            assert process.wait(timeout=600) == 0
        if holding:
            break
    else:
        pytest.fail("the run was never caught while it wrote")
    assert second.returncode == 3
    assert f"{out}: another newskg run is writing this output folder" in second.stderr
    assert _files(out) == new_files, "the first run finished undisturbed"


def _graph_hashes_of(dump: list[str]) -> dict[str, str]:
    marker = f" <{NKG.graphHash}> "
    hashes = {}
    for quad in dump:
        if marker in quad:
            subject, _, rest = quad.partition(marker)
            hashes[subject.strip("<>")] = rest.split('"')[1]
    return hashes
