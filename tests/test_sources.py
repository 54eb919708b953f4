import json
from pathlib import Path

import pytest

from etl.model import DateValue, SegmentKind, SourceFormat
from etl.sources import Skipped, html_text_view, read_sources

DATA = Path(__file__).parent / "data"
ARTICLES = Path(__file__).resolve().parent.parent / "articles"
BOILERPLATE = (
    "Ihr Browser ist veraltet",
    "Zum Hauptinhalt springen",
    "Jetzt abonnieren",
    "Lesen Sie auch",
    "Leave a Reply",
    "Your email address",
    "Akismet",
    "ARCHIVBILD",
    "EDITORIAL USE ONLY",
    "AFP/KCNA",
    "BotTalk",
)


def _articles(items):
    return [i for i in items if not isinstance(i, Skipped)]


def _skipped(items):
    return [i for i in items if isinstance(i, Skipped)]


def test_plain_text_header_date_and_headline(pack):
    article = _articles(read_sources([str(ARTICLES / "000_675f5c807e68a90c.txt")], pack))[0]
    assert article.fmt is SourceFormat.TEXT
    assert article.published == DateValue(2023, 7)
    assert article.headline == "Russischer Minister besucht Nordkorea : Um die Allianz zu erhalten"
    assert article.segments[0].kind is SegmentKind.HEADLINE
    assert article.original[article.segments[0].start : article.segments[0].end] == article.headline
    assert article.source == "000_675f5c807e68a90c.txt"


def test_dated_byline_refines_the_header_and_is_not_content(pack):
    article = _articles(read_sources([str(ARTICLES / "003_5d54c1231e2a2283.txt")], pack))[0]
    assert article.published == DateValue(2023, 9, 14)
    content = " ".join(article.text[s.start : s.end] for s in article.segments)
    assert "Jo Angerer" not in content


def test_without_header_the_first_content_line_is_the_headline(pack):
    article = _articles(read_sources([str(ARTICLES / "002_f6ebf1c77519c4e2.txt")], pack))[0]
    assert article.published is None
    assert article.headline == "Russland und Nordkorea"


def test_boilerplate_is_outside_every_segment_and_offsets_are_untouched(pack):
    articles = _articles(read_sources([str(ARTICLES)], pack))
    assert len(articles) == 5
    for article in articles:
        assert article.text is article.original
        for segment in article.segments:
            words = article.original[segment.start : segment.end]
            assert words == words.strip() and words
            assert not any(marker in words for marker in BOILERPLATE), (article.source, words)
    joined = "".join(ARTICLES.joinpath(a.source).read_text(encoding="utf-8") for a in articles)
    assert all(marker in joined for marker in ("Leave a Reply", "Lesen Sie auch", "Zum Hauptinhalt springen"))


def test_picture_caption_keeps_its_words_without_the_credit(pack):
    article = _articles(read_sources([str(ARTICLES / "003_5d54c1231e2a2283.txt")], pack))[0]
    captions = [article.text[s.start : s.end] for s in article.segments if s.kind is SegmentKind.CAPTION]
    assert captions == ["Kim Jong-un und Wladimir Putin am 13. September 2023 in Russland."]


def test_crlf_line_endings_keep_character_offsets(tmp_path, pack):
    text = " date 2023-09 Kim reist nach Russland\r\n\r\nKim Jong Un traf Wladimir Putin.\r\nLesen Sie auch: Anderes\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    article = _articles(read_sources([str(path)], pack))[0]
    bodies = [article.original[s.start : s.end] for s in article.segments]
    assert bodies == ["Kim reist nach Russland", "Kim Jong Un traf Wladimir Putin."]
    assert article.original == text


def test_html_main_text_and_metadata(pack):
    article = _articles(read_sources([str(DATA / "summit.html")], pack))[0]
    assert article.fmt is SourceFormat.HTML
    assert article.headline == "Putin empfängt Kim in Wladiwostok"
    assert article.published == DateValue(2023, 9, 13)
    assert article.url == "https://example.org/politik/putin-kim-gipfel"
    assert "Zum Hauptinhalt" not in article.text and "Cookies" not in article.text and "teaser" not in article.text
    assert "„Zusammenarbeit“ & Sicherheit" in article.text
    segments = [article.text[s.start : s.end] for s in article.segments]
    assert not any(s.startswith("Lesen Sie auch") for s in segments)


def test_html_evidence_offsets_point_into_the_html_file(pack):
    article = _articles(read_sources([str(DATA / "summit.html")], pack))[0]
    html_source = (DATA / "summit.html").read_text(encoding="utf-8")
    assert article.original == html_source
    start = article.text.index("Pjöngjang bestreitet")
    evidence = article.evidence(start, start + len("Pjöngjang bestreitet"))
    assert evidence.quote == "Pjöngjang bestreitet"
    assert html_source[evidence.start : evidence.end] == "Pj&ouml;ngjang bestreitet"
    start = article.text.index("Artilleriegranaten an")
    evidence = article.evidence(start, start + len("Artilleriegranaten an"))
    assert html_source[evidence.start : evidence.end] == "Artilleriegranaten</b> an"


