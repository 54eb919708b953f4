"""The `newskg` command on the sample corpus: outputs, exit codes, messages."""

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from etl import resources
from etl.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FIXTURES = Path(__file__).parent / "shapes"


def _run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_run_writes_a_conforming_graph_and_a_summary(sample_copy, tmp_path, capsys):
    out = tmp_path / "out"
    code, stdout, stderr = _run(capsys, "run", sample_copy, "--out", out)
    assert code == 0, stderr
    assert {p.name for p in out.iterdir()} == {"graph.ttl", "graph.trig", "validation.ttl", "links.csv", "manifest.json", "store", "report.html", ".newskg.lock"}
    assert "store: " in stdout and "7 graphs loaded, 0 unchanged, 0 dropped" in stdout
    assert "articles: 5 read, 0 skipped" in stdout
    assert "SHACL: conforms" in stdout
    assert "000_675f5c807e68a90c.txt" in stdout
    report = Graph().parse(out / "validation.ttl")
    assert (None, SH.conforms, Literal(True)) in report
    code, stdout, _ = _run(capsys, "validate", out / "graph.ttl")
    assert code == 0 and "conforms" in stdout


def test_whole_runs_do_not_depend_on_hash_seed_or_input_order(sample_output, tmp_path):
    reference, _ = sample_output
    files = sorted((ROOT / "articles").glob("*.txt"))
    for seed, inputs in (("7", files[::-1]), ("12345", [ROOT / "articles"])):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-m", "etl", "run", *map(str, inputs), "--out", str(out)], env=env, capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        for name in ("graph.ttl", "graph.trig", "validation.ttl"):
            assert (out / name).read_bytes() == (reference / name).read_bytes(), (seed, name)


def test_bad_files_are_reported_one_line_each_and_the_batch_goes_on(sample_copy, tmp_path, capsys):
    (sample_copy / "empty.txt").write_bytes(b"")
    (sample_copy / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    shutil.copy(sample_copy / "000_675f5c807e68a90c.txt", sample_copy / "zz_copy.txt")
    code, stdout, stderr = _run(capsys, "run", sample_copy, "--out", tmp_path / "out")
    assert code == 4, "partial: the graph is written, but files were skipped"
    lines = [line for line in stderr.splitlines() if line.startswith("newskg: skipped")]
    assert len(lines) == 2
    assert any("empty.txt: empty file" in line for line in lines)
    assert any("picture.txt: binary file" in line for line in lines)
    assert "articles: 5 read, 2 skipped" in stdout
    assert f"read once: {sample_copy / 'zz_copy.txt'}: same text as {sample_copy / '000_675f5c807e68a90c.txt'}" in stdout
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_non_conforming_data_leaves_the_previous_graph(sample_copy, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert _run(capsys, "run", sample_copy, "--out", out)[0] == 0
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig")}
    strict = tmp_path / "strict-shapes.ttl"
    strict.write_text(
        resources.shapes_file().read_text(encoding="utf-8").replace("sh:path nkg:participant ; sh:minCount 2", "sh:path nkg:participant ; sh:minCount 9"),
        encoding="utf-8",
    )
    monkeypatch.setattr(resources, "shapes_file", lambda: strict)
    code, stdout, _ = _run(capsys, "run", sample_copy, "--out", out)
    assert code == 1
    assert "SHACL: does not conform" in stdout and "at least two participants" in stdout
    assert {name: (out / name).read_bytes() for name in before} == before
    report = Graph().parse(out / "validation.ttl")
    assert (None, SH.conforms, Literal(False)) in report


def test_no_readable_article_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, stderr = _run(capsys, "run", tmp_path / "empty.txt", "--out", tmp_path / "out")
    assert code == 2
    assert "no article could be read" in stderr
    assert not (tmp_path / "out").exists()


def test_validate_exit_codes(tmp_path, capsys):
    code, stdout, _ = _run(capsys, "validate", SHAPES_FIXTURES / "MeetingShape.invalid.ttl")
    assert code == 1 and "does not conform" in stdout and "at least two participants" in stdout
    report = tmp_path / "report.ttl"
    assert _run(capsys, "validate", SHAPES_FIXTURES / "MeetingShape.valid.ttl", "--report", report)[0] == 0
    assert (None, SH.conforms, Literal(True)) in Graph().parse(report)
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    code, _, stderr = _run(capsys, "validate", broken)
    assert code == 2 and "broken.ttl: not valid Turtle" in stderr
    code, _, stderr = _run(capsys, "validate", tmp_path / "missing.ttl")
    assert code == 2 and "missing.ttl: no such file" in stderr


def test_query_prints_a_table_or_csv(sample_output, capsys):
    out, _ = sample_output
    code, stdout, _ = _run(capsys, "query", ROOT / "queries" / "articles.rq", "--graph", out / "graph.ttl")
    assert code == 0
    assert stdout.splitlines()[0].split()[:3] == ["article", "source", "published"]
    assert "(5 rows)" in stdout
    code, stdout, _ = _run(capsys, "query", "SELECT ?s WHERE { ?s a <https://w3id.org/newskg/ns#Meeting> }", "--graph", out / "graph.ttl", "--format", "csv")
    rows = list(csv.reader(io.StringIO(stdout)))
    assert code == 0 and rows[0] == ["s"] and len(rows) > 1
    assert all(row[0].startswith("https://w3id.org/newskg/id/meeting/") for row in rows[1:])


def test_a_bundled_query_runs_by_name_from_any_folder(sample_output, capsys, tmp_path, monkeypatch):
    out, _ = sample_output
    monkeypatch.chdir(tmp_path)
    by_name = _run(capsys, "query", "meetings", "--graph", out / "graph.ttl", "--format", "csv")
    by_file = _run(capsys, "query", ROOT / "queries" / "meetings.rq", "--graph", out / "graph.ttl", "--format", "csv")
    assert by_name[0] == 0 and by_name == by_file
    assert len(list(csv.reader(io.StringIO(by_name[1])))) > 1
    code, stdout, _ = _run(capsys, "query", "ASK { ?s a <https://w3id.org/newskg/ns#ArmsTransferClaim> }", "--graph", out / "graph.ttl")
    assert (code, stdout.strip()) == (0, "true")


def test_query_errors(sample_output, tmp_path, capsys):
    out, _ = sample_output
    code, _, stderr = _run(capsys, "query", "SELEKT nothing", "--graph", out / "graph.ttl")
    assert code == 2 and "not valid SPARQL" in stderr
    code, _, stderr = _run(capsys, "query", "SELECT * WHERE { ?s ?p ?o }", "--graph", tmp_path / "none.ttl")
    assert code == 2 and "none.ttl: no such graph file" in stderr


@pytest.mark.parametrize("command", [[], ["run"], ["link"], ["publish"], ["validate"], ["query"], ["evaluate"], ["report"], ["docs"]])
def test_every_help_ends_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    lines = capsys.readouterr().out.rstrip().splitlines()
    assert lines[-2] == "example:" and lines[-1].startswith("  newskg ")


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--no-such-option"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2


def test_module_entry_point_documents_exit_codes():
    result = subprocess.run([sys.executable, "-m", "etl", "--help"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "exit codes:" in result.stdout and "1  the data does not conform" in result.stdout


def test_an_unwritable_output_folder_is_a_runtime_error(sample_copy, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    code, _, stderr = _run(capsys, "run", sample_copy, "--out", blocker)
    assert code == 3
    assert stderr.strip().splitlines()[-1].startswith(f"newskg: {blocker}")
    assert blocker.read_text(encoding="utf-8").startswith("a file where")
