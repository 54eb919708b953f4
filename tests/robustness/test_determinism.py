"""The same corpus, in another file order, in another process and with 1, 2 or 3 worker
processes, gives the same bytes: also
with copies of one article, encodings, formats and bad files among the inputs."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from bad_inputs import write_inputs

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ("graph.ttl", "graph.trig", "validation.ttl", "links.csv", "manifest.json")


def _run(inputs: list[str], out: Path, seed: str, jobs: int) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run([sys.executable, "-m", "etl", "run", *inputs, "--out", str(out), "--jobs", str(jobs)], env=env, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 4, result.stderr  # partial: the bad inputs are skipped
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_file_order_and_process_do_not_change_a_byte(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "articles", corpus)
    write_inputs(corpus)
    (corpus / "gesperrt.txt").unlink()  # unreadable only for non-root users: not the same input everywhere
    for slow in ("riesig.txt", "lange_zeile.txt"):  # the batch test reads these once; enough
        (corpus / slow).unlink()
    files = sorted(str(p) for p in corpus.iterdir())
    shuffled = files[:]
    random.Random(3).shuffle(shuffled)
    by_folder = _run([str(corpus)], tmp_path / "a", seed="1", jobs=1)
    reversed_order = _run(files[::-1], tmp_path / "b", seed="2", jobs=2)
    shuffled_order = _run(shuffled, tmp_path / "c", seed="3", jobs=3)
    assert files[::-1].index(str(corpus / "zweimal_b.txt")) < files[::-1].index(str(corpus / "zweimal_a.txt")), "the copy comes first"
    for name in OUTPUTS:
        assert reversed_order[name] == by_folder[name], name
        assert shuffled_order[name] == by_folder[name], name
    assert b"zweimal_a.txt" in by_folder["graph.ttl"] and b"nkg:alsoReadFrom \"zweimal_b.txt\"" in by_folder["graph.ttl"]
