"""A seeded benchmark corpus of German news articles of realistic length, built from sentence
templates written for newskg (no real article text).

    .venv/bin/python bench/corpus.py OUT --articles 10000 [--seed 7] [--jsonl]

Each article has a dated header and a headline, then 8 to 14 paragraphs (about 3 to 5 kB in
all, like the sample corpus): a meeting with its date and place, claims that weapons, munitions,
technology or troops moved (asserted, denied or speculated, by named or unnamed sources),
quotations, background and numbers, and the boilerplate scraped pages carry (reading-list lines,
photo credits, a closing byline). The same seed gives the same bytes. `--jsonl` writes one
JSON Lines file (`corpus.jsonl`) instead of one .txt file per article, which suits 100,000
articles better.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]

# (visitor, host, place): people the registry knows, in the forms German news uses
VISITS = [
    ("der russische Außenminister Sergej Lawrow", "Machthaber Kim Jong-un", "Pjöngjang"),
    ("Nordkoreas Machthaber Kim Jong-un", "Präsident Wladimir Putin", "Wladiwostok"),
    ("der russische Verteidigungsminister Sergej Schoigu", "Kim Jong-un", "Pjöngjang"),
    ("Nordkoreas Außenministerin Choe Son-hui", "Außenminister Sergej Lawrow", "Moskau"),
    ("Kim Jong-un", "Kremlchef Wladimir Putin", "dem Kosmodrom Wostotschny"),
]
MEETINGS = [
    "{visitor} ist am {weekday} in {place} mit {host} zusammengetroffen.",
    "{host} empfing {visitor} am {day}. {month} {year} in {place} zu Gesprächen über die militärische Zusammenarbeit.",
    "Am {day}. {month} {year} trafen sich {visitor} und {host} in {place}.",
    "{visitor} reiste im {month} nach {place}, wo er mit {host} über Sicherheitsfragen sprach.",
]
NAMED = [
    ("der südkoreanische Geheimdienst", "dem südkoreanischen Geheimdienst"),
    ("US-Außenminister Antony Blinken", "US-Außenminister Antony Blinken"),
    ("das Weiße Haus", "dem Weißen Haus"),
    ("Kremlsprecher Dmitri Peskow", "Kremlsprecher Dmitri Peskow"),
    ("der japanische Verteidigungsminister", "dem japanischen Verteidigungsminister"),
]
ASSERTIONS = [
    "Nach Angaben von {dative} hat Nordkorea Russland seit dem Sommer Millionen Artilleriegranaten geliefert.",
    "{nominative} erklärte, Nordkorea habe ballistische Raketen an Russland geliefert, die in der Ukraine eingesetzt worden seien.",
    "Laut {dative} sollen nordkoreanische Soldaten in der Region Kursk im Einsatz sein.",
    "{nominative} sagte, Pjöngjang liefere Munition für den Krieg gegen die Ukraine.",
]
DENIALS = [
    "Der Kreml wies Berichte zurück, wonach Nordkorea Munition an Russland geliefert habe.",
    "Pjöngjang bestreitet, Waffen an Moskau geliefert zu haben.",
    "Kremlsprecher Dmitri Peskow dementierte, dass Russland Raketen aus Nordkorea erhalten habe.",
]
SPECULATIONS = [
    "{nominative} vermutet, dass Russland Nordkorea im Gegenzug Satellitentechnik zur Verfügung stellen könnte.",
    "Experten halten es für möglich, dass Moskau Pjöngjang bei seinem Raketenprogramm unterstützt.",
    "Beobachter befürchten, Russland könnte Nordkorea Technologie für Atom-U-Boote liefern.",
]
QUOTES = [
    "„Die Freundschaft unserer Völker ist unerschütterlich“, sagte {speaker} nach dem Treffen.",
    "„Wir werden die Zusammenarbeit in allen Bereichen vertiefen“, erklärte {speaker}.",
    "„Das ist eine ernste Bedrohung für die Sicherheit der Region“, sagte {speaker}.",
]
SPEAKERS = ["Wladimir Putin", "Kim Jong-un", "Sergej Lawrow", "Antony Blinken", "Dmitri Peskow"]
BACKGROUND = [
    "Die Vereinten Nationen haben wegen des Atomprogramms umfangreiche Sanktionen gegen Nordkorea verhängt.",
    "Die Beziehungen beider Länder haben sich seit Beginn des Krieges in der Ukraine deutlich vertieft.",
    "Einzelheiten der Vereinbarungen wurden zunächst nicht veröffentlicht.",
    "Russland und Nordkorea teilen eine kurze Grenze am Fluss Tumen.",
    "Beobachter rechnen mit weiteren Gesprächen in den kommenden Monaten.",
    "Südkorea und Japan verfolgen die Annäherung mit wachsender Sorge.",
    "Die Lage an der Grenze blieb nach Angaben von Beobachtern ruhig.",
    "Der Handel zwischen beiden Ländern ist nach offiziellen Zahlen gering, wächst aber.",
    "Im Staatsfernsehen wurden Bilder des Empfangs mit Ehrengarde und Blumen gezeigt.",
    "Die Delegationen sprachen auch über Landwirtschaft, Tourismus und den Ausbau der Eisenbahn.",
    "Seit Jahren versucht Pjöngjang, seine internationale Isolation zu durchbrechen.",
    "Die Ukraine hat nach eigenen Angaben Trümmer nordkoreanischer Raketen gefunden.",
]
NUMBERS = [
    "Nach Schätzungen wurden bis zu {n}.000 Container mit Rüstungsgütern über den Hafen Rajin verschifft.",
    "Rund {n}.000 Soldaten sollen an der Übung teilgenommen haben.",
    "Der Wert der Lieferungen wird auf rund {n} Millionen Dollar geschätzt.",
]
BOILERPLATE = [
    "Lesen Sie auch  Wie Sanktionen wirken und wo sie versagen",
    "Lesen Sie auch  Der lange Weg nach Wladiwostok: eine Reportage",
    "Foto: AFP/KCNA",
    "ARCHIVBILD: Ein Zug fährt über die Freundschaftsbrücke. Foto: dpa",
    "Jetzt abonnieren und weiterlesen",
]
HEADLINES = [
    "Gespräche in {place}: Moskau und Pjöngjang rücken zusammen",
    "Waffen gegen Technik? Was hinter dem Treffen in {place} steckt",
    "Neue Vorwürfe: Nordkorea soll Russland beliefern",
    "Besuch in {place} mit Symbolkraft",
]
AUTHORS = ["Anna Berger", "Jonas Weber", "Mira Schmidt", "Paul Wagner", "Lea Hoffmann"]


def article(rng: random.Random, number: int) -> str:
    year = rng.choice([2023, 2024, 2025])
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    visitor, host, place = rng.choice(VISITS)
    slots = {"visitor": visitor, "host": host, "place": place, "day": day, "month": MONTHS[month], "year": year, "weekday": rng.choice(WEEKDAYS)}
    paragraphs = [_capitalized(rng.choice(MEETINGS).format(**slots)) + " " + rng.choice(BACKGROUND)]
    for _ in range(rng.randint(7, 13)):
        paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))))
        if rng.random() < 0.2:
            paragraphs.append(rng.choice(BOILERPLATE))
    head = f" date {year}-{month + 1:02d}-{day:02d} {rng.choice(HEADLINES).format(place=place)} (Nr. {number})"
    byline = f"({rng.choice(AUTHORS)}, {day}.{month + 1}.{year})"
    return "\n\n".join([head, *paragraphs, byline]) + "\n"


def _sentence(rng: random.Random) -> str:
    nominative, dative = rng.choice(NAMED)
    kind = rng.random()
    if kind < 0.15:
        template = rng.choice(ASSERTIONS)
    elif kind < 0.22:
        template = rng.choice(DENIALS)
    elif kind < 0.3:
        template = rng.choice(SPECULATIONS)
    elif kind < 0.4:
        template = rng.choice(QUOTES)
    elif kind < 0.5:
        template = rng.choice(NUMBERS)
    else:
        template = rng.choice(BACKGROUND)
    text = template.format(nominative=nominative, dative=dative, speaker=rng.choice(SPEAKERS), n=rng.randint(2, 90))
    return _capitalized(text)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def articles(count: int, seed: int = 7) -> Iterator[str]:
    rng = random.Random(seed)
    for number in range(count):
        yield article(rng, number)


def write_corpus(folder: Path, count: int, seed: int = 7, *, jsonl: bool = False) -> int:
    """Write the corpus; the number of bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    if jsonl:
        with (folder / "corpus.jsonl").open("w", encoding="utf-8") as stream:
            for number, text in enumerate(articles(count, seed)):
                line = json.dumps({"id": f"a{number:06d}", "text": text}, ensure_ascii=False) + "\n"
                written += stream.write(line)
        return written
    for number, text in enumerate(articles(count, seed)):
        written += (folder / f"news_{number:06d}.txt").write_bytes(text.encode("utf-8"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jsonl", action="store_true", help="one JSON Lines file instead of one .txt file per article")
    args = parser.parse_args()
    size = write_corpus(args.out, args.articles, args.seed, jsonl=args.jsonl)
    print(f"wrote {args.articles} articles ({size / args.articles / 1024:.1f} kB each on average) to {args.out}")


if __name__ == "__main__":
    main()
