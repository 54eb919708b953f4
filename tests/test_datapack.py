import os
import re
import shutil
from pathlib import Path

import pytest

from etl.datapack import DEFAULT_DATA_DIR, LINKABLE_CONFIDENCE, CueSet, load_datapack, read_registry_rows, slug
from etl.errors import DataPackError
from etl.model import EntityKind, MentionForm

SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "actors.tsv"


def test_registry_links_only_verified_or_corroborated_ids(pack):
    rows = {row["name"]: row for row in read_registry_rows(DEFAULT_DATA_DIR / "actors.tsv")}
    linked = [e for e in pack.registry.entities.values() if e.wikidata]
    assert len(linked) > 100
    for entity in linked:
        row = rows[entity.name]
        assert row["qid"] == entity.wikidata
        assert row["confidence"] in LINKABLE_CONFIDENCE
    unverified = pack.registry.by_name("Victor Cha")
    assert unverified.wikidata is None and unverified.confidence == "unverified"


@pytest.mark.skipif(not SHARED_REFERENCE.exists(), reason="../shared is not beside this checkout")
def test_bundled_registry_is_the_reference_file():
    assert (DEFAULT_DATA_DIR / "actors.tsv").read_bytes() == SHARED_REFERENCE.read_bytes()


def test_actors_carry_the_state_they_belong_to(pack):
    registry = pack.registry
    assert registry.state_of(registry.by_name("Vladimir Putin").key) == "russia"
    assert registry.state_of(registry.by_name("Choe Son Hui").key) == "north-korea"
    assert registry.state_of(registry.by_name("Pyongyang").key) == "north-korea"
    assert registry.state_of("russia") == "russia"
    # a state outside the registry (Guterres: Portugal) is not invented
    assert registry.by_name("António Guterres").state is None


def test_one_entity_listed_twice_is_merged(pack):
    registry = pack.registry
    assert registry.by_name("CSIS").key == registry.by_name("Center for Strategic and International Studies").key
    assert "CSIS" in registry.by_name("CSIS").aliases


def test_generic_armed_forces_stand_for_their_state(pack):
    registry = pack.registry
    assert registry.by_name("Russian Armed Forces").key == "russia"
    assert any(a.surface == "russische Armee" and a.entity == "russia" for a in registry.aliases)


def test_alias_forms(pack):
    forms = {(a.surface, a.entity): a.form for a in pack.registry.aliases}
    assert forms[("nordkoreanische", "north-korea")] is MentionForm.ADJECTIVE
    assert forms[("Moskau", "russia")] is MentionForm.METONYM
    assert forms[("Moskau", "moscow")] is MentionForm.NAME
    assert forms[("Russen", "russia")] is MentionForm.DEMONYM
    assert pack.registry.get("moscow").kind is EntityKind.CITY


def test_slugs_are_ascii_keys():
    assert slug("Recep Tayyip Erdoğan") == "recep-tayyip-erdogan"
    assert slug("Russia–Africa Summit 2023") == "russiaafrica-summit-2023"


def _copy_pack(tmp_path):
    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def test_a_missing_pack_file_is_named(tmp_path):
    target = _copy_pack(tmp_path)
    (target / "claims.toml").unlink()
    with pytest.raises(DataPackError, match="claims.toml is missing"):
        load_datapack(target)


def test_a_malformed_pack_file_is_named(tmp_path):
    target = _copy_pack(tmp_path)
    (target / "dates.toml").write_text("[months\n", encoding="utf-8")
    with pytest.raises(DataPackError, match="dates.toml is not valid TOML"):
        load_datapack(target)


def test_a_malformed_wikidata_id_is_refused(tmp_path):
    target = _copy_pack(tmp_path)
    lines = (target / "actors.tsv").read_text(encoding="utf-8").splitlines()
    fields = lines[1].split("\t")
    fields[1] = "Z123"
    lines[1] = "\t".join(fields)
    (target / "actors.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataPackError, match="line 2: 'Z123' is not a Wikidata item ID"):
        load_datapack(target)


def test_an_unknown_entity_in_the_additions_is_named(tmp_path):
    target = _copy_pack(tmp_path)
    extra = (target / "entities.toml").read_text(encoding="utf-8").replace('"Wagner Group"]', '"Wagner Groupp"]')
    (target / "entities.toml").write_text(extra, encoding="utf-8")
    with pytest.raises(DataPackError, match="'Wagner Groupp'"):
        load_datapack(target)


def _edit(target, name, old, new):
    path = target / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("materiel.toml", 'code = "weapons"\nparent = ""', 'code = "weapons"\nparent = "ammunition"', "the parents of 'weapons' form a cycle"),
        ("roles.toml", '["Vladimir Putin", "2012-05-07", ""]', '["Vladimir Putin", "7.5.2012", ""]', "roles.toml title 1: holder"),
        ("entities.toml", '"Russian Armed Forces", "Korean', '"Russian Armed Forces", "Russian Armed Forces", "Korean', "'Russian Armed Forces' is listed twice"),
    ],
)
def test_inconsistent_pack_entries_are_named(tmp_path, name, old, new, message):
    target = _copy_pack(tmp_path)
    _edit(target, name, old, new)
    with pytest.raises(DataPackError, match=message):
        load_datapack(target)


