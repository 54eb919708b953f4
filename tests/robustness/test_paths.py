"""Inputs named directly, by glob or inside a folder get the same verdict about what they are."""

from __future__ import annotations

import os

import pytest

from etl.cli import main
from etl.datapack import slug
from etl.sources import Skipped, read_sources

GOOD = " date 2023-09-14 Gipfel\n\nKim Jong Un traf Wladimir Putin am Mittwoch in Wostotschny.\n"


def _skipped(items) -> list[Skipped]:
    return [i for i in items if isinstance(i, Skipped)]


def test_a_fifo_is_refused_however_it_is_named(tmp_path, pack):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    link = tmp_path / "verweis.txt"
    os.symlink(fifo, link)
    for given in (str(fifo), str(link), str(tmp_path / "*.txt")):
        reasons = {s.reason for s in _skipped(read_sources([given], pack))}
        assert reasons == {"is a named pipe (FIFO), not a regular file (expected a text, HTML or JSON Lines file)"}, given


def test_a_device_behind_a_link_is_refused_before_it_is_opened(tmp_path, pack):
    link = tmp_path / "null.txt"
    os.symlink("/dev/null", link)
    (skipped,) = _skipped(read_sources([str(link)], pack))
    assert skipped.reason == "is a device, not a regular file (expected a text, HTML or JSON Lines file)"


def test_broken_and_looping_links_say_which(tmp_path, pack):
    loop = tmp_path / "schleife.txt"
    os.symlink(loop.name, loop)
    broken = tmp_path / "weg.txt"
    os.symlink("gibt-es-nicht.txt", broken)
    (looping,) = _skipped(read_sources([str(loop)], pack))
    assert looping.reason == "cannot be read (Too many levels of symbolic links)"
    (dangling,) = _skipped(read_sources([str(broken)], pack))
    assert dangling.reason == "broken symbolic link (it points to gibt-es-nicht.txt, which does not exist)"


def test_a_json_lines_file_of_one_overlong_line_is_reported_once(tmp_path, pack):
    path = tmp_path / "lang.jsonl"
    path.write_text('{"id": "x", "text": "' + "Kim traf Putin. " * 200 + '"}\n', encoding="utf-8")
    (skipped,) = list(read_sources([str(path)], pack, max_bytes=500))
    assert (skipped.source, skipped.reason) == (f"{path}:1", "line 1 is longer than the limit of 500 bytes (raise it with --max-bytes)")


@pytest.mark.parametrize("value", ["0", "-5", "viel"])
def test_max_bytes_must_be_a_positive_number(tmp_path, capsys, value):
    (tmp_path / "gut.txt").write_text(GOOD, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(tmp_path), "--out", str(tmp_path / "out"), "--max-bytes", value])
    assert exit_info.value.code == 2
    assert "--max-bytes" in capsys.readouterr().err


def test_a_name_in_another_script_gets_one_key_in_every_normal_form():
    import unicodedata

    name = "김정은"
    assert slug(unicodedata.normalize("NFD", name)) == slug(unicodedata.normalize("NFC", name)) == slug(f" {name} ")
