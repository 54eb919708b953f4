"""German date expressions resolved against the publication date, each with its precision."""

import pytest

from etl.extract.dates import estimate_publication, find_dates, infer_publication
from etl.extract.text import split_sentences
from etl.model import DateValue, Precision


def _dates(read_text, pack, text, published):
    article = read_text(text, date=None)
    sentences = split_sentences(article, pack.text)
    pub = DateValue.from_iso(published) if published else None
    return [(article.text[d.start : d.end], d.value) for d in find_dates(article.text, sentences, pub, pack.dates)]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Das Treffen fand am 13. September 2023 statt.", "2024-01", DateValue(2023, 9, 13)),
        ("Der Vertrag wurde am 19.6.2024 unterzeichnet.", None, DateValue(2024, 6, 19)),
        ("They met on 19 October 2023 in Pyongyang.", None, DateValue(2023, 10, 19)),
        ("Das letzte Mal war Putin im Jahr 2000 in Nordkorea.", None, DateValue(2000)),
        ("Die Lieferungen begannen im Juli 2023.", None, DateValue(2023, 7)),
        ("Im Sommer 2023 begann der Austausch.", None, DateValue(2023)),
        ("Kim reiste am Mittwoch ab.", "2023-09-14", DateValue(2023, 9, 13)),
        ("Kim reiste am Mittwoch ab.", "2023-09", DateValue(2023, 9)),
        ("Die Gespräche werden am Freitag fortgesetzt.", "2023-08-15", DateValue(2023, 8, 18)),
        ("Kim war im vergangenen September in Russland.", "2024-01", DateValue(2023, 9)),
        ("Kim war im vergangenen September in Russland.", "2023-10-02", DateValue(2023, 9)),
        ("Schoigu kam Ende Juli nach Pjöngjang.", "2023-08-15", DateValue(2023, 7)),
        ("Anfang Januar berichtete das Weiße Haus.", "2024-01", DateValue(2024, 1)),
        ("Im Oktober hatte Washington gemeldet.", "2024-01", DateValue(2023, 10)),
        ("Im Februar beschuldigten die USA Nordkorea.", "2023-08-15", DateValue(2023, 2)),
        ("Der Besuch ist im kommenden März geplant.", "2023-09", DateValue(2024, 3)),
        ("Gestern traf Lawrow ein.", "2023-10-19", DateValue(2023, 10, 18)),
    ],
)
def test_dates_and_their_precision(read_text, pack, text, published, expected):
    found = _dates(read_text, pack, text, published)
    assert [value for _, value in found] == [expected], found


def test_precision_follows_the_words(read_text, pack):
    found = dict(_dates(read_text, pack, "Anfang Juli, am 27. Juli und im Jahr 2019.", "2023-08-01"))
    assert found["Anfang Juli"].precision is Precision.MONTH
    assert found["27. Juli"].precision is Precision.DAY
    assert found["im Jahr 2019"].precision is Precision.YEAR


def test_relative_dates_need_a_publication_date(read_text, pack):
    assert _dates(read_text, pack, "Kim reiste am Mittwoch ab, im vergangenen September.", None) == []


def test_counts_and_names_are_not_dates(read_text, pack):
    found = _dates(read_text, pack, "Nordkorea schickte 2000 Soldaten. August Hanning warnte. Das kostet 1500 Euro.", "2023-08")
    assert found == []


def test_weekday_with_day_and_month_pins_the_publication_year(read_text, pack):
    article = read_text("Am Dienstag, dem 15. August, gratulierte Putin. Im Jahr 2022 war das anders.", date=None)
    sentences = split_sentences(article, pack.text)
    assert infer_publication(article.text, sentences, pack.dates) == DateValue(2023, 8, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russland bereitet für dieses Jahr einen Besuch vor.", [DateValue(2024)]),
        ("Im vergangenen Jahr war das anders.", [DateValue(2023)]),
        ("Am Mittwochmittag war es so weit.", [DateValue(2024, 1, 17)]),
        ("Im Juli 2000 war Putin dort. Ein Jahr später kam Kim.", [DateValue(2000, 7), DateValue(2001)]),
        ("Im April 2019 trafen sie sich; im September desselben Jahres wieder.", [DateValue(2019, 4), DateValue(2019, 9)]),
    ],
)
def test_years_relative_to_publication_or_to_the_last_date(read_text, pack, text, expected):
    found = _dates(read_text, pack, text, "2024-01-17")
    assert [value for _, value in found] == expected, found


@pytest.mark.parametrize(
    "limit",
    ["Das Abkommen gilt bis 2030.", "Ab 2030 soll alles anders werden.", "Im Jahr 2031 wird Kim Moskau besuchen."],
)
def test_a_year_ahead_does_not_pin_the_publication_year(read_text, pack, limit):
    article = read_text("Am Dienstag, dem 15. August, traf Kim Schoigu. " + limit, date=None)
    assert infer_publication(article.text, split_sentences(article, pack.text), pack.dates) is None


def test_an_impossible_date_does_not_stop_the_estimate(read_text, pack):
    article = read_text("Am 31. Februar 2023 traf Kim Schoigu. Im Oktober 2023 sprach Lawrow.", date=None)
    assert estimate_publication(article.text, split_sentences(article, pack.text), pack.dates) == DateValue(2023, 10)
