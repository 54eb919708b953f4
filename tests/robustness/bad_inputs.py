"""The catalogue of bad, odd and hostile inputs: how each is written, and what a run must do with it.

Each case writes its input into a folder. `run_batch` runs `newskg run` over all of them at once,
beside one good article, and tells what became of every input. Run this file to print the table
of the closing note: `python tests/robustness/bad_inputs.py`.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD = (
    " date 2023-09-14 Gipfel im Kosmodrom\n\n"
    "Kim Jong Un traf Wladimir Putin am Mittwoch im Kosmodrom Wostotschny.\n"
    "Nach Angaben der USA liefert Nordkorea Artilleriemunition an Russland.\n"
)
HOSTILE_LINE = (
    'Er sagte: """Wir liefern nichts""" \\ \\" <b>fett</b> > {x} @prefix ex: <http://evil.example/> . '
    "] ; DROP ALL ; \x07\x1b\x7f \u202eRTL\u202c \u200f\u200e \u2028 \U0001F680\U0001F1F0\U0001F1F5 \ufffd"
)

READ = "read"
WARNED = "read, with a warning"
ONCE = "read once, both sources recorded"
SKIPPED = "skipped"
AS_HTML = "read as HTML"


@dataclass(frozen=True)
class Case:
    kind: str  # what the input is, in a few words: a row of the table
    write: Callable[[Path], Path]  # writes the input into a folder; the path messages name
    outcome: str
    message: str  # what the one line about it says (a part of it); "" for none


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return write


def _png() -> bytes:
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def _article(headline: str, *sentences: str, date: str = "2023-09-14") -> str:
    return f" date {date} {headline}\n\n" + "\n".join(sentences) + "\n"


LATIN1 = _article("Dementi aus Pjöngjang", "Pjöngjang weist Berichte über Waffenlieferungen an Rußland zurück.", "Die Gespräche in Moskau würden fortgesetzt, hieß es.")
CP1252 = _article("Kreml: keine Munition", "„Wir kaufen keine Munition aus Nordkorea“, sagte Kremlsprecher Dmitri Peskow – das sei „Unsinn“.")
HTML_LATIN1 = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="iso-8859-1"><title>Schoigu in Pjöngjang</title></head><body>'
    "<article><h1>Schoigu in Pjöngjang</h1>"
    "<p>Der russische Verteidigungsminister Sergej Schoigu ist zu Gesprächen in Pjöngjang eingetroffen. "
    "Er wurde am Flughafen von Nordkoreas Verteidigungsminister empfangen, berichtete die Nachrichtenagentur KCNA.</p>"
    "<p>Südkorea und die USA äußerten den Verdacht, Nordkorea liefere Artilleriegranaten an Russland für den Krieg "
    "gegen die Ukraine. Moskau und Pjöngjang bestreiten das. Über die Größe der Lieferungen gibt es keine Angaben.</p>"
    "</article></body></html>"
)
HTML_NO_ARTICLE = (
    "<!DOCTYPE html><html><head><title></title><script>var teaser = '<p>Kim traf Putin in Moskau.</p>';</script>"
    "<style>p { color: red }</style></head><body><script>document.write('Kim Jong Un traf Wladimir Putin.')</script>"
    '<nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav></body></html>'
)
HTML_BROKEN = (
    "<html><head><title>Gipfel in Wladiwostok</title><body><div><article><h1>Gipfel in Wladiwostok"
    "<p>Der nordkoreanische Machthaber Kim Jong Un ist in Wladiwostok mit Kremlchef Wladimir Putin zusammengetroffen. "
    "Beide Seiten sprachen nach Angaben des Kremls über militärische Zusammenarbeit.</span></div>"
    "<p>Die USA werfen Nordkorea vor, Russland mit Munition zu beliefern. Pjöngjang bestreitet das <b>entschieden"
    "<p>Ein weiterer Absatz ohne schließende Tags über die Reise des Machthabers mit seinem gepanzerten Zug <a hre"
)


def _symlink_loop(folder: Path) -> Path:
    path = folder / "schleife.txt"
    os.symlink(path.name, path)
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _unreadable(folder: Path) -> Path:
    path = folder / "gesperrt.txt"
    path.write_text(GOOD.replace("Kosmodrom", "Weltraumbahnhof"), encoding="utf-8")
    path.chmod(0)
    return path


def _jsonl(name: str, lines: list[str]) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    return write


def _record(ident: str, text: str, published: str = "2023-09-13") -> str:
    return json.dumps({"id": ident, "title": "Meldung", "published": published, "text": text}, ensure_ascii=False)


def _twice(folder: Path) -> Path:
    text = _article("Lawrow in Pjöngjang", "Der russische Außenminister Sergej Lawrow ist in Pjöngjang eingetroffen.")
    (folder / "zweimal_a.txt").write_text(text, encoding="utf-8")
    (folder / "zweimal_b.txt").write_text(text, encoding="utf-8")
    return folder / "zweimal_b.txt"


def _big(folder: Path) -> Path:
    path = folder / "riesig.txt"
    line = "Kim Jong Un traf Wladimir Putin in Moskau. ".encode()
    with path.open("wb") as stream:
        block = line * (1 << 14)
        while stream.tell() < 50 * 1024 * 1024:
            stream.write(block)
        stream.truncate(50 * 1024 * 1024)
    return path


def _long_line(folder: Path) -> Path:
    words = "die der und in zu den das nicht von sie ist des sich mit dem dass er es ein auf so eine auch als an nach".split()
    filler = " ".join(words[i * 7 % len(words)] for i in range(40_000))  # about 150 kB without a line break
    path = folder / "lange_zeile.txt"
    path.write_text(_article("Eine Zeile", filler + " Kim Jong Un traf Wladimir Putin am Mittwoch in Wostotschny. " + filler), encoding="utf-8")
    return path


CASES = (
    Case("empty file", _bytes("leer.txt", b""), SKIPPED, "empty file (expected article text)"),
    Case("whitespace only", _bytes("leerzeichen.txt", b"  \n\t \r\n \x0c \n"), SKIPPED, "holds only whitespace (expected article text)"),
    Case("binary (NUL bytes)", _bytes("daten.txt", bytes(range(256)) * 8), SKIPPED, "binary file (NUL bytes), expected text"),
    Case("binary (a PNG image named .txt)", _bytes("foto.txt", _png()), SKIPPED, "binary file (NUL bytes), expected text"),
    Case("UTF-16 without byte-order mark", _bytes("utf16_ohne_bom.txt", GOOD.encode("utf-16-le")), SKIPPED, "UTF-16 needs a byte-order mark"),
    Case("Latin-1 text", _bytes("latin1.txt", LATIN1.encode("latin-1")), WARNED, "decoded as Windows-1252 (detected)"),
    Case("Windows-1252 text („…“, –)", _bytes("cp1252.txt", CP1252.encode("cp1252")), WARNED, "decoded as Windows-1252 (detected)"),
    Case("HTML declaring ISO-8859-1", _bytes("deklariert.html", HTML_LATIN1.encode("latin-1")), WARNED, "decoded as Windows-1252 (the encoding the file declares)"),
    Case("UTF-8 with byte-order mark", _bytes("bom.txt", b"\xef\xbb\xbf" + GOOD.replace("Mittwoch", "Dienstag").encode()), READ, ""),
    Case("UTF-16 with byte-order mark", _bytes("utf16.txt", GOOD.replace("Mittwoch", "Montag").encode("utf-16")), READ, ""),
    Case("mixed line endings (CRLF, LF, CR)", _bytes("zeilenenden.txt", _article("Zeilen", "Schoigu traf Kim Jong Un in Pjöngjang.", "Putin lobte das.").replace("\n", "\r\n", 2).replace("\n\n", "\r\r").encode()), READ, ""),
    Case("50 MB file (limit 20 MiB)", _big, SKIPPED, "file is 52,428,800 bytes, above the limit of 20,971,520 bytes (raise it with --max-bytes)"),
    Case("HTML with scripts and no article", _bytes("nur_skripte.html", HTML_NO_ARTICLE.encode()), SKIPPED, "HTML without article text (the main content found is 2 word(s) of headings or navigation, no paragraph)"),
    Case("broken HTML (unclosed and cut-off tags)", _bytes("kaputt.html", HTML_BROKEN.encode()), READ, ""),
    Case("HTML saved as .txt", _bytes("seite.txt", HTML_LATIN1.replace("iso-8859-1", "utf-8").replace("Verteidigungsminister", "Außenminister").replace("Schoigu", "Lawrow").encode()), AS_HTML, ""),
    Case("header date 2023-13", _bytes("monat13.txt", _article("Datum", "Kim traf Putin.", date="2023-13").encode()), SKIPPED, "header date '2023-13' is not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
    Case('quotes, backslashes, <, >, {, @prefix, controls, RTL marks, emoji', _bytes("feindselig.txt", _article("Sonderzeichen \"\"\" <x> {y} \U0001F680", "Kim Jong Un traf Wladimir Putin am Mittwoch in Wladiwostok.", HOSTILE_LINE).encode()), READ, ""),
    Case("a 150 kB line", _long_line, READ, ""),
    Case("symbolic link loop", _symlink_loop, SKIPPED, "cannot be read (Too many levels of symbolic links)"),
    Case("unreadable file (mode 000)", _unreadable, SKIPPED, "cannot be read (Permission denied)"),
    Case("named pipe (FIFO) named .txt", _fifo, SKIPPED, "is a named pipe (FIFO), not a regular file"),
    Case("JSON Lines, one line cut off", _jsonl("feed.jsonl", [_record("a", "Schoigu traf Kim Jong Un in Pjöngjang."), '{"id": "b", "text": "Lawrow traf', _record("c", "Putin empfing Kim Jong Un im Kreml.")]), SKIPPED, "line 2 is not valid JSON (Unterminated string starting at column 21)"),
    Case("JSON Lines, a lone surrogate", _jsonl("surrogat.jsonl", ['{"id": "s", "text": "Kim \\ud800 traf Putin."}']), SKIPPED, '"text" holds an unpaired surrogate (\\ud800 at character 4), expected valid Unicode'),
    Case("JSON Lines, date 2023-02-30", _jsonl("datum.jsonl", [_record("d", "Kim traf Putin.", published="2023-02-30")]), SKIPPED, "\"published\" '2023-02-30' is not an ISO date (expected YYYY-MM-DD)"),
    Case("JSON Lines, a 5,000-digit number", _jsonl("zahlen.jsonl", ['{"id": "n", "text": "x", "n": ' + "9" * 5000 + "}", _record("ok", "Lawrow traf Choe Son Hui in Moskau.")]), SKIPPED, "line 1 cannot be read as JSON (ValueError: Exceeds the limit (4300 digits)"),
    Case("JSON Lines, nested 100,000 deep", _jsonl("tief.jsonl", ["[" * 100_000 + "]" * 100_000, _record("ok", "Choe Son Hui traf Lawrow in Pjöngjang.")]), SKIPPED, "line 1 cannot be read as JSON (RecursionError"),
    Case("JSON Lines in UTF-16", _bytes("utf16.jsonl", (_record("u", "Kim traf Putin.") + "\n").encode("utf-16")), SKIPPED, "starts with a UTF-16 byte-order mark; JSON Lines must be UTF-8 (RFC 8259)"),
    Case("random bytes named .jsonl", _bytes("zufall.jsonl", bytes((i * 97 + 13) % 256 or 1 for i in range(200_000))), SKIPPED, "the first 20 lines are not JSON Lines records"),
    Case("the same article under two names", _twice, ONCE, "same text as"),
)


WHOLE_FILE = {"JSON Lines in UTF-16", "random bytes named .jsonl"}


def message_path(case: Case, path: Path) -> str:
    """The name messages give the input: a JSON Lines record is named file:line."""
    if case.kind == "JSON Lines, one line cut off":
        return f"{path}:2"
    if path.suffix == ".jsonl" and case.kind not in WHOLE_FILE:
        return f"{path}:1"
    return str(path)


@dataclass
class Batch:
    folder: Path
    out: Path
    code: int
    stdout: str
    stderr: str
    paths: dict[str, Path]  # case kind → the input it wrote


def write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gut.txt").write_text(GOOD, encoding="utf-8")
    return {case.kind: case.write(folder) for case in CASES}


def run_batch(root: Path) -> Batch:
    """`newskg run` over every case and one good article, in this process."""
    from etl.cli import main

    paths = write_inputs(root / "eingang")
    out = root / "ausgabe"
    stdout, stderr = io.StringIO(), io.StringIO()
    with _unreadable_for_root(paths["unreadable file (mode 000)"]), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["run", str(root / "eingang"), "--out", str(out)])
    return Batch(root / "eingang", out, code, stdout.getvalue(), stderr.getvalue(), paths)


@contextlib.contextmanager
def _unreadable_for_root(path: Path):
    """Mode 000 stops everyone but root, and tests may run as root: then opening that one file
    fails as the kernel would fail it for anyone else."""
    if os.geteuid() != 0:
        yield
        return
    real_open = os.open

    def refusing_open(name, flags, *args, **kwargs):
        if os.fspath(name) == str(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(name, flags, *args, **kwargs)

    os.open = refusing_open
    try:
        yield
    finally:
        os.open = real_open


def markdown_table(batch: Batch) -> str:
    rows = ["| input | outcome | message |", "| --- | --- | --- |"]
    lines = (batch.stderr + batch.stdout).splitlines()
    for case in CASES:
        path = batch.paths[case.kind]
        named = (message_path(case, path), path.name)
        line = next((line for line in lines if case.message and case.message in line and any(n in line for n in named)), "")
        shown = line.strip().removeprefix("newskg: ").replace(str(batch.folder) + "/", "").replace("|", "\\|")
        rows.append(f"| {case.kind} | {case.outcome} | {f'`{shown}`' if shown else '—'} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover - prints the closing note's table
    with tempfile.TemporaryDirectory() as folder:
        result = run_batch(Path(folder))
        print(markdown_table(result))
        print(f"\nexit code {result.code}", file=sys.stderr)
