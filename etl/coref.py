"""Cross-document coreference: a meeting or a named source's claim reported by several
articles becomes one fact, with every reporting article and every evidence span.

Meetings are the same when their participants belong to the same states, their dates agree at
the coarser precision and their places do not contradict each other; the fact takes the most
specific place, the most precise date, the persons (rather than states) named anywhere, and the
status the latest article reports (a meeting planned in one article and held in a later one
was held). Claims are the same when the claimant, stance, supplier and recipient agree and the
claim dates do not contradict each other; the fact takes the most precise date and all the
materiel. The author's own and unnamed sources' claims stay with their article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from etl.datapack import Registry, known_entities
from etl.extract.meetings import finer_place, persons_conflict, places_agree
from etl.model import (
    ArticleRecords,
    Attribution,
    Claim,
    DateValue,
    Meeting,
    MeetingStatus,
    Precision,
    merge_claims,
    merge_meetings,
)

_STATUS_RANK = {MeetingStatus.HELD: 2, MeetingStatus.ONGOING: 1, MeetingStatus.PLANNED: 0}


@dataclass
class _MeetingCluster:
    states: frozenset[str]
    date: DateValue
    place: str | None
    members: list[tuple[ArticleRecords, Meeting]] = field(default_factory=list)
    participants: dict[tuple[str, ...], None] = field(default_factory=dict)  # the members' participant lists, each once


@dataclass
class _ClaimCluster:
    key: tuple
    date: DateValue | None
    members: list[tuple[ArticleRecords, Claim]] = field(default_factory=list)


def corefer(records: Sequence[ArticleRecords], registry: Registry) -> list[ArticleRecords]:
    """The records with each meeting and named claim replaced by the fact all its reports share."""
    known = known_entities(registry, records)
    meetings = _canonical_meetings(records, known)
    claims = _canonical_claims(records)
    out = []
    for record in records:
        out.append(
            replace(
                record,
                meetings=merge_meetings(meetings[id(m)] for m in record.meetings),
                claims=merge_claims(claims.get(id(c), c) for c in record.claims),
            )
        )
    return out


def _order(record: ArticleRecords) -> tuple:
    """Articles in content order, so the outcome does not depend on file names or order."""
    return (record.published.first_day() if record.published else DateValue(1).first_day(), record.article.key)


# ---------------------------------------------------------------- meetings


def _canonical_meetings(records: Sequence[ArticleRecords], known: Registry) -> dict[int, Meeting]:
    members = [(r, m) for r in records for m in r.meetings]
    members.sort(key=lambda rm: (-rm[1].date.precision.rank, rm[1].date.iso, _order(rm[0])))
    clusters: list[_MeetingCluster] = []
    # Meetings come most precise first, so every cluster so far is at least as precise as the
    # meeting at hand: the compatible ones are exactly those whose date, cut to the meeting's
    # precision, is the meeting's date. Each cluster is indexed under its date at every precision.
    alike: dict[tuple, list[_MeetingCluster]] = {}
    for record, meeting in members:
        states = known.states_of(meeting.participants)
        cluster = next(
            (
                c
                for c in alike.get((states, meeting.date), ())
                if places_agree(c.place, meeting.place, known.get)
                and not any(persons_conflict(participants, meeting.participants, known.get) for participants in c.participants)
            ),
            None,
        )
        if cluster is None:
            cluster = _MeetingCluster(states, meeting.date, meeting.place)
            clusters.append(cluster)
            for precision in Precision:
                if precision.rank <= meeting.date.precision.rank:
                    alike.setdefault((states, meeting.date.coarsen(precision)), []).append(cluster)
        cluster.place = finer_place(cluster.place, meeting.place, known.get)
        cluster.members.append((record, meeting))
        cluster.participants[meeting.participants] = None
    canonical: dict[int, Meeting] = {}
    for cluster in clusters:
        fact = _meeting_fact(cluster, known)
        for _, meeting in cluster.members:
            canonical[id(meeting)] = replace(fact, evidence=meeting.evidence)
    return canonical


def _meeting_fact(cluster: _MeetingCluster, known: Registry) -> Meeting:
    participants = known.without_represented_states({p for _, m in cluster.members for p in m.participants})
    date = max((m.date for _, m in cluster.members), key=lambda d: (d.precision.rank, d.iso))
    latest = max(cluster.members, key=lambda rm: (_order(rm[0]), _STATUS_RANK[rm[1].status]))
    return Meeting(tuple(sorted(participants)), cluster.place, date, latest[1].status, ())


# ---------------------------------------------------------------- claims


def _canonical_claims(records: Sequence[ArticleRecords]) -> dict[int, Claim]:
    members = [(r, c) for r in records for c in r.claims if c.attribution is Attribution.NAMED]
    members.sort(key=lambda rc: (-(rc[1].claim_date.precision.rank if rc[1].claim_date else -1), rc[1].claim_date.iso if rc[1].claim_date else "", _order(rc[0])))
    clusters: list[_ClaimCluster] = []
    alike: dict[tuple, list[_ClaimCluster]] = {}  # by key: only those can match
    for record, claim in members:
        key = (claim.claimant, claim.stance, claim.supplier, claim.recipient)
        candidates = alike.setdefault(key, [])
        cluster = next((c for c in candidates if c.date is None or claim.claim_date is None or c.date.compatible(claim.claim_date)), None)
        if cluster is None:
            cluster = _ClaimCluster(key, claim.claim_date)
            clusters.append(cluster)
            candidates.append(cluster)
        cluster.date = cluster.date or claim.claim_date
        cluster.members.append((record, claim))
    canonical: dict[int, Claim] = {}
    for cluster in clusters:
        ordered = sorted(cluster.members, key=lambda rc: _order(rc[0]))
        materiel = tuple(sorted({code for _, c in ordered for code in c.materiel}))
        quantity = next((c.quantity for _, c in ordered if c.quantity), None)
        for _, claim in cluster.members:
            canonical[id(claim)] = replace(claim, materiel=materiel, quantity=quantity, claim_date=cluster.date)
    return canonical
