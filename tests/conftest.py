from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from wikidata_fake import FakeWikidata

from etl.datapack import load_datapack
from etl.extract import extract
from etl.model import ArticleRecords
from etl.pipeline import RunConfig, Vocabulary, run
from etl.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "articles"


@pytest.fixture(autouse=True)
def private_newskg_home(tmp_path_factory, monkeypatch):
    """The CLI keeps its Wikidata cache and local registry under $NEWSKG_HOME: never the checkout's."""
    monkeypatch.setenv("NEWSKG_HOME", str(tmp_path_factory.mktemp("newskg-home")))
    monkeypatch.delenv("NEWSKG_WIKIDATA_API", raising=False)
    monkeypatch.delenv("NEWSKG_CONTACT", raising=False)


@pytest.fixture
def fake():
    """The local stand-in for Wikidata's API (tests/wikidata_fake.py), on a free loopback port."""
    with FakeWikidata() as server:
        yield server


@pytest.fixture(scope="session")
def pack():
    return load_datapack()


@pytest.fixture(scope="session")
def vocabulary():
    return Vocabulary.load()


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory):
    """One run of the pipeline over the bundled sample corpus."""
    out = tmp_path_factory.mktemp("sample-output")
    result = run(RunConfig((str(ARTICLES),), out))
    return out, result


@pytest.fixture
def read_text(tmp_path, pack):
    """Read a German text (written to a temporary .txt file) as an article."""

    def reader(text: str, *, date: str | None = "2023-09-14", name: str = "article.txt"):
        path = tmp_path / name
        path.write_text((f" date {date} " if date else "") + text, encoding="utf-8")
        items = list(read_sources([str(path)], pack))
        assert len(items) == 1, items
        return items[0]

    return reader


@pytest.fixture
def extract_text(read_text, pack):
    """Extract records from a German text with a publication date header."""

    def extractor(text: str, *, date: str | None = "2023-09-14", name: str = "article.txt") -> ArticleRecords:
        return extract(read_text(text, date=date, name=name), pack)

    return extractor


@pytest.fixture
def sample_copy(tmp_path):
    target = tmp_path / "articles"
    shutil.copytree(ARTICLES, target)
    return target
