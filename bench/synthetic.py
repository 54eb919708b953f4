"""A seeded corpus of synthetic German news articles, built from sentence templates written for newskg.

    .venv/bin/python bench/synthetic.py OUT_DIR --articles 1000 [--seed 7]

Each article has a dated header, a headline, a meeting sentence, one or two claims (assertion,
denial or speculation) and filler, so the pipeline finds actors, meetings and claims in every one.
The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
MEETINGS = [
    "{visitor} ist am {day}. {month} {year} in {city} mit {host} zusammengetroffen.",
    "{host} empfing {visitor} am {day}. {month} {year} in {city} zu Gesprächen über die Zusammenarbeit.",
    "Am {day}. {month} {year} trafen sich {visitor} und {host} in {city}.",
]
CLAIMS = [
    "Nach Angaben von {source} hat Nordkorea Russland Artilleriegranaten und ballistische Raketen geliefert.",
    "Der Kreml wies Berichte zurück, wonach Nordkorea Munition an Russland geliefert habe.",
    "{source} vermutet, dass Russland Nordkorea im Gegenzug Satellitentechnik zur Verfügung stellen könnte.",
    "Laut {source} sollen nordkoreanische Soldaten in der Region Kursk im Einsatz sein.",
]
FILLER = [
    "Beobachter rechnen mit weiteren Gesprächen in den kommenden Monaten.",
    "Die Vereinten Nationen haben Sanktionen gegen Nordkorea verhängt.",
    "Die Beziehungen beider Länder haben sich seit 2023 deutlich vertieft.",
    "Einzelheiten der Vereinbarungen wurden nicht veröffentlicht.",
    "Die Lage an der Grenze blieb nach Angaben von Beobachtern ruhig.",
]
VISITS = [
    ("Sergej Lawrow", "Machthaber Kim Jong-un", "Pjöngjang"),
    ("Kim Jong-un", "Präsident Wladimir Putin", "Wladiwostok"),
    ("Sergej Schoigu", "Kim Jong-un", "Pjöngjang"),
    ("Außenministerin Choe Son-hui", "Außenminister Sergej Lawrow", "Moskau"),
]
SOURCES = ["dem südkoreanischen Geheimdienst", "US-Außenminister Antony Blinken", "der Nachrichtenagentur Reuters", "Experten des CSIS"]
SOURCES_NOMINATIVE = ["Der südkoreanische Geheimdienst", "Antony Blinken", "Die Nachrichtenagentur Reuters", "Das CSIS"]


def article(rng: random.Random, number: int) -> str:
    year = rng.choice([2023, 2024, 2025])
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    visitor, host, city = rng.choice(VISITS)
    lines = [f" date {year}-{month + 1:02d}-{day:02d} Gespräche in {city} ({number})"]
    lines.append(rng.choice(MEETINGS).format(visitor=visitor, host=host, city=city, day=day, month=MONTHS[month], year=year))
    for _ in range(rng.randint(1, 2)):
        source = rng.randrange(len(SOURCES))
        lines.append(rng.choice(CLAIMS).format(source=SOURCES[source] if rng.random() < 0.5 else SOURCES_NOMINATIVE[source]))
    lines += rng.sample(FILLER, 3)
    lines.append(f"Dies ist Bericht Nummer {number} der Reihe.")
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, articles: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for number in range(articles):
        path = folder / f"synthetic_{number:06d}.txt"
        path.write_text(article(rng, number), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"wrote {len(write_corpus(args.out, args.articles, args.seed))} articles to {args.out}")


if __name__ == "__main__":
    main()