def test_a_short_registry_row_names_its_line(tmp_path):
    target = _copy_pack(tmp_path)
    with (target / "actors_extra.tsv").open("a", encoding="utf-8") as extra:
        extra.write("Somebody\t\tPerson\n")
    rows = len((target / "actors_extra.tsv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataPackError, match=rf"actors_extra.tsv line {rows}: expected 8 tab-separated columns"):
        load_datapack(target)


def test_a_registry_that_is_not_utf8_is_named(tmp_path):
    target = _copy_pack(tmp_path)
    (target / "actors_extra.tsv").write_bytes((target / "actors_extra.tsv").read_bytes().replace("Michail".encode(), "Mich\xe4il".encode("latin-1"), 1))
    with pytest.raises(DataPackError, match="actors_extra.tsv: not UTF-8 text"):
        load_datapack(target)


LOCAL_HEADER = "name\tqid\ttype\tlabel_de\taliases_de\tcountry_qid\tevidence\tconfidence\n"


def test_a_local_registry_overrides_the_pack_and_adds_entities(tmp_path):
    local = tmp_path / "registry.tsv"
    local.write_text(
        LOCAL_HEADER
        + "Mikhail Mishustin\tQ32024\tPerson\tMichail Mischustin\tMischustin\tQ159\treviewed: test\treviewed\n"
        + "Jane Newcomer\tQ7747\tPerson\tJane Newcomer\tJane Newcomer\tQ30\treviewed: test\treviewed\n",
        encoding="utf-8",
    )  # IDs from the reference, put on the wrong people: only the mechanics are tested here
    registry = load_datapack(DEFAULT_DATA_DIR, local).registry
    mishustin = registry.by_name("Mikhail Mishustin")
    assert (mishustin.wikidata, mishustin.confidence) == ("Q32024", "reviewed")
    newcomer = registry.by_name("Jane Newcomer")
    assert newcomer.state == "united-states" and newcomer.wikidata == "Q7747"
    assert load_datapack().registry.by_name("Mikhail Mishustin").wikidata is None  # the bundled pack is untouched


@pytest.mark.parametrize("mark", ["unverified", "verified", "corroborated"])
def test_a_local_id_links_only_with_the_review_mark(tmp_path, mark):
    """"verified" and "corroborated" belong to the bundled reference; a local file cannot claim them."""
    local = tmp_path / "registry.tsv"
    local.write_text(LOCAL_HEADER + f"Mikhail Mishustin\tQ32024\tPerson\tMichail Mischustin\tMischustin\tQ159\ta guess\t{mark}\n", encoding="utf-8")
    assert load_datapack(DEFAULT_DATA_DIR, local).registry.by_name("Mikhail Mishustin").wikidata is None


def test_a_changed_local_registry_is_read_again(tmp_path):
    local = tmp_path / "registry.tsv"
    local.write_text(LOCAL_HEADER, encoding="utf-8")
    assert load_datapack(DEFAULT_DATA_DIR, local).registry.by_name("Mikhail Mishustin").wikidata is None
    local.write_text(LOCAL_HEADER + "Mikhail Mishustin\tQ32024\tPerson\tMichail Mischustin\tMischustin\tQ159\treviewed: test\treviewed\n", encoding="utf-8")
    os.utime(local, ns=(local.stat().st_atime_ns, local.stat().st_mtime_ns + 10**9))
    assert load_datapack(DEFAULT_DATA_DIR, local).registry.by_name("Mikhail Mishustin").wikidata == "Q32024"


def test_linking_rules_resolve_class_names_to_corroborated_ids(pack):
    rules = pack.linking
    assert rules.instance_of == "P31" and rules.subclass_of == "P279"
    assert rules.types[EntityKind.PERSON] == ("Q5",)
    assert rules.state_property[EntityKind.PERSON] == "P27"
    assert 0 < rules.review_floor < rules.threshold <= 1 and rules.margin > 0


def test_linking_rules_refuse_a_class_without_sources(tmp_path):
    target = _copy_pack(tmp_path)
    _edit(target, "linking.toml", 'Person = ["human"]', 'Person = ["human", "hominid"]')
    with pytest.raises(DataPackError, match="linking.toml names 'hominid', which wikidata_classes.tsv does not list as corroborated"):
        load_datapack(target)


@pytest.mark.parametrize(
    "line",
    ["Lesen Sie auch: Der Gipfel in Wladiwostok", "Kim reiste nach Lesen Sie auch", "Menü", "Das Menü", "Wir verwenden Cookies", "b am Anfang", "ab",
     "Schoigu traf Kim in Pjöngjang.", ""],
)
def test_cues_anchored_at_the_line_start_are_found_exactly_where_the_whole_alternation_finds_them(line):
    """found_in tries ^-anchored cues once, at the start; it must agree with one alternation of all
    cues, including a cue whose | is outside any group (anchored on one side only)."""
    cues = CueSet(["^Lesen Sie (auch|mehr)", "^(Menü|Suche)$", r"\b(verwenden|nutzen) Cookies", "^a|b", r"^x\|y", "^[|]z"], bounded=False)
    assert cues.found_in(line) == bool(cues.search(line))
    assert cues.found_in(line) == any(re.search(p, line, re.IGNORECASE) for p in cues.patterns)
