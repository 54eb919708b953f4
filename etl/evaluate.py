"""Score extracted records against gold annotations (the format of shared/gold/FORMAT.md).

- actors: the set of actors an article names, compared by registry entity (which is the
  Wikidata item where the registry has one);
- meetings: matched one to one when the participants belong to the same states and the dates
  agree at the coarser precision;
- claims: per article, the set of (claimant's state, stance, supplier's state, recipient's
  state), with `article` and `observers` standing for the author and unnamed sources;
- transfer relations: per article, the set of (supplier's state, recipient's state);
- stance accuracy and materiel overlap (Jaccard) on claims matched without or with the stance.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from etl.datapack import Registry, slug
from etl.errors import NewskgError
from etl.model import ArticleRecords, Attribution, DateValue

AUTHOR = "article"
UNNAMED = "observers"


class GoldError(NewskgError):
    """A gold file that cannot be read or names something the registry does not know."""


@dataclass(frozen=True)
class GoldMeeting:
    states: frozenset[str]
    participants: tuple[str, ...]
    date: DateValue | None
    status: str
    evidence: str


@dataclass(frozen=True)
class GoldClaim:
    claimant: str
    stance: str
    supplier: str
    recipient: str
    materiel: frozenset[str]
    evidence: str


@dataclass(frozen=True)
class GoldArticle:
    name: str
    published: DateValue | None
    actors: frozenset[str]
    meetings: tuple[GoldMeeting, ...]
    claims: tuple[GoldClaim, ...]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def of(cls, found: set, wanted: set) -> Score:
        """Found items that are wanted are hits, the others false alarms; wanted ones not found are misses."""
        return cls(len(found & wanted), len(found - wanted), len(wanted - found))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Ratio:
    hits: float = 0.0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class ArticleReport:
    name: str
    scores: dict[str, Score] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    scores: dict[str, Score]
    stance_accuracy: Ratio
    materiel_overlap: Ratio
    published_accuracy: Ratio
    articles: list[ArticleReport]
    unmatched: list[str]
    gold_unused: list[str]

    def summary(self) -> dict[str, float]:
        out = {}
        for kind, score in self.scores.items():
            out[f"{kind}_precision"] = round(score.precision, 4)
            out[f"{kind}_recall"] = round(score.recall, 4)
            out[f"{kind}_f1"] = round(score.f1, 4)
        out["stance_accuracy"] = round(self.stance_accuracy.value, 4)
        out["materiel_overlap"] = round(self.materiel_overlap.value, 4)
        out["published_accuracy"] = round(self.published_accuracy.value, 4)
        return out

    def to_json(self) -> str:
        return json.dumps(
            {
                "summary": self.summary(),
                "counts": {kind: vars(score) for kind, score in self.scores.items()},
                "articles": [
                    {"article": a.name, "f1": {k: round(s.f1, 4) for k, s in a.scores.items()}, "misses": a.misses, "false_alarms": a.false_alarms}
                    for a in self.articles
                ],
                "articles_without_gold": self.unmatched,
                "gold_without_article": self.gold_unused,
            },
            ensure_ascii=False,
            indent=2,
        )

    def render(self) -> str:
        lines = []
        for article in self.articles:
            f1s = "  ".join(f"{k} {s.f1:.2f}" for k, s in article.scores.items())
            lines.append(f"{article.name}: {f1s}")
            lines += [f"  miss: {m}" for m in article.misses]
            lines += [f"  false alarm: {f}" for f in article.false_alarms]
        if self.unmatched:
            lines.append("no gold file for: " + ", ".join(self.unmatched))
        if self.gold_unused:
            lines.append("no article for gold: " + ", ".join(self.gold_unused))
        lines.append("")
        lines.append(f"{'kind':<20} {'precision':>9} {'recall':>7} {'F1':>6}   tp  fp  fn")
        for kind, s in self.scores.items():
            lines.append(f"{kind:<20} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}  {s.tp:3d} {s.fp:3d} {s.fn:3d}")
        lines.append(f"{'stance accuracy':<20} {self.stance_accuracy.value:9.3f}   (on {self.stance_accuracy.total} claims matched without stance)")
        lines.append(f"{'materiel overlap':<20} {self.materiel_overlap.value:9.3f}   (Jaccard, on {self.materiel_overlap.total} matched claims)")
        lines.append(f"{'publication date':<20} {self.published_accuracy.value:9.3f}   (exact, on {self.published_accuracy.total} articles)")
        return "\n".join(lines)


# ---------------------------------------------------------------- reading gold


def load_gold(folder: Path, registry: Registry) -> dict[str, GoldArticle]:
    folder = Path(folder)
    files = sorted(folder.glob("*.json"))
    if not files:
        raise GoldError(f"{folder}: no gold files (expected *.json in the format of FORMAT.md)")
    gold = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            article = _gold_article(data, registry)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise GoldError(f"{path}: not a gold annotation ({type(err).__name__}: {err})") from None
        gold[article.name] = article
    return gold


def _key(name: str, registry: Registry) -> str:
    """The registry key of a gold name; a name the registry does not know is compared as the
    key a person introduced by the article would get."""
    if name in (AUTHOR, UNNAMED):
        return name
    try:
        return registry.by_name(name).key
    except NewskgError:
        return slug(name)


def _state(key: str, registry: Registry) -> str:
    if key in (AUTHOR, UNNAMED) or key not in registry.entities:
        return key
    return registry.state_of(key) or key


def _date(value: str | None) -> DateValue | None:
    return DateValue.from_iso(value) if value else None


def _gold_article(data: dict, registry: Registry) -> GoldArticle:
    meetings = []
    for meeting in data.get("meetings", []):
        keys = tuple(_key(p, registry) for p in meeting["participants"])
        meetings.append(GoldMeeting(frozenset(_state(k, registry) for k in keys), keys, _date(meeting.get("date")), meeting["status"], meeting.get("evidence", "")))
    claims = []
    for claim in data.get("claims", []):
        claims.append(
            GoldClaim(
                _state(_key(claim["claimant"], registry), registry),
                claim["stance"],
                _state(_key(claim["supplier"], registry), registry),
                _state(_key(claim["recipient"], registry), registry),
                frozenset(claim.get("materiel", [])),
                claim.get("evidence", ""),
            )
        )
    return GoldArticle(
        name=data["article"],
        published=_date(data.get("published")),
        actors=frozenset(_key(a, registry) for a in data.get("actors", [])),
        meetings=tuple(meetings),
        claims=tuple(claims),
    )


# ---------------------------------------------------------------- scoring


def evaluate(records: Sequence[ArticleRecords], gold: dict[str, GoldArticle], registry: Registry) -> Evaluation:
    totals = {kind: Score() for kind in ("actors", "meetings", "claims", "transfers")}
    stance, materiel, published = Ratio(), Ratio(), Ratio()
    reports = []
    unmatched = []
    for record in sorted(records, key=lambda r: r.article.source):
        expected = gold.get(record.article.source)
        if expected is None:
            unmatched.append(record.article.source)
            continue
        report = ArticleReport(record.article.source)
        known = registry.extended(record.entities)
        report.scores["actors"] = _actors(record, expected, known, report)
        report.scores["meetings"] = _meetings(record, expected, known, report)
        report.scores["claims"], report.scores["transfers"] = _claims(record, expected, known, report, stance, materiel)
        for kind, score in report.scores.items():
            totals[kind].add(score)
        published.total += 1
        published.hits += record.published == expected.published
        if record.published != expected.published:
            report.misses.append(f"publication date {expected.published} (read {record.published})")
        reports.append(report)
    scored = {report.name for report in reports}
    gold_unused = sorted(name for name in gold if name not in scored)
    return Evaluation(totals, stance, materiel, published, reports, unmatched, gold_unused)


def predicted_actors(record: ArticleRecords, registry: Registry) -> set[str]:
    return {m.entity for m in record.mentions if registry.get(m.entity).kind.is_actor}


def _actors(record: ArticleRecords, expected: GoldArticle, registry: Registry, report: ArticleReport) -> Score:
    found = predicted_actors(record, registry)
    first = {}
    for mention in record.mentions:
        first.setdefault(mention.entity, mention.evidence.quote)
    report.misses += [f"actor {_names([k], registry)}" for k in sorted(expected.actors - found)]
    report.false_alarms += [f"actor {_names([k], registry)} («{first[k]}»)" for k in sorted(found - expected.actors)]
    return Score.of(found, expected.actors)


def _meetings(record: ArticleRecords, expected: GoldArticle, registry: Registry, report: ArticleReport) -> Score:
    predicted = [(frozenset(_state(p, registry) for p in m.participants), m) for m in record.meetings]
    free = list(range(len(predicted)))
    score = Score()
    for gold in expected.meetings:
        match = next(
            (i for i in free if predicted[i][0] == gold.states and (gold.date is None or predicted[i][1].date.compatible(gold.date))),
            None,
        )
        if match is None:
            score.fn += 1
            report.misses.append(f"meeting {_names(gold.participants, registry)} {gold.date} {gold.status} («{gold.evidence}»)")
        else:
            score.tp += 1
            free.remove(match)
    for i in free:
        meeting = predicted[i][1]
        score.fp += 1
        report.false_alarms.append(
            f"meeting {_names(meeting.participants, registry)} {meeting.date} {meeting.status.value} («{meeting.evidence[0].quote}»)"
        )
    return score


def _names(keys: Iterable[str], registry: Registry) -> str:
    return " + ".join(registry.get(k).name if k in registry.entities else k for k in keys)


def _claim_tuple(claim, registry: Registry) -> tuple[str, str, str, str]:
    if claim.attribution is Attribution.AUTHOR:
        claimant = AUTHOR
    elif claim.attribution is Attribution.UNNAMED:
        claimant = UNNAMED
    else:
        claimant = _state(claim.claimant, registry)
    return claimant, claim.stance.value, _state(claim.supplier, registry), _state(claim.recipient, registry)


def _claims(record, expected: GoldArticle, registry: Registry, report: ArticleReport, stance: Ratio, materiel: Ratio) -> tuple[Score, Score]:
    found: dict[tuple, set[str]] = {}
    quotes: dict[tuple, str] = {}
    for claim in record.claims:
        key = _claim_tuple(claim, registry)
        found.setdefault(key, set()).update(claim.materiel)
        quotes.setdefault(key, claim.evidence[0].quote)
    wanted: dict[tuple, set[str]] = {}
    gold_quotes: dict[tuple, str] = {}
    for claim in expected.claims:
        key = (claim.claimant, claim.stance, claim.supplier, claim.recipient)
        wanted.setdefault(key, set()).update(claim.materiel)
        gold_quotes.setdefault(key, claim.evidence)
    for key in sorted(set(wanted) - set(found)):
        report.misses.append(f"claim {_claim_text(key, registry)} («{gold_quotes[key]}»)")
    for key in sorted(set(found) - set(wanted)):
        report.false_alarms.append(f"claim {_claim_text(key, registry)} («{quotes[key]}»)")
    for key in set(found) & set(wanted):
        materiel.total += 1
        materiel.hits += len(found[key] & wanted[key]) / len(found[key] | wanted[key]) if found[key] | wanted[key] else 1.0
    found_without_stance = {(c, s, r) for c, _, s, r in found}
    for claimant, gold_stance, supplier, recipient in wanted:
        if (claimant, supplier, recipient) in found_without_stance:
            stance.total += 1
            stance.hits += (claimant, gold_stance, supplier, recipient) in found
    claims = Score.of(set(found), set(wanted))
    transfers = Score.of({(k[2], k[3]) for k in found}, {(k[2], k[3]) for k in wanted})
    return claims, transfers


def _claim_text(key: tuple[str, str, str, str], registry: Registry) -> str:
    claimant, stance, supplier, recipient = key
    return f"{_names([claimant], registry)} {stance} {_names([supplier], registry)} → {_names([recipient], registry)}"
