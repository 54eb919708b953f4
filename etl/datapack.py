"""The domain data pack: registry, lexicons and rules as files under `etl/data/`.

A new domain is a new folder with the same files. This module reads and checks them once and
hands the extractor plain, typed objects with compiled patterns; nothing else reads `etl/data/`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

from etl.errors import DataPackError
from etl.model import ArticleRecords, DateValue, Entity, EntityKind, MentionForm

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
LINKABLE_CONFIDENCE = frozenset({"verified", "corroborated"})  # marks of the bundled reference that link
REVIEWED = "reviewed"  # the mark of an ID a person checked and imported into a local registry
REGISTRY_COLUMNS = ("name", "qid", "type", "label_de", "aliases_de", "country_qid", "evidence", "confidence")
_QID = re.compile(r"^Q[1-9][0-9]*$")


def slug(text: str) -> str:
    """A readable, stable IRI key: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    readable = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if readable:
        return readable
    canonical = unicodedata.normalize("NFC", " ".join(text.split())).casefold()  # a name in another script
    return "x-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


class CueSet:
    """A list of regex cues from the data pack, compiled into one alternation.

    Bounded cue sets only match whole words (no word character on either side).
    """

    def __init__(self, patterns: list[str] | tuple[str, ...], *, bounded: bool = True, ignore_case: bool = True):
        self.patterns = tuple(patterns)
        flags = re.IGNORECASE if ignore_case else 0
        body = "|".join(f"(?:{p})" for p in self.patterns) or r"(?!x)x"
        try:
            self.regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)" if bounded else body, flags)
        except re.error as err:
            raise DataPackError(f"a cue pattern does not compile: {err}") from err

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self.regex.search(text, pos, len(text) if endpos is None else endpos)

    def found_in(self, line: str) -> bool:
        """Whether some cue occurs in the line. In one alternation the engine would try the cues
        anchored at the start (`^…`) at every position; apart, they are tried once."""
        return bool(self._at_start.match(line) or self._anywhere.search(line))

    @cached_property
    def _at_start(self) -> re.Pattern[str]:
        return self._union([p for p in self.patterns if _anchored_at_start(p)])

    @cached_property
    def _anywhere(self) -> re.Pattern[str]:
        return self._union([p for p in self.patterns if not _anchored_at_start(p)])

    def _union(self, patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", self.regex.flags)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return self.regex.finditer(text, pos, len(text) if endpos is None else endpos)

    def __bool__(self) -> bool:
        return bool(self.patterns)


def _anchored_at_start(pattern: str) -> bool:
    """Whether a regex can only match at the start: it begins with ^ and has no | outside groups."""
    if not pattern.startswith("^"):
        return False
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return True


@dataclass(frozen=True, slots=True)
class AliasEntry:
    surface: str
    entity: str
    form: MentionForm


@dataclass(frozen=True, slots=True)
class Institution:
    """A bare institution noun and, per state, the registry entity it names there."""

    surfaces: frozenset[str]
    by_state: dict[str, str]


@dataclass(frozen=True, eq=False)
class Registry:
    entities: dict[str, Entity]
    aliases: tuple[AliasEntry, ...]
    media: frozenset[str]
    independent: frozenset[str]
    names: dict[str, str]
    institutions: tuple[Institution, ...] = ()
    family_name_first: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        by_surface: dict[str, list[AliasEntry]] = {}
        for alias in self.aliases:
            by_surface.setdefault(alias.surface, []).append(alias)
        object.__setattr__(self, "_by_surface", by_surface)

    def extended(self, extra: Iterable[Entity]) -> Registry:
        """The registry with the persons articles introduce; for a key met twice the first wins,
        so callers pass articles in content order to keep the graph independent of file names."""
        added: dict[str, Entity] = {}
        for entity in extra:
            if entity.key not in self.entities:
                added.setdefault(entity.key, entity)
        return replace(self, entities={**self.entities, **added}) if added else self

    def capital_of(self, state: str) -> str | None:
        """The city whose name also stands for the state's government (Pjöngjang for North Korea)."""
        for alias in self.aliases:
            if alias.entity == state and alias.form is MentionForm.METONYM:
                for other in self.named(alias.surface):
                    if self.entities[other.entity].kind is EntityKind.CITY and self.entities[other.entity].state == state:
                        return other.entity
        return None

    def named(self, surface: str) -> list[AliasEntry]:
        """The registry entries an exact surface form names."""
        return self._by_surface.get(surface, [])

    def get(self, key: str) -> Entity:
        return self.entities[key]

    def by_name(self, name: str) -> Entity:
        try:
            return self.entities[self.names[name]]
        except KeyError:
            raise DataPackError(f"the registry has no entity named {name!r}") from None

    def state_of(self, key: str) -> str | None:
        """The state an actor is or belongs to (its own key for a state)."""
        entity = self.entities[key]
        return key if entity.kind is EntityKind.STATE else entity.state

    def states_of(self, keys: Iterable[str]) -> frozenset[str]:
        """The states the actors are or belong to; an actor of no state stands for itself."""
        return frozenset(self.state_of(key) or key for key in keys)

    def without_represented_states(self, keys: Iterable[str]) -> list[str]:
        """The actors less each state one of whose own people is among them (Putin and Russia: Putin)."""
        keys = list(keys)
        represented = {self.state_of(k) for k in keys if self.entities[k].kind is not EntityKind.STATE}
        return [k for k in keys if self.entities[k].kind is not EntityKind.STATE or k not in represented]


@dataclass(frozen=True, eq=False)
class TextRules:
    abbreviations: frozenset[str]
    locative: frozenset[str]
    route_from: frozenset[str]
    route_to: frozenset[str]
    relation_heads: frozenset[str]
    state_nouns: frozenset[str]
    dateline: re.Pattern[str]


@dataclass(frozen=True, eq=False)
class BoilerplateRules:
    drop_line: CueSet
    strip_prefix: CueSet
    strip_suffix: CueSet


@dataclass(frozen=True, eq=False)
class DateRules:
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: tuple[str, ...]
    month_parts: tuple[str, ...]
    past: tuple[str, ...]
    future: tuple[str, ...]
    relative_days: dict[str, int]
    relative_weeks: dict[str, int]
    relative_years: dict[str, int]
    later_years: dict[str, int]
    day_parts: tuple[str, ...]
    anaphoric: CueSet
    future_tense: CueSet


@dataclass(frozen=True, eq=False)
class MeetingRules:
    triggers: CueSet
    planned: CueSet
    ongoing: CueSet
    negated: CueSet
    counterpart_nouns: CueSet
    visit_verbs: CueSet
    attendance: CueSet
    comparison: CueSet
    between: CueSet
    presence: CueSet
    pronouns: CueSet
    pair_pronouns: CueSet
    group: re.Pattern[str]
    group_numbers: dict[str, int]


@dataclass(frozen=True, eq=False)
class ClaimRules:
    give: CueSet
    receive: CueSet
    need: CueSet
    hope: CueSet
    deploy: CueSet
    nouns: CueSet
    help_verbs: CueSet
    production: CueSet
    production_materiel: str
    recipient_prepositions: frozenset[str]
    supplier_prepositions: frozenset[str]
    origin_nouns: frozenset[str]
    exchange: CueSet
    reporting: CueSet
    according_to: CueSet
    unnamed: CueSet
    reported_speech: CueSet
    anaphora: CueSet
    report_nouns: CueSet
    silence: CueSet
    denial: CueSet
    speculation: CueSet
    hypothetical: CueSet
    quantity: re.Pattern[str]
    containers: CueSet
    numbers: dict[str, int]
    default_direction: dict[str, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class TitleRule:
    """A title of an office of a state or organization, and who held it when."""

    of: str
    words: frozenset[str]
    holders: tuple[tuple[str, DateValue, DateValue | None], ...]
    bare: bool = False  # names its holder without the state ("der Machthaber")

    def holder(self, on: DateValue | None) -> str | None:
        if on is None:
            return self.holders[0][0] if len(self.holders) == 1 and self.holders[0][2] is None else None
        day = on.first_day()
        for person, start, end in self.holders:
            if start.first_day() <= day and (end is None or day < end.first_day()):
                return person
        return None


@dataclass(frozen=True, eq=False)
class RoleRules:
    titles: tuple[TitleRule, ...]
    role_nouns: frozenset[str]
    particles: frozenset[str]
    affiliation: frozenset[str]

    def __post_init__(self) -> None:
        by_word: dict[str, list[TitleRule]] = {}
        for rule in self.titles:
            for word in rule.words:
                by_word.setdefault(word, []).append(rule)
        object.__setattr__(self, "_by_word", by_word)
        object.__setattr__(self, "_endings", frozenset(noun.lower() for noun in self.role_nouns))
        object.__setattr__(self, "_ending_lengths", tuple(sorted({len(noun) for noun in self.role_nouns})))
        object.__setattr__(self, "_compounds", {})

    def titles_named(self, word: str) -> list[TitleRule]:
        return self._by_word.get(word, [])

    def is_role_noun(self, word: str) -> bool:
        """A capitalized role noun, alone or at the end of a compound with at least three letters
        before it ("Experte", "Militärexperte")."""
        if not word[:1].isupper():
            return False
        if word in self.role_nouns:
            return True
        known = self._compounds.get(word)
        if known is None:
            lowered = word.lower()
            known = any(len(lowered) > length + 2 and lowered[-length:] in self._endings for length in self._ending_lengths)
            if len(self._compounds) < 1 << 16:  # the words of a corpus repeat; the cache stays bounded
                self._compounds[word] = known
        return known


def inflections(word: str) -> set[str]:
    """A German noun with the endings its title takes in running text (Präsidenten, Außenministers)."""
    return {word, word + "s", word + "es", word + "en", word + "n"}


@dataclass(frozen=True, slots=True, eq=False)
class MaterielConcept:
    code: str
    parent: str | None
    label_en: str  # checked against the ontology's skos:prefLabel by the tests
    label_de: str
    depth: int
    terms: CueSet
    exclude: CueSet


@dataclass(frozen=True, eq=False)
class LinkRules:
    """How an entity without a registry ID is matched to Wikidata (linking.toml, wikidata_classes.tsv)."""

    languages: tuple[str, ...]
    search_limit: int
    threshold: float
    margin: float
    review_floor: float
    class_depth: int
    weights: dict[str, float]
    instance_of: str
    subclass_of: str
    state_property: dict[EntityKind, str]
    types: dict[EntityKind, tuple[str, ...]]  # the classes that fit each kind, the most telling first


@dataclass(frozen=True, eq=False)
class DataPack:
    root: Path
    registry: Registry
    text: TextRules
    boilerplate: BoilerplateRules
    dates: DateRules
    meetings: MeetingRules
    claims: ClaimRules
    materiel: tuple[MaterielConcept, ...]
    roles: RoleRules
    linking: LinkRules
    compound_heads: tuple[str, ...] = ()

    @cached_property
    def any_materiel(self) -> CueSet:
        """Every concept's terms in one alternation: it finds something exactly where some concept's
        terms do, so a sentence it finds nothing in need not be searched concept by concept."""
        return CueSet([term for concept in self.materiel for term in concept.terms.patterns])

    def concept(self, code: str) -> MaterielConcept:
        for concept in self.materiel:
            if concept.code == code:
                return concept
        raise KeyError(code)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The code and every broader code above it, most specific first."""
        chain = []
        current: str | None = code
        while current:
            chain.append(current)
            current = self.concept(current).parent
        return tuple(chain)


def known_entities(registry: Registry, records: Iterable[ArticleRecords]) -> Registry:
    """The registry with every person the articles introduce, taken in content order."""
    ordered = sorted(records, key=lambda r: r.article.key)
    return registry.extended(entity for record in ordered for entity in record.entities)


# ---------------------------------------------------------------- loading


def load_datapack(root: Path = DEFAULT_DATA_DIR, local_registry: Path | None = None) -> DataPack:
    """Read and check a data pack folder and, if given, a local registry file whose rows override
    or add to the pack's (cached: each pair is read once per process, unless the local file changed)."""
    local = Path(local_registry).resolve() if local_registry else None
    stamp = (local.stat().st_mtime_ns, local.stat().st_size) if local and local.exists() else None
    return _load_datapack(Path(root), local, stamp)


@cache
def _load_datapack(root: Path, local_registry: Path | None, _stamp: tuple[int, int] | None) -> DataPack:
    if not root.is_dir():
        raise DataPackError(f"data pack folder {root} does not exist")
    registry = _checked(
        "actors.tsv, actors_extra.tsv, entities.toml", lambda: _load_registry(root, _read_toml(root / "entities.toml"), local_registry)
    )
    materiel_cfg = _read_toml(root / "materiel.toml")
    pack = DataPack(
        root=root,
        registry=registry,
        text=_checked("text.toml", lambda: _text_rules(_read_toml(root / "text.toml"))),
        boilerplate=_checked("boilerplate.toml", lambda: _boilerplate_rules(_read_toml(root / "boilerplate.toml"))),
        dates=_checked("dates.toml", lambda: _date_rules(_read_toml(root / "dates.toml"))),
        meetings=_checked("meetings.toml", lambda: _meeting_rules(_read_toml(root / "meetings.toml"))),
        claims=_checked("claims.toml", lambda: _claim_rules(_read_toml(root / "claims.toml"), registry)),
        materiel=_checked("materiel.toml", lambda: _materiel(materiel_cfg)),
        roles=_checked("roles.toml", lambda: _role_rules(_read_toml(root / "roles.toml"), registry)),
        linking=_checked("linking.toml, wikidata_classes.tsv", lambda: _link_rules(root)),
        compound_heads=tuple(materiel_cfg.get("compound_heads", [])),
    )
    for code in [*pack.claims.default_direction, *filter(None, [pack.claims.production_materiel])]:
        try:
            pack.concept(code)
        except KeyError:
            raise DataPackError(f"claims.toml names materiel code {code!r}, which materiel.toml does not define") from None
    return pack


def _checked(where: str, build):
    """Build one part of the pack; a malformed entry is a DataPackError that names the file."""
    try:
        return build()
    except DataPackError as err:
        if any(name in str(err) for name in where.split(", ")):
            raise  # the message names its file already
        raise DataPackError(f"{where}: {err}") from None
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, re.error) as err:
        raise DataPackError(f"{where}: malformed entry ({type(err).__name__}: {err}); expected the layout of the bundled data pack") from None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DataPackError(f"data pack file {path} is missing") from None
    except tomllib.TOMLDecodeError as err:
        raise DataPackError(f"data pack file {path} is not valid TOML: {err}") from None


def _require(cfg: dict, key: str, where: str):
    try:
        return cfg[key]
    except KeyError:
        raise DataPackError(f"{where}: expected a key {key!r}") from None


def read_registry_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a registry TSV file in the format of actors.tsv."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if tuple(reader.fieldnames or ()) != REGISTRY_COLUMNS:
                raise DataPackError(f"{path}: expected the columns {', '.join(REGISTRY_COLUMNS)}, found {reader.fieldnames}")
            rows = list(reader)
    except FileNotFoundError:
        raise DataPackError(f"registry file {path} is missing") from None
    except UnicodeDecodeError as err:
        raise DataPackError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    for number, row in enumerate(rows, start=2):
        if None in row.values() or None in row:
            raise DataPackError(f"{path} line {number}: expected {len(REGISTRY_COLUMNS)} tab-separated columns")
    return rows


REGISTRY_FILE = "actors.tsv"
ADDITIONS_FILE = "actors_extra.tsv"


def _registry_rows(root: Path, local: Path | None) -> list[tuple[str, int, dict[str, str], frozenset[str]]]:
    """The verified reference rows, then the pack's additions, which may not carry Wikidata IDs:
    an ID enters the graph only from the reference file, or from a local registry a person reviewed.
    Each row comes with the confidence marks that let its ID link."""
    rows = [(REGISTRY_FILE, n, row, LINKABLE_CONFIDENCE) for n, row in enumerate(read_registry_rows(root / REGISTRY_FILE), start=2)]
    additions = root / ADDITIONS_FILE
    if additions.exists():
        for number, row in enumerate(read_registry_rows(additions), start=2):
            if row["qid"].strip():
                raise DataPackError(f"{ADDITIONS_FILE} line {number}: {row['qid']!r}: Wikidata IDs come only from {REGISTRY_FILE}, the verified reference")
            rows.append((ADDITIONS_FILE, number, row, LINKABLE_CONFIDENCE))
    if local and local.exists():
        position = {row["name"]: i for i, (_, _, row, _) in enumerate(rows)}
        for number, row in enumerate(read_registry_rows(local), start=2):
            entry = (str(local), number, row, frozenset({REVIEWED}))  # a local ID links only when a person reviewed it
            if row["name"] in position:
                rows[position[row["name"]]] = entry  # a local row replaces the pack's row of that name
            else:
                rows.append(entry)
    return rows


def _load_registry(root: Path, cfg: dict, local: Path | None = None) -> Registry:
    entities: dict[str, Entity] = {}
    names: dict[str, str] = {}
    by_label: dict[tuple[str, str], str] = {}
    extra_aliases: dict[str, list[str]] = {}
    for file_name, number, row, linkable in _registry_rows(root, local):
        try:
            kind = EntityKind(row["type"])
        except ValueError:
            raise DataPackError(f"{file_name} line {number}: unknown type {row['type']!r}") from None
        qid = row["qid"].strip() or None
        if qid and not _QID.match(qid):
            raise DataPackError(f"{file_name} line {number}: {qid!r} is not a Wikidata item ID (Q…)")
        aliases = [a.strip() for a in row["aliases_de"].split("|") if a.strip()]
        same = by_label.get((kind.value, row["label_de"]))
        if same:  # one entity listed twice (e.g. "CSIS" beside its full name)
            names[row["name"]] = same
            extra_aliases.setdefault(same, []).extend(aliases)
            continue
        key = slug(row["name"])
        if key in entities:
            raise DataPackError(f"{file_name} line {number}: {row['name']!r} gives the same key {key!r} as another row")
        confidence = row["confidence"].strip()
        entities[key] = Entity(
            key=key,
            name=row["name"],
            label_de=row["label_de"],
            kind=kind,
            wikidata=qid if qid and confidence in linkable else None,
            state=row["country_qid"].strip() or None,  # a QID for now, resolved below
            aliases=tuple(dict.fromkeys([row["label_de"], *aliases])),
            confidence=confidence,
        )
        names[row["name"]] = key
        by_label[(kind.value, row["label_de"])] = key
    state_by_qid = {e.wikidata: e.key for e in entities.values() if e.kind is EntityKind.STATE and e.wikidata}
    for name, surfaces in cfg.get("aliases", {}).items():
        extra_aliases.setdefault(_key_of(name, names), []).extend(surfaces)
    for key, entity in list(entities.items()):
        state = None if entity.kind is EntityKind.STATE else state_by_qid.get(entity.state or "")
        aliases = tuple(dict.fromkeys([*entity.aliases, *extra_aliases.get(key, [])]))
        entities[key] = replace(entity, state=state, aliases=aliases)
    ignored = set(cfg.get("ignore_aliases", []))
    media = frozenset(_key_of(name, names) for name in cfg.get("media", []))
    independent = frozenset(_key_of(name, names) for name in cfg.get("independent_actors", []))
    demonyms = {_key_of(name, names): surfaces for name, surfaces in cfg.get("demonyms", {}).items()}
    for name in cfg.get("generic_forces", []):
        key = _key_of(name, names)
        if key not in entities or entities[key].kind is EntityKind.STATE:
            raise DataPackError(f"entities.toml generic_forces: {name!r} is listed twice or is a state itself")
        forces = entities.pop(key)
        if not forces.state:
            raise DataPackError(f"entities.toml generic_forces: {name!r} belongs to no registry state")
        state = entities[forces.state]
        entities[state.key] = replace(state, aliases=tuple(dict.fromkeys([*state.aliases, *forces.aliases])))
        names[name] = state.key
    institutions = tuple(
        Institution(
            frozenset(table.get("surfaces", [])),
            {_key_of(state, names): _key_of(entity, names) for state, entity in table.get("by_state", {}).items()},
        )
        for table in cfg.get("institution", [])
    )
    family_first = frozenset(_key_of(name, names) for name in cfg.get("family_name_first", []))
    return Registry(entities, _alias_entries(entities, demonyms, ignored), media, independent, names, institutions, family_first)


def _key_of(name: str, names: dict[str, str]) -> str:
    try:
        return names[name]
    except KeyError:
        raise DataPackError(f"entities.toml names {name!r}, which actors.tsv does not list") from None


def _alias_entries(entities: dict[str, Entity], demonyms: dict[str, list[str]], ignored: set[str]) -> tuple[AliasEntry, ...]:
    place_surfaces = {alias for e in entities.values() if e.kind.is_place for alias in e.aliases}
    entries = []
    for entity in entities.values():
        for alias in entity.aliases:
            if alias in ignored:
                continue
            entries.append(AliasEntry(alias, entity.key, _alias_form(entity, alias, place_surfaces)))
        for alias in demonyms.get(entity.key, ()):
            entries.append(AliasEntry(alias, entity.key, MentionForm.DEMONYM))
    return tuple(entries)


def _alias_form(entity: Entity, alias: str, place_surfaces: set[str]) -> MentionForm:
    if entity.kind is EntityKind.STATE:
        if alias[:1].islower() and " " not in alias:
            return MentionForm.ADJECTIVE
        if alias in place_surfaces:
            return MentionForm.METONYM
    return MentionForm.NAME


def _text_rules(cfg: dict) -> TextRules:
    sentences = _require(cfg, "sentences", "text.toml")
    places = _require(cfg, "places", "text.toml")
    return TextRules(
        abbreviations=frozenset(_require(sentences, "abbreviations", "text.toml [sentences]")),
        locative=frozenset(_require(places, "locative", "text.toml [places]")),
        route_from=frozenset(places.get("route_from", [])),
        route_to=frozenset(places.get("route_to", [])),
        relation_heads=frozenset(cfg.get("compounds", {}).get("relation_heads", [])),
        state_nouns=frozenset(cfg.get("state_nouns", {}).get("nouns", [])),
        dateline=re.compile(_require(_require(cfg, "datelines", "text.toml"), "pattern", "text.toml [datelines]"), re.MULTILINE),
    )


def _boilerplate_rules(cfg: dict) -> BoilerplateRules:
    return BoilerplateRules(
        drop_line=CueSet(cfg.get("drop_line", []), bounded=False),
        strip_prefix=CueSet(cfg.get("strip_prefix", []), bounded=False, ignore_case=False),
        strip_suffix=CueSet(cfg.get("strip_suffix", []), bounded=False, ignore_case=False),
    )


def _date_rules(cfg: dict) -> DateRules:
    def numbered(table: str, low: int, high: int) -> dict[str, int]:
        out = {}
        for number, names in _require(cfg, table, "dates.toml").items():
            value = int(number)
            if not low <= value <= high:
                raise DataPackError(f"dates.toml [{table}]: {number} is outside {low}..{high}")
            out.update({name: value for name in names})
        return out

    words = _require(cfg, "words", "dates.toml")
    return DateRules(
        months=numbered("months", 1, 12),
        weekdays=numbered("weekdays", 0, 6),
        seasons=tuple(words.get("seasons", [])),
        month_parts=tuple(words.get("month_parts", [])),
        past=tuple(words.get("past", [])),
        future=tuple(words.get("future", [])),
        relative_days=dict(words.get("relative_days", {})),
        relative_weeks=dict(words.get("relative_weeks", {})),
        relative_years=dict(words.get("relative_years", {})),
        later_years=dict(words.get("later_years", {})),
        day_parts=tuple(words.get("day_parts", [])),
        anaphoric=CueSet(words.get("anaphoric", [])),
        future_tense=CueSet(cfg.get("tense", {}).get("future", [])),
    )


def _meeting_rules(cfg: dict) -> MeetingRules:
    cues = {name: CueSet(cfg.get(name, [])) for name in MeetingRules.__dataclass_fields__ if name not in ("group", "group_numbers")}
    numbers = dict(cfg.get("group_numbers", {}))
    nouns = "|".join(re.escape(n) for n in cfg.get("group_nouns", [])) or r"(?!x)x"
    words = "|".join(re.escape(n) for n in numbers) or r"(?!x)x"
    group = re.compile(rf"\b(?:dieser|diesen|der|die|den)\s+(?P<number>{words})\s+(?:{nouns})\b|\b(?P<both>beider)\s+(?:{nouns})\b")
    return MeetingRules(
        **cues,
        group=group,
        group_numbers=numbers,
    )


def _claim_rules(cfg: dict, registry: Registry) -> ClaimRules:
    transfer = _require(cfg, "transfer", "claims.toml")
    roles = _require(cfg, "roles", "claims.toml")
    attribution = _require(cfg, "attribution", "claims.toml")
    stance = _require(cfg, "stance", "claims.toml")
    quantity = cfg.get("quantity", {})
    direction = {}
    for code, pair in cfg.get("defaults", {}).get("direction", {}).items():
        if len(pair) != 2:
            raise DataPackError(f"claims.toml [defaults] direction {code!r}: expected [supplier, recipient]")
        direction[code] = (registry.by_name(pair[0]).key, registry.by_name(pair[1]).key)
    return ClaimRules(
        give=CueSet(transfer.get("give", [])),
        receive=CueSet(transfer.get("receive", [])),
        need=CueSet(transfer.get("need", [])),
        hope=CueSet(transfer.get("hope", [])),
        deploy=CueSet(transfer.get("deploy", [])),
        nouns=CueSet(transfer.get("nouns", [])),
        help_verbs=CueSet(transfer.get("help_verbs", [])),
        production=CueSet(transfer.get("production", [])),
        production_materiel=transfer.get("production_materiel", ""),
        recipient_prepositions=frozenset(roles.get("recipient_prepositions", [])),
        supplier_prepositions=frozenset(roles.get("supplier_prepositions", [])),
        origin_nouns=frozenset(roles.get("origin_nouns", [])),
        exchange=CueSet(roles.get("exchange", [])),
        reporting=CueSet(attribution.get("reporting", [])),
        according_to=CueSet(attribution.get("according_to", [])),
        unnamed=CueSet(attribution.get("unnamed", [])),
        reported_speech=CueSet(attribution.get("reported_speech", [])),
        anaphora=CueSet(attribution.get("anaphora", [])),
        report_nouns=CueSet(attribution.get("report_nouns", [])),
        silence=CueSet(attribution.get("silence", [])),
        denial=CueSet(stance.get("denial", [])),
        speculation=CueSet(stance.get("speculation", [])),
        hypothetical=CueSet(stance.get("hypothetical", [])),
        quantity=re.compile(rf"(?<!\w){quantity.get('pattern', '(?!x)x')}(?!\w)"),
        containers=CueSet(quantity.get("containers", [])),
        numbers=dict(quantity.get("numbers", {})),
        default_direction=direction,
    )


def _role_rules(cfg: dict, registry: Registry) -> RoleRules:
    titles = []
    for number, table in enumerate(cfg.get("title", []), start=1):
        holders = []
        for entry in table.get("holders", []):
            try:
                name, start, end = entry
                holders.append((registry.by_name(name).key, DateValue.from_iso(start), DateValue.from_iso(end) if end else None))
            except (ValueError, TypeError, AttributeError) as err:
                raise DataPackError(f"roles.toml title {number}: holder {entry!r} is not [name, from, to] with ISO date strings ({err})") from None
        words = frozenset(form for word in table.get("words", []) for form in inflections(word))
        titles.append(TitleRule(registry.by_name(table["of"]).key, words, tuple(holders), bool(table.get("bare", False))))
    unknown = cfg.get("unknown_persons", {})
    return RoleRules(
        titles=tuple(titles),
        role_nouns=frozenset(form for word in unknown.get("role_nouns", []) for form in inflections(word)),
        particles=frozenset(unknown.get("name_particles", [])),
        affiliation=frozenset(unknown.get("affiliation", [])),
    )


def _materiel(cfg: dict) -> tuple[MaterielConcept, ...]:
    rows = _require(cfg, "concept", "materiel.toml")
    parents = {row["code"]: row.get("parent") or None for row in rows}
    concepts = []
    for row in rows:
        parent = parents[row["code"]]
        if parent and parent not in parents:
            raise DataPackError(f"materiel.toml: {row['code']!r} has unknown parent {parent!r}")
        depth, current = 0, parent
        while current:
            depth, current = depth + 1, parents[current]
            if depth > len(parents):
                raise DataPackError(f"materiel.toml: the parents of {row['code']!r} form a cycle")
        concepts.append(
            MaterielConcept(
                code=row["code"],
                parent=parent,
                label_en=row["label_en"],
                label_de=row["label_de"],
                depth=depth,
                terms=CueSet(row.get("terms", [])),
                exclude=CueSet(row.get("exclude", [])),
            )
        )
    return tuple(concepts)


CLASSES_FILE = "wikidata_classes.tsv"
CLASS_COLUMNS = ("name", "id", "evidence", "confidence")
_WIKIDATA_ID = re.compile(r"^[PQ][1-9][0-9]*$")


def wikidata_terms(path: Path) -> dict[str, str]:
    """The Wikidata classes and properties linking uses, by English label; only corroborated or
    verified rows, each with the sources that show the ID and the label together."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
            if tuple(reader.fieldnames or ()) != CLASS_COLUMNS:
                raise DataPackError(f"{path}: expected the columns {', '.join(CLASS_COLUMNS)}, found {reader.fieldnames}")
            rows = list(reader)
    except FileNotFoundError:
        raise DataPackError(f"data pack file {path} is missing") from None
    terms = {}
    for row in rows:
        if not _WIKIDATA_ID.match(row["id"] or ""):
            raise DataPackError(f"{CLASSES_FILE}: {row['name']!r}: {row['id']!r} is not a Wikidata item or property ID")
        if row["confidence"] in LINKABLE_CONFIDENCE:
            terms[row["name"]] = row["id"]
    return terms


def _link_rules(root: Path) -> LinkRules:
    cfg = _read_toml(root / "linking.toml")
    terms = wikidata_terms(root / CLASSES_FILE)

    def term(name: str) -> str:
        if name not in terms:
            raise DataPackError(f"linking.toml names {name!r}, which {CLASSES_FILE} does not list as corroborated")
        return terms[name]

    kinds = {kind.value: kind for kind in EntityKind}
    weights = {part: float(_require(cfg["weights"], part, "linking.toml [weights]")) for part in ("name", "type", "state")}
    rules = LinkRules(
        languages=tuple(_require(cfg, "languages", "linking.toml")),
        search_limit=int(cfg.get("search_limit", 7)),
        threshold=float(_require(cfg, "threshold", "linking.toml")),
        margin=float(_require(cfg, "margin", "linking.toml")),
        review_floor=float(_require(cfg, "review_floor", "linking.toml")),
        class_depth=int(cfg.get("class_depth", 3)),
        weights=weights,
        instance_of=term(cfg["properties"]["instance_of"]),
        subclass_of=term(cfg["properties"]["subclass_of"]),
        state_property={kinds[kind]: term(name) for kind, name in cfg.get("state_property", {}).items()},
        types={kinds[kind]: tuple(term(n) for n in names) for kind, names in _require(cfg, "types", "linking.toml").items()},
    )
    if not 0 < rules.review_floor <= rules.threshold <= 1 or not 0 < rules.margin < 1:
        raise DataPackError("linking.toml: expected 0 < review_floor <= threshold <= 1 and 0 < margin < 1")
    if min(weights.values()) <= 0 or not set(rules.languages) <= {"de", "en"} or not rules.languages:
        raise DataPackError("linking.toml: expected positive weights and languages among de, en (the names the registry has)")
    return rules
