"""The evaluation command, and regression floors for the extraction on the two gold sets."""

import json
from pathlib import Path

import pytest

from etl.cli import main
from etl.evaluate import Score, evaluate, load_gold
from etl.pipeline import RunConfig, extract_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT / "tests" / "gold"
CHALLENGE = ROOT / "tests" / "challenge"

# Scores reached; a change that lowers any of them fails here (raise them when they improve).
SEED_FLOORS = {
    "actors_f1": 1.0, "meetings_f1": 1.0, "claims_f1": 0.96, "transfers_f1": 1.0,
    "stance_accuracy": 1.0, "materiel_overlap": 0.91, "published_accuracy": 1.0,
}
CHALLENGE_FLOORS = {
    "actors_f1": 1.0, "meetings_f1": 0.94, "claims_f1": 0.80, "transfers_f1": 0.88,
    "stance_accuracy": 0.98, "materiel_overlap": 0.86, "published_accuracy": 0.85,
}


@pytest.mark.parametrize(("gold", "inputs", "floors"), [(SEED_GOLD, ROOT / "articles", SEED_FLOORS), (CHALLENGE / "gold", CHALLENGE / "articles", CHALLENGE_FLOORS)])
def test_scores_do_not_drop_below_the_level_reached(pack, gold, inputs, floors):
    records, skipped = extract_corpus(RunConfig((str(inputs),), Path(".")))
    assert not skipped
    result = evaluate(records, load_gold(gold, pack.registry), pack.registry)
    assert not result.unmatched and not result.gold_unused
    assert len(result.articles) == len(list(gold.glob("*.json"))) == len(records)
    summary = result.summary()
    low = {name: (summary[name], floor) for name, floor in floors.items() if summary[name] < floor}
    assert not low, f"scores below their floor (score, floor): {low}"


def test_scores_count_matches_misses_and_false_alarms(extract_text, pack, tmp_path):
    record = extract_text("Gipfel\n\nKim Jong Un traf Wladimir Putin in Wladiwostok. Laut den USA liefert Nordkorea Raketen an Russland.", date="2023-09", name="a.txt")
    gold = {
        "article": "a.txt", "published": "2023-09", "published_precision": "month",
        "actors": ["Kim Jong Un", "Vladimir Putin", "United States", "North Korea", "Russia", "China"],
        "meetings": [{"participants": ["Kim Jong Un", "Vladimir Putin"], "place": "Vladivostok", "date": "2023-09", "date_precision": "month", "status": "held", "evidence": "traf"}],
        "claims": [
            {"claimant": "United States", "stance": "asserts", "supplier": "North Korea", "recipient": "Russia", "materiel": ["missiles"], "claim_date": None, "evidence": "liefert"},
            {"claimant": "North Korea", "stance": "denies", "supplier": "North Korea", "recipient": "Russia", "materiel": ["missiles"], "claim_date": None, "evidence": "bestreitet"},
        ],
    }
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.json").write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate([record], load_gold(tmp_path / "gold", pack.registry), pack.registry)
    assert vars(result.scores["actors"]) == {"tp": 5, "fp": 0, "fn": 1}
    assert vars(result.scores["meetings"]) == {"tp": 1, "fp": 0, "fn": 0}
    assert vars(result.scores["claims"]) == {"tp": 1, "fp": 0, "fn": 1}
    assert vars(result.scores["transfers"]) == {"tp": 1, "fp": 0, "fn": 0}
    (report,) = result.articles
    assert report.misses == ["actor China", "claim North Korea denies North Korea → Russia («bestreitet»)"]
    assert result.stance_accuracy.total == 1 and result.stance_accuracy.value == 1.0


def test_gold_and_articles_that_do_not_pair_up_are_reported(extract_text, pack, tmp_path):
    record = extract_text("Titel\n\nKim Jong Un reiste ab.", date="2024-01", name="only-article.txt")
    (tmp_path / "only-gold.json").write_text(json.dumps({"article": "only-gold.txt", "published": "2024-01", "actors": [], "meetings": [], "claims": []}), encoding="utf-8")
    result = evaluate([record], load_gold(tmp_path, pack.registry), pack.registry)
    assert (result.unmatched, result.gold_unused, result.articles) == (["only-article.txt"], ["only-gold.txt"], [])
    assert "no article for gold: only-gold.txt" in result.render()


def test_score_arithmetic():
    score = Score(tp=3, fp=1, fn=2)
    assert (score.precision, score.recall) == (0.75, 0.6)
    assert round(score.f1, 4) == round(2 * 0.75 * 0.6 / 1.35, 4)
    assert Score().f1 == 1.0  # nothing expected and nothing found is a perfect score


def test_evaluate_command_prints_scores_last_and_writes_json(tmp_path, capsys):
    out = tmp_path / "scores.json"
    code = main(["evaluate", "--gold", str(SEED_GOLD), str(ROOT / "articles"), "--json", str(out)])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-8].split()[:4] == ["kind", "precision", "recall", "F1"]
    assert lines[-7].startswith("actors") and lines[-1].startswith("publication date")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["meetings_f1"] >= SEED_FLOORS["meetings_f1"]
    assert len(data["articles"]) == 5


def test_unreadable_gold_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert main(["evaluate", "--gold", str(tmp_path), str(ROOT / "articles")]) == 2
    assert "bad.json: not a gold annotation" in capsys.readouterr().err
