import datetime as dt
from array import array

import pytest

from etl import model
from etl.model import Article, DateValue, Precision, Segment, SegmentKind, SourceFormat, SourceMap, article_key, stable_hash


def test_iso_dates_carry_their_precision():
    assert DateValue.from_iso("2023-09-13").precision is Precision.DAY
    assert DateValue.from_iso("2023-09").precision is Precision.MONTH
    assert DateValue.from_iso("2023").precision is Precision.YEAR
    assert DateValue.from_iso("2023-09-13T10:15:00Z") == DateValue(2023, 9, 13)
    assert DateValue(2023, 9).iso == "2023-09"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-13", "month 13 is outside 1..12"),
        ("2023-02-30", "day is out of range for month"),
        ("23-09", "is not an ISO date"),
        ("September 2023", "is not an ISO date"),
        ("", "is not an ISO date"),
    ],
)
def test_malformed_dates_are_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        DateValue.from_iso(text)


def test_coarsen_and_compatibility_at_the_coarser_precision():
    day = DateValue(2023, 9, 13)
    assert day.coarsen(Precision.MONTH) == DateValue(2023, 9)
    assert day.coarsen(Precision.YEAR) == DateValue(2023)
    assert DateValue(2023, 9).coarsen(Precision.DAY) == DateValue(2023, 9)
    assert day.compatible(DateValue(2023, 9))
    assert day.compatible(DateValue(2023))
    assert not day.compatible(DateValue(2023, 10))
    assert DateValue.of(dt.date(2024, 1, 5), Precision.MONTH) == DateValue(2024, 1)


def test_keys_are_stable_and_ignore_whitespace_layout():
    # pinned: a key that changed between processes or versions would break every stored IRI
    assert stable_hash("a", 1) == "839e11a421d370be" != stable_hash("a", 2)
    assert len(stable_hash("x")) == 16
    assert article_key("Kim traf Putin.\r\n") == article_key("Kim  traf\nPutin.")
    assert article_key("Kim traf Putin.") != article_key("Putin traf Kim.")


def test_evidence_of_mapped_text_points_into_the_original():
    original = "<p>Kim &amp; Putin</p>"
    text = "Kim & Putin"
    starts = array("q", [3, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17])
    ends = array("q", [4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18])
    article = Article("k", "a.html", "a.html", SourceFormat.HTML, original, text, (Segment(0, 11, SegmentKind.BODY),), None, None, source_map=SourceMap(starts, ends))
    evidence = article.evidence(0, 5)
    assert evidence.quote == "Kim &"
    assert original[evidence.start : evidence.end] == "Kim &amp;"
    assert article.evidence(6, 11).suffix == ""
    assert article.evidence(6, 11).prefix == "Kim & "


def test_facts_with_one_identity_merge_and_pool_their_evidence():
    first, second = model.Evidence(10, 20, "traf Putin"), model.Evidence(40, 52, "Gipfel in Wl")
    meeting = model.Meeting(("kim-jong-un", "vladimir-putin"), "vladivostok", DateValue(2023, 9), model.MeetingStatus.HELD, (second,))
    other = model.Meeting(("kim-jong-un", "vladimir-putin"), None, DateValue(2023, 9), model.MeetingStatus.HELD, (first,))
    merged = model.merge_meetings([meeting, other, model.Meeting(meeting.participants, "vladivostok", DateValue(2023, 9), model.MeetingStatus.HELD, (first,))])
    assert [(m.place, m.evidence) for m in merged] == [("vladivostok", (first, second)), (None, (first,))]
    claim = model.Claim(model.Attribution.NAMED, "united-states", model.Stance.ASSERTS, "north-korea", "russia", ("missiles",), (second,))
    again = model.Claim(model.Attribution.NAMED, "united-states", model.Stance.ASSERTS, "north-korea", "russia", ("drones", "missiles"), (first,), model.Quantity("300 Raketen", 300))
    (pooled,) = model.merge_claims([claim, again])
    assert (pooled.materiel, pooled.evidence, pooled.quantity) == (("missiles", "drones"), (first, second), model.Quantity("300 Raketen", 300))
