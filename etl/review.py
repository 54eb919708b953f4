"""Links for people to review: a CSV of every entity's link (or why it has none) that OpenRefine can
reconcile, and the way reviewed IDs come back into a local registry file that overrides the pack's.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from etl.datapack import ADDITIONS_FILE, REGISTRY_COLUMNS, REGISTRY_FILE, REVIEWED, LinkRules, Registry, read_registry_rows
from etl.errors import NewskgError
from etl.mapping import entity_iri
from etl.model import Candidate, EntityKind, LinkDecision, LinkStatus

LINK_COLUMNS = (
    "newskg_id", "name", "label_de", "type", "wikidata_type", "state", "state_qid",
    "status", "qid", "confidence", "score", "date", "candidates",
)
NEEDS_REVIEW = frozenset({LinkStatus.AMBIGUOUS, LinkStatus.NO_MATCH, LinkStatus.NOT_LOOKED_UP})
QID_COLUMNS = ("qid", "wikidata", "wikidata_id", "wikidata id", "wikidata_qid", "id")
_QID_IN = re.compile(r"^(?:wd:|https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$")


class ReviewFileError(NewskgError):
    """A reviewed CSV cannot be read or names entities or IDs that do not exist."""


def write_links_csv(decisions: Iterable[LinkDecision], registry: Registry, rules: LinkRules, *, only_review: bool = False) -> bytes:
    """One row per entity: its link, or its candidates and why none was taken. The `name` column is
    the one to reconcile in OpenRefine, against `wikidata_type`, with `state_qid` as the country."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LINK_COLUMNS)
    for decision in sorted(decisions, key=lambda d: d.entity):
        if only_review and decision.status not in NEEDS_REVIEW:
            continue
        entity = registry.get(decision.entity)
        state = registry.get(entity.state) if entity.state and entity.state in registry.entities else None
        classes = rules.types.get(entity.kind, ())
        writer.writerow([
            str(entity_iri(entity.key)), entity.name, entity.label_de, entity.kind.value, classes[0] if classes else "",
            state.name if state else "", (state.wikidata or "") if state else "",
            decision.status.value, decision.qid or "", decision.confidence or "",
            "" if decision.score is None else f"{decision.score:.3f}", decision.date or "", _candidates(decision.candidates),
        ])
    return buffer.getvalue().encode("utf-8")


def _candidates(candidates: Iterable[Candidate]) -> str:
    parts = []
    for c in candidates:
        note = " type mismatch" if c.type_fit == 0.0 else ""
        parts.append(f"{c.qid} {c.label} ({c.score:.2f}{note})")
    return "; ".join(parts)


# ---------------------------------------------------------------- import


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # row: reason


def import_reviewed(reviewed: Path, local_registry: Path, registry: Registry, pack_dir: Path, today: str) -> tuple[ImportResult, bytes]:
    """Merge the reviewed IDs of a CSV (an export of `newskg link`, or any CSV with a name or
    newskg_id column and a QID column) into the local registry's rows; returns what changed and
    the new file. Rows an export marks as linked already (registry, online) are not taken: only a
    person's review makes an ID "reviewed"."""
    columns, rows = _read_reviewed(reviewed)
    result = ImportResult()
    if not rows:
        return result, b""
    qid_column = _qid_column(columns, reviewed)
    pack_rows = {row["name"]: row for name in (REGISTRY_FILE, ADDITIONS_FILE) if (pack_dir / name).exists() for row in read_registry_rows(pack_dir / name)}
    local_rows = {row["name"]: row for row in read_registry_rows(local_registry)} if local_registry.exists() else {}
    by_iri = {str(entity_iri(key)): entity for key, entity in registry.entities.items()}
    state_qids = {e.wikidata for e in registry.entities.values() if e.kind is EntityKind.STATE and e.wikidata}
    owner = {e.wikidata: e.name for e in registry.entities.values() if e.wikidata}
    for number, row in enumerate(rows, start=2):
        value = row[qid_column].strip()
        qid = _qid(value)
        if not value:
            continue
        if qid is None:
            result.skipped.append(f"line {number}: {value!r} is not a Wikidata item ID (expected Q… or its URL)")
            continue
        if row.get("status") in (LinkStatus.REGISTRY.value, LinkStatus.ONLINE.value):
            continue  # linked already, not reviewed
        entity = by_iri.get(row.get("newskg_id", "").strip()) or (registry.entities.get(registry.names[row["name"]]) if row.get("name") in registry.names else None)
        name = entity.name if entity else row.get("name", "").strip()
        base = local_rows.get(name) or pack_rows.get(name) or _new_row(row, entity, registry)
        problem = _problem(name, qid, base, owner, state_qids)
        if problem:
            result.skipped.append(f"line {number}: {problem}")
            continue
        if base["qid"] == qid and base["confidence"] in ("verified", "corroborated", REVIEWED):
            result.unchanged.append(name)
            continue
        (result.updated if name in local_rows or name in pack_rows else result.added).append(name)
        local_rows[name] = {**base, "qid": qid, "confidence": REVIEWED, "evidence": f"reviewed: imported from {reviewed.name} on {today}"}
        owner[qid] = name
    return result, _registry_tsv(local_rows.values())


