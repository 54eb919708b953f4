"""German (and English caption) date expressions, resolved against the publication date.

Every date has a precision: a fixed day ("13. September 2023", "am Mittwoch" under a
day-precise publication date), a month ("Ende Juli", "im vergangenen September") or a year
("im Jahr 2000", "im Sommer 2023"). A weekday under a month-precise publication date gives
the month; a relative date without a publication date is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from etl.datapack import DateRules
from etl.extract.text import Sentence
from etl.model import DateValue, Precision


@dataclass(frozen=True, slots=True)
class DateMention:
    value: DateValue
    start: int
    end: int
    sentence: int
    relative: bool
    since: bool = False  # "seit April 2019": when something began, not when it happened


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A date expression before resolution: what the words fix, and how to complete it."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    direction: int = 0  # -1 the last such before publication, +1 the next after it, 0 by tense
    offset_days: int | None = None
    offset_weeks: int | None = None
    offset_years: int | None = None  # from the publication date
    later: int | None = None  # years after the last date the text named
    year_only: bool = False


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _grammar(rules: DateRules) -> re.Pattern[str]:
    month = _alternation(rules.months)
    weekday = _alternation(rules.weekdays)
    modifier = _alternation([*rules.past, *rules.future])
    part = _alternation(rules.month_parts)
    season = _alternation(rules.seasons)
    # "Gestern" opens a sentence as often as "gestern" ends one; "Morgen" is mostly the morning
    rel_day = _alternation([*rules.relative_days, *(w.capitalize() for w in rules.relative_days if w != "morgen")])
    rel_week = _alternation(rules.relative_weeks)
    rel_year = _alternation([*rules.relative_years, *(w[:1].upper() + w[1:] for w in rules.relative_years)])
    later = _alternation([*rules.later_years, *(w[:1].upper() + w[1:] for w in rules.later_years)])
    day_part = _alternation(rules.day_parts) or "(?!x)x"
    year = r"(?:19|20)\d{2}"
    # every expression begins a word: the leading \b lets the engine leave the inside of words at once
    return re.compile(
        r"\b(?:"
        rf"(?P<numeric>(?P<nd>\d{{1,2}})\.\s?(?P<nm>\d{{1,2}})\.\s?(?P<ny>{year}))(?!\d)"
        rf"|(?P<iso>(?P<iy>{year})-(?P<im>\d{{2}})-(?P<id>\d{{2}}))(?!\d)"
        rf"|(?:(?P<wd>{weekday}),?\s+(?:(?:den|dem|der|the)\s+)?)?(?P<dd>\d{{1,2}})\.\s*(?P<dm>{month})\b\.?(?:\s+(?P<dy>{year})(?!\d))?"
        rf"|(?P<ed>\d{{1,2}})\s+(?P<em>{month})\b(?:,?\s+(?P<ey>{year}))(?!\d)"
        rf"|(?P<fm>{month})\s+(?P<fd>\d{{1,2}}),\s+(?P<fy>{year})(?!\d)"
        rf"|(?:(?P<part>{part})\s+)?(?:(?P<mod>{modifier})\s+)?(?P<mm>{month})\b(?:\s+(?P<my>{year})(?!\d)|\s+(?P<mlater>{later})\b|\s+(?P<mrel>{rel_year})\b)?"
        rf"|(?P<season>{season})\s+(?P<sy>{year})(?!\d)"
        rf"|(?P<yp>(?:im\s+Jahre?|Jahr|seit|bis|ab|von|vor|nach|um|zwischen|Anfang|Mitte|Ende|Im\s+Jahre?|Seit|Bis|Ab|Von|Vor|Nach|Anfang|Mitte|Ende)\s+)?(?P<yy>{year})(?![\d.,-]\d|\d|er)(?P<ynoun>\s+[A-ZÄÖÜ])?"
        rf"|(?P<ly>{later})\b"
        rf"|(?P<ry>{rel_year})\b"
        rf"|(?:(?P<wmod>{modifier})\s+|am\s+|an\s+diesem\s+|(?P<wamod>am\s+(?:{modifier}))\s+)?(?P<wk>{weekday})(?:{day_part})?\b"
        rf"|(?P<rw>{rel_week})\b"
        rf"|\b(?P<rd>{rel_day})\b"
        r")"
    )


_MONTH_CUES = ("im", "Im", "seit", "Seit", "bis", "Bis", "vom", "Vom", "ab", "Ab", "zum", "in", "In", "des", "diesen", "für", "Für", "ihren", "im vergangenen")


# The tense that decides whether a weekday or month lies ahead is the one of the date's own
# clause: "Sie werden dort anknüpfen, wo sie im Oktober aufgehört haben" speaks of a past October.
_CLAUSE = re.compile(r"[,;:–—]|\b(?:dass|wo|als|weil|nachdem|während|wenn|bevor)\b")


def _clause_of(text: str, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    begin = max((m.end() for m in _CLAUSE.finditer(text, sentence.start, start)), default=sentence.start)
    stop = _CLAUSE.search(text, end, sentence.end)
    return begin, stop.start() if stop else sentence.end


def _expressions(text: str, sentences: tuple[Sentence, ...], rules: DateRules) -> Iterator[tuple[Sentence, re.Match[str], _Parsed]]:
    """Every date expression of the sentences, in text order, with what its words fix."""
    grammar = _grammar(rules)
    for sentence in sentences:
        for match in grammar.finditer(text, sentence.start, sentence.end):
            parsed = _parse(match, text, rules)
            if parsed is not None:
                yield sentence, match, parsed


def _in_future(text: str, sentence: Sentence, match: re.Match[str], rules: DateRules) -> bool:
    return bool(rules.future_tense.search(text, *_clause_of(text, sentence, match.start(), match.end())))


def find_dates(text: str, sentences: tuple[Sentence, ...], published: DateValue | None, rules: DateRules) -> tuple[DateMention, ...]:
    """Every date expression in the sentences that can be resolved, in text order."""
    found: list[DateMention] = []
    for sentence, match, parsed in _expressions(text, sentences, rules):
        if parsed.later is not None:
            value = _after_last(parsed, found)
        else:
            value = _resolve(parsed, published, _in_future(text, sentence, match, rules))
        if value is not None:
            relative = parsed.year is None and not (parsed.year_only and parsed.offset_years is None and parsed.later is None)
            since = _preceded_by(text, parsed.start, _SINCE)
            found.append(DateMention(value, parsed.start, parsed.end, sentence.index, relative, since))
    return tuple(found)


def _after_last(parsed: _Parsed, found: list[DateMention]) -> DateValue | None:
    """ "Ein Jahr später", "im September desselben Jahres": counted from the last date named."""
    if not found:
        return None
    year = found[-1].value.year + parsed.later
    try:
        return DateValue(year, parsed.month) if parsed.month else DateValue(year)
    except ValueError:
        return None


def _parse(m: re.Match[str], text: str, rules: DateRules) -> _Parsed | None:
    g = m.groupdict()
    months, weekdays = rules.months, rules.weekdays
    if g["numeric"]:
        return _Parsed(m.start(), m.end(), int(g["ny"]), int(g["nm"]), int(g["nd"]))
    if g["iso"]:
        return _Parsed(m.start(), m.end(), int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["dm"]:
        return _Parsed(m.start(), m.end(), _int(g["dy"]), months[g["dm"]], int(g["dd"]), weekdays.get(g["wd"] or ""))
    if g["em"]:
        return _Parsed(m.start(), m.end(), int(g["ey"]), months[g["em"]], int(g["ed"]))
    if g["fm"]:
        return _Parsed(m.start(), m.end(), int(g["fy"]), months[g["fm"]], int(g["fd"]))
    if g["mm"]:
        if not (g["my"] or g["part"] or g["mod"] or g["mlater"] or g["mrel"] or _preceded_by(text, m.start(), _MONTH_CUES)):
            return None  # a bare "August" may be a first name
        later = _lookup(rules.later_years, g["mlater"])
        offset = _lookup(rules.relative_years, g["mrel"])
        return _Parsed(m.start(), m.end(), _int(g["my"]), months[g["mm"]], direction=_direction(g["mod"], rules), later=later, offset_years=offset)
    if g["ly"]:
        return _Parsed(m.start(), m.end(), later=_lookup(rules.later_years, g["ly"]), year_only=True)
    if g["ry"]:
        return _Parsed(m.start(), m.end(), offset_years=_lookup(rules.relative_years, g["ry"]), year_only=True)
    if g["season"]:
        return _Parsed(m.start("season"), m.end(), int(g["sy"]), year_only=True)
    if g["yy"]:
        if g["ynoun"] and not g["yp"]:
            return None  # "2000 Soldaten" counts soldiers
        return _Parsed(m.start("yy") if not g["yp"] else m.start(), m.end("yy"), int(g["yy"]), year_only=True)
    if g["wk"]:
        modifier = g["wmod"] or (g["wamod"] or "").split()[-1] if (g["wmod"] or g["wamod"]) else None
        return _Parsed(m.start(), m.end(), weekday=weekdays[g["wk"]], direction=_direction(modifier, rules))
    if g["rw"]:
        return _Parsed(m.start(), m.end(), offset_weeks=rules.relative_weeks[g["rw"]])
    if g["rd"]:
        return _Parsed(m.start(), m.end(), offset_days=rules.relative_days[g["rd"].lower()])
    return None


def _lookup(table: dict[str, int], word: str | None) -> int | None:
    """A table value by the word as written or with a lower-case first letter ("Ein Jahr später")."""
    if not word:
        return None
    return table.get(word, table.get(word[:1].lower() + word[1:]))


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _direction(modifier: str | None, rules: DateRules) -> int:
    if modifier in rules.past:
        return -1
    if modifier in rules.future:
        return 1
    return 0


def _preceded_by(text: str, position: int, cues: tuple[str, ...]) -> bool:
    words = text[max(0, position - 30) : position].split()
    return bool(words) and (words[-1] in cues or " ".join(words[-2:]) in cues)


def _resolve(p: _Parsed, published: DateValue | None, future: bool) -> DateValue | None:
    try:
        if p.year_only and p.year is not None:
            return DateValue(p.year)
        if p.year is not None:
            return DateValue(p.year, p.month, p.day)
    except ValueError:
        return None  # "31. Februar 2023"
    if published is None:
        return None
    if p.offset_years is not None:
        year = published.year + p.offset_years
        return DateValue(year, p.month) if p.month else DateValue(year)
    if p.offset_days is not None or p.offset_weeks is not None:
        return _shifted(published, p.offset_days, p.offset_weeks)
    if p.weekday is not None and p.month is None:
        return _weekday(published, p.weekday, p.direction or (1 if future else -1))
    return _month_day(published, p, future)


def _shifted(published: DateValue, days: int | None, weeks: int | None) -> DateValue:
    if published.precision is not Precision.DAY:
        return published
    moved = published.first_day() + dt.timedelta(days=days or 0, weeks=weeks or 0)
    return DateValue.of(moved, Precision.DAY if days is not None else Precision.MONTH)


def _weekday(published: DateValue, weekday: int, direction: int) -> DateValue:
    if published.precision is not Precision.DAY:
        return published  # a weekday under a month-only date gives the month
    base = published.first_day()
    delta = (weekday - base.weekday()) % 7 if direction > 0 else -((base.weekday() - weekday) % 7)
    return DateValue.of(base + dt.timedelta(days=delta))


def _month_day(published: DateValue, p: _Parsed, future: bool) -> DateValue | None:
    """A month (and day) without a year: the year that puts it on the right side of publication."""
    year = published.year
    if published.month is not None:
        if p.direction < 0:  # "im vergangenen September": the last one before this month
            year -= p.month >= published.month
        elif p.direction > 0:  # "im kommenden März": the next one after this month
            year += p.month <= published.month
        elif future:
            year += (p.month, p.day or 99) < (published.month, published.day or 0)
        else:  # news reports the past: a later month than the publication's is last year's
            year -= p.month > published.month
    try:
        return DateValue(year, p.month, p.day)
    except ValueError:
        return None


_BOUNDS = ("bis", "ab", "Bis", "Ab")  # "bis 2030" and "ab 2026" name a limit, not a year looked back on
_SINCE = ("seit", "Seit", "since")


def weekday_year(parsed_weekday: int, month: int, day: int, reference_year: int) -> int | None:
    """The first year from the reference on in which the day of the month falls on that weekday."""
    for year in range(reference_year, reference_year + 12):
        try:
            if dt.date(year, month, day).weekday() == parsed_weekday:
                return year
        except ValueError:
            return None
    return None


def infer_publication(text: str, sentences: tuple[Sentence, ...], rules: DateRules) -> DateValue | None:
    """A publication date the article gives away: a weekday with a day and month but no year
    ("Dienstag, der 15. August") pins the year, counted from the latest year the text names."""
    pinned = []
    years = []
    for sentence, match, parsed in _expressions(text, sentences, rules):
        bound = _preceded_by(text, match.start(), _BOUNDS) or match.group(0).split()[0] in _BOUNDS
        if parsed.year is not None and not bound and not _in_future(text, sentence, match, rules):
            years.append(parsed.year)  # a year the article looks back on, not "bis 2030"
        elif parsed.weekday is not None and parsed.month and parsed.day:
            pinned.append(parsed)
    if not pinned or not years:
        return None
    first = pinned[0]
    year = weekday_year(first.weekday, first.month, first.day, max(years))
    return DateValue(year, first.month, first.day) if year else None


def estimate_publication(text: str, sentences: tuple[Sentence, ...], rules: DateRules) -> DateValue | None:
    """For an article that gives no date: the latest month it speaks of, to month precision.

    A month named without a year ("im Oktober", "Anfang Januar") is taken in the year that puts
    it nearest to the latest fully dated month named so far; sentences about the future and
    relative words ("vergangenen") are not counted. Without any fully dated expression there
    is no estimate.
    """
    anchor: DateValue | None = None
    latest: DateValue | None = None
    past = tuple(s for s in sentences if not rules.future_tense.search(text, s.start, s.end))
    for _, _, parsed in _expressions(text, past, rules):
        if parsed.year_only or parsed.month is None or parsed.direction:
            continue
        if parsed.year is not None:
            try:
                value = DateValue(parsed.year, parsed.month)
            except ValueError:
                continue  # "31.13.2023" is no date
            anchor = max(anchor, value) if anchor else value
        elif anchor is not None:
            value = min((DateValue(anchor.year + shift, parsed.month) for shift in (-1, 0, 1)), key=lambda v: abs(_months(v) - _months(anchor)))
        else:
            continue
        latest = max(latest, value) if latest else value
    return latest


def _months(date: DateValue) -> int:
    return date.year * 12 + (date.month or 1)
