"""`newskg docs`: the ontology rendered by pyLODE, every class and property on the page."""

from __future__ import annotations

import os
import subprocess
import sys

from rdflib import OWL, RDF, RDFS, Graph

from etl.cli import main
from etl.resources import ontology_file


def _terms(kind) -> set:
    return set(Graph().parse(ontology_file()).subjects(RDF.type, kind))


def test_docs_name_every_class_and_property(tmp_path, capsys):
    assert main(["docs", "--out", str(tmp_path / "docs")]) == 0
    page = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    ontology = Graph().parse(ontology_file())
    classes = _terms(OWL.Class)
    properties = _terms(OWL.ObjectProperty) | _terms(OWL.DatatypeProperty)
    assert len(classes) == 14
    for term in classes | properties:
        assert f'href="{term}"' in page or f">{term}<" in page, term
        labels = {label.language: str(label) for label in ontology.objects(term, RDFS.label)}
        assert labels["en"] in page, term
    assert f"wrote {tmp_path / 'docs' / 'index.html'}: 14 classes, {len(properties)} properties" in capsys.readouterr().out


def test_docs_are_the_same_bytes_whatever_the_hash_seed(tmp_path):
    for seed, folder in (("1", "a"), ("2", "b")):
        done = subprocess.run([sys.executable, "-m", "etl", "docs", "--out", str(tmp_path / folder)],
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # pyLODE's progress messages stay quiet
    assert (tmp_path / "a" / "index.html").read_bytes() == (tmp_path / "b" / "index.html").read_bytes()


def test_a_missing_ontology_is_a_usage_error(tmp_path, capsys):
    assert main(["docs", "--ontology", str(tmp_path / "nope.ttl"), "--out", str(tmp_path / "docs")]) == 2
    assert "nope.ttl: no such file (expected the ontology in Turtle)" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()
