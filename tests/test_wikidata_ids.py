"""Every Wikidata ID the project ships comes from a checked source: the verified reference registry
(actors.tsv, marked verified or corroborated) or, for the classes and properties linking uses,
wikidata_classes.tsv (each ID read beside its label in two or more public sources)."""

import re
from pathlib import Path

from etl.datapack import CLASSES_FILE, DEFAULT_DATA_DIR, LINKABLE_CONFIDENCE, REGISTRY_FILE, read_registry_rows, wikidata_terms

ROOT = Path(__file__).resolve().parent.parent
WIKIDATA_ID = re.compile(r"(?<![\w$])[PQ][1-9][0-9]*\b")
TEXT_SUFFIXES = {".py", ".ttl", ".trig", ".nt", ".rq", ".toml", ".tsv", ".csv", ".json", ".md", ".txt", ".yml", ".yaml", ".html", ".cfg"}
SKIPPED_DIRS = {".git", ".venv", "output", "__pycache__", ".pytest_cache", ".ruff_cache", ".newskg", "build", "dist"}


def checked_ids() -> set[str]:
    reference = {row["qid"] for row in read_registry_rows(DEFAULT_DATA_DIR / REGISTRY_FILE) if row["qid"] and row["confidence"] in LINKABLE_CONFIDENCE}
    return reference | set(wikidata_terms(DEFAULT_DATA_DIR / CLASSES_FILE).values())


def shipped_ids():
    """(file, line, ID) for every Wikidata ID in the repository's text files, less the evidence
    columns of the two source files (which quote the sources, wrong IDs included)."""
    for path in sorted(ROOT.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES or SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if path.name in (REGISTRY_FILE, CLASSES_FILE) and path.parent == DEFAULT_DATA_DIR:
                cells = line.split("\t")
                line = cells[1] if path.name == CLASSES_FILE and len(cells) > 1 else "\t".join(cells[1:2])
            for match in WIKIDATA_ID.finditer(line):
                yield path.relative_to(ROOT), number, match.group()


def test_every_shipped_wikidata_id_is_verified_or_corroborated():
    allowed = checked_ids()
    found = list(shipped_ids())
    assert len(found) > 300  # the scan sees the registry, the additions' state IDs, fixtures and tests
    unchecked = [f"{path}:{line}: {qid}" for path, line, qid in found if qid not in allowed]
    assert not unchecked, "Wikidata IDs from no checked source:\n" + "\n".join(unchecked)


def test_the_scan_would_catch_an_unchecked_id():
    made_up = "Q" + "987654321"  # built here, so that the scan of this file does not see it
    assert made_up not in checked_ids()
    line = f'owl:sameAs wd:{made_up} ; "P31" Q32024$5A1B-4C2D'
    assert [m.group() for m in WIKIDATA_ID.finditer(line)] == [made_up, "P31", "Q32024"]


def test_the_reference_links_only_verified_or_corroborated_rows():
    for row in read_registry_rows(DEFAULT_DATA_DIR / REGISTRY_FILE):
        assert not row["qid"] or row["confidence"] in LINKABLE_CONFIDENCE, row["name"]