def test_html_text_view_skips_scripts_and_decodes_entities():
    view = html_text_view('<p>A&amp;B<script>x="<p>"</script> &#8222;C&#x201C;</p>')
    text = "".join(view.chars)
    assert "A&B" in text and "„C“" in text and "x=" not in text


def test_jsonl_records_and_their_bad_lines(pack):
    items = list(read_sources([str(DATA / "feed.jsonl")], pack))
    articles, skipped = _articles(items), _skipped(items)
    assert [a.source for a in articles] == ["https://example.org/a1", "feed.jsonl#a2"]
    first = articles[0]
    assert first.fmt is SourceFormat.JSONL and first.published == DateValue(2023, 7, 27)
    assert first.headline == "Schoigu in Pjöngjang" and first.segments[0].kind is SegmentKind.HEADLINE
    assert not any(first.text[s.start : s.end].startswith("Lesen Sie auch") for s in first.segments)
    reasons = {s.source.rsplit(":", 1)[-1]: s.reason for s in skipped}
    assert "not valid JSON" in reasons["3"]
    assert 'no "text"' in reasons["4"]
    assert "'2023-13-01' is not an ISO date" in reasons["5"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (" date 2023-13 Kaputtes Datum\n\nText.".encode(), "header date '2023-13' is not a valid date"),
    ],
)
def test_unreadable_files_are_skipped_with_a_reason(tmp_path, pack, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Kim traf Putin in Wladiwostok.", encoding="utf-8")
    items = list(read_sources([str(path), str(good)], pack))
    assert len(_articles(items)) == 1, "the rest of the batch goes on"
    (skipped,) = _skipped(items)
    assert skipped.source == str(path) and reason in skipped.reason


def test_too_large_files_are_refused_with_the_limit(tmp_path, pack):
    path = tmp_path / "big.txt"
    path.write_text("Kim traf Putin. " * 1000, encoding="utf-8")
    (skipped,) = list(read_sources([str(path)], pack, max_bytes=1000))
    assert isinstance(skipped, Skipped) and "above the limit of 1,000 bytes" in skipped.reason


def test_windows_1252_text_is_read_with_a_warning(tmp_path, pack):
    path = tmp_path / "latin.txt"
    path.write_bytes("Pjöngjang bestreitet Waffenlieferungen an Rußland.".encode("cp1252"))
    (article,) = list(read_sources([str(path)], pack))
    assert "Pjöngjang" in article.text
    assert article.warnings and "decoded as Windows-1252" in article.warnings[0]


def test_folders_globs_and_missing_inputs(tmp_path, pack):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Kim traf Putin.", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text("Putin traf Kim.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    found = [a.source for a in read_sources([str(tmp_path)], pack)]
    assert found == ["b.txt", "a.txt"]
    globbed = [a.source for a in read_sources([str(tmp_path / "**" / "*.txt")], pack)]
    assert sorted(globbed) == ["a.txt", "b.txt"]
    (missing,) = list(read_sources([str(tmp_path / "nope.txt")], pack))
    assert isinstance(missing, Skipped) and missing.reason == "no such file or folder"
    (nothing,) = list(read_sources([str(tmp_path / "*.xml")], pack))
    assert nothing.reason == "the pattern matches no file"


def test_a_file_named_twice_is_read_once(tmp_path, pack):
    path = tmp_path / "a.txt"
    path.write_text("Kim traf Putin.", encoding="utf-8")
    assert len(list(read_sources([str(path), str(tmp_path)], pack))) == 1


def test_blank_lines_before_the_header_and_an_indented_dateline(tmp_path, pack):
    path = tmp_path / "indented.txt"
    path.write_text("\n\n date 2023-09-14 Gipfel im Osten\n\n   PJÖNGJANG (dpa) - Kim Jong Un empfing Schoigu.", encoding="utf-8")
    (article,) = _articles(read_sources([str(path)], pack))
    assert (article.published, article.headline) == (DateValue(2023, 9, 14), "Gipfel im Osten")
    body = next(s for s in article.segments if s.kind is SegmentKind.BODY)
    assert article.text[body.start : body.end].endswith("Kim Jong Un empfing Schoigu.")


def test_jsonl_text_may_hold_unicode_line_separators(tmp_path, pack):
    records = [
        {"id": "x1", "title": "Erster", "published": "2023-09-13", "text": "Kim\u2028Jong Un traf Putin.\u2029Zweiter Absatz."},
        {"id": "x2", "title": "Zweiter", "published": "2023-09-14", "text": "Noch ein Artikel."},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    articles = _articles(read_sources([str(path)], pack))
    assert [a.source for a in articles] == ["feed.jsonl#x1", "feed.jsonl#x2"]
    assert "Kim\u2028Jong Un traf Putin." in articles[0].text
    assert [a.published for a in articles] == [DateValue(2023, 9, 13), DateValue(2023, 9, 14)]


def test_an_impossible_header_date_is_named(tmp_path, pack):
    path = tmp_path / "feb.txt"
    path.write_text(" date 2023-02-30 Titel\n\nText.", encoding="utf-8")
    (skipped,) = _skipped(read_sources([str(path)], pack))
    assert "header date '2023-02-30' is not a valid date" in skipped.reason