def _problem(name: str, qid: str, row: dict[str, str], owner: dict[str, str], state_qids: set[str]) -> str | None:
    """Why a reviewed row cannot enter the registry, if it cannot."""
    if not name:
        return f"no newskg_id or name to say whose ID {qid} is"
    if owner.get(qid, name) != name:
        return f"{qid} is already the ID of {owner[qid]!r}; one Wikidata item stands for one actor"
    if row["type"] not in {kind.value for kind in EntityKind}:
        return f"type {row['type']!r} of {name!r} is not one of {', '.join(kind.value for kind in EntityKind)}"
    if row["country_qid"] and row["type"] != EntityKind.STATE.value and row["country_qid"] not in state_qids:
        return f"state {row['country_qid']!r} of {name!r} is not the Wikidata ID of a registry state"
    return None


def _read_reviewed(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReviewFileError(f"{path}: no such file (expected a reviewed CSV, for example from `newskg link --export`)") from None
    except UnicodeDecodeError as err:
        raise ReviewFileError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); export the CSV as UTF-8") from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column: nothing to tell the delimiter by
    reader = csv.DictReader(io.StringIO(text), dialect=dialect, restval="")
    rows = [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
    return list(reader.fieldnames or []), rows


def _qid_column(columns: Iterable[str], path: Path) -> str:
    by_lower = {c.strip().lower(): c for c in columns}
    for wanted in QID_COLUMNS:
        if wanted in by_lower:
            return by_lower[wanted]
    raise ReviewFileError(f"{path}: no column of Wikidata IDs; expected one named {', '.join(QID_COLUMNS)}, found {', '.join(by_lower) or 'none'}")


def _qid(value: str) -> str | None:
    match = _QID_IN.match(value.strip())
    return match.group(1) if match else None


def _new_row(row: dict[str, str], entity, registry: Registry) -> dict[str, str]:
    """A registry row for an entity the pack does not list (a person an article introduced)."""
    name = entity.name if entity else row.get("name", "").strip()
    label = entity.label_de if entity else (row.get("label_de") or name).strip()
    kind = entity.kind.value if entity else (row.get("type") or "Person").strip()
    state = registry.get(entity.state).wikidata if entity and entity.state else row.get("state_qid", "").strip()
    aliases = "|".join(dict.fromkeys(filter(None, [label, name])))
    return {"name": name, "qid": "", "type": kind, "label_de": label, "aliases_de": aliases, "country_qid": state or "", "evidence": "", "confidence": ""}


def _registry_tsv(rows: Iterable[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\t".join(REGISTRY_COLUMNS) + "\n")
    for row in sorted(rows, key=lambda r: r["name"]):
        values = [" ".join(str(row.get(c) or "").split()) for c in REGISTRY_COLUMNS]  # no tab or newline may break a row
        buffer.write("\t".join(values) + "\n")
    return buffer.getvalue().encode("utf-8")
