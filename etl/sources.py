"""Sources: files, folders and globs in, `Article`s out.

Three forms are read: plain text as in the sample corpus (optional first line ` date YYYY-MM`
followed by the headline), HTML (main text and metadata through trafilatura) and JSON Lines
(`id`, `url`, `title`, `published`, `text`), streamed record by record. Boilerplate is not cut
out of the text; it is left outside every content segment, so each offset still points into the
original file.

Text is decoded by its byte-order mark, as UTF-8, by the charset an HTML file declares, or by
detection, with a warning for anything but UTF-8. An input that cannot be read (empty, binary,
too large, not a regular file, a broken record) becomes a `Skipped` with a one-line reason.
"""

from __future__ import annotations

import codecs
import errno
import glob
import html
import json
import os
import re
import stat
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from etl.datapack import BoilerplateRules, DataPack
from etl.errors import SourceError
from etl.model import Article, DateValue, Segment, SegmentKind, SourceFormat, SourceMap, article_key

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

_HEADER = re.compile(r"[ \t]*date[ \t]+(\S+)[ \t]*(.*)")  # matched at the first line's start
_BYLINE_DATE = re.compile(r"\(\s*[^()\n]{2,80},\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\s*\)\s*$")
_SENTENCE_END = re.compile(r"""[.!?:;…"“”«»)\]]\s*$""")
_LOOKS_HTML = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that yields no article, with the reason in one line."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def read_sources(inputs: Iterable[str], pack: DataPack, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Skipped]:
    """Every article in the inputs (files, folders, globs), in a stable order.

    A file that cannot be read yields a `Skipped` with its reason and the batch goes on.
    """
    for path in _expand(inputs):
        if isinstance(path, Skipped):
            yield path
            continue
        try:
            yield from _read_file(path, pack, max_bytes)
        except SourceError as err:
            yield Skipped(err.source, err.reason)


# ---------------------------------------------------------------- finding files


def _expand(inputs: Iterable[str]) -> Iterator[Path | Skipped]:
    seen: set[str] = set()
    for raw in inputs:
        for item in _expand_one(raw):
            if isinstance(item, Path):
                marker = os.path.realpath(item)
                if marker in seen:
                    continue
                seen.add(marker)
            yield item


def _expand_one(raw: str) -> Iterator[Path | Skipped]:
    path = Path(raw)
    if glob.has_magic(raw) and not path.exists():
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            yield Skipped(raw, "the pattern matches no file")
        for match in matches:
            if not os.path.isdir(match):
                yield Path(match)  # a FIFO or device among them is refused when it is read, naming what it is
        return
    if path.is_dir():
        found = False
        for folder, dirs, files in os.walk(path, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES:
                    found = True
                    yield Path(folder) / name
        if not found:
            yield Skipped(raw, f"the folder holds no article files (expected {', '.join(sorted(KNOWN_SUFFIXES))})")
        return
    if path.exists():
        yield path  # a FIFO or device is refused when it is read, naming what it is
    elif path.is_symlink():
        yield Skipped(raw, _unresolvable(path))
    else:
        yield Skipped(raw, "no such file or folder")


def _unresolvable(link: Path) -> str:
    try:
        os.stat(link)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return f"cannot be read ({err.strerror})"
    return f"broken symbolic link (it points to {os.readlink(link)}, which does not exist)"


# ---------------------------------------------------------------- reading one file


def _read_file(path: Path, pack: DataPack, max_bytes: int) -> Iterator[Article | Skipped]:
    name = str(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(path, pack, max_bytes)
        return
    data = _read_bounded(path, max_bytes)
    text, warnings = decode(data, name)
    if not text.strip():
        raise SourceError(name, "holds only whitespace (expected article text)")
    if _format_of(path, text) is SourceFormat.HTML:
        yield _read_html(path, text, pack, warnings)
    else:
        yield _read_text(path, text, pack, warnings)


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`."""
    name = str(path)
    try:
        with _open_regular(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(max_bytes + 1) if size <= max_bytes else b""
    except OSError as err:
        raise SourceError(name, f"cannot be read ({err.strerror or err})") from None
    if size > max_bytes or len(data) > max_bytes:
        raise SourceError(name, f"file is {max(size, len(data)):,} bytes, above the limit of {max_bytes:,} bytes (raise it with --max-bytes)")
    return data


@contextmanager
def _open_regular(path: Path) -> Iterator[BinaryIO]:
    """A regular file opened for reading. A FIFO or device is refused before it is opened (opening
    some has effects), and the open file is checked again, having been opened without blocking."""
    _refuse_irregular(os.stat(path).st_mode, str(path))
    with open(path, "rb", opener=_nonblocking) as stream:
        _refuse_irregular(os.fstat(stream.fileno()).st_mode, str(path))
        yield stream


def _refuse_irregular(mode: int, name: str) -> None:
    kind = _not_regular(mode)
    if kind:
        raise SourceError(name, f"is {kind}, not a regular file (expected a text, HTML or JSON Lines file)")


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)  # opening a FIFO for reading would wait for a writer


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a plain file"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", re.I)
# The text encodings an HTML or XML file may declare (the WHATWG Encoding Standard's, as Python
# names them); anything else (base64, rot13, unicode_escape, ...) is not honoured.
_DECLARABLE = frozenset({
    "utf_8", "cp1252", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8",
    "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "cp1250", "cp1251", "cp1253", "cp1254",
    "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic", "cp866",
    "gbk", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
})
# Labels a browser reads as another encoding: Latin-1 and ASCII as Windows-1252, UTF-16 and UTF-32
# (which a byte-oriented declaration cannot truly be) as UTF-8.
_WHATWG_LABELS = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254", "iso8859_11": "cp874",
                  "gb2312": "gbk", "utf_16": "utf_8", "utf_16_le": "utf_8", "utf_16_be": "utf_8", "utf_32": "utf_8"}


def decode(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """A file's text: by its byte-order mark, as UTF-8, by the charset an HTML or XML file
    declares, or by detection (charset-normalizer). Anything but UTF-8 comes with a warning."""
    if not data:
        raise SourceError(name, "empty file (expected article text)")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), ()
            except UnicodeDecodeError as err:
                raise SourceError(name, f"starts with a {codec.upper().removesuffix('-SIG')} byte-order mark but byte {err.start} does not fit it") from None
    if b"\x00" in data[:8192]:
        raise SourceError(name, "binary file (NUL bytes), expected text (UTF-16 needs a byte-order mark)")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as err:
        position = err.start
    text, encoding, how = _declared(data) or _detected(data, name)
    if _control_share(text) > 0.05:
        raise SourceError(name, "binary file (not UTF-8 and mostly control characters), expected text")
    return text, (f"not valid UTF-8 (byte {position}); decoded as {encoding} ({how})",)


def _declared(data: bytes) -> tuple[str, str, str] | None:
    match = _DECLARED.search(data, 0, 4096)
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    try:
        codec = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    codec = _WHATWG_LABELS.get(codec, codec)
    if codec not in _DECLARABLE:
        return None
    try:
        return data.decode(codec), _encoding_name(codec), "the encoding the file declares"
    except (UnicodeError, LookupError):
        return None


def _detected(data: bytes, name: str) -> tuple[str, str, str]:
    """Windows-1252 for text that reads as a Latin-script language in it (what a browser assumes for
    German pages without a charset, and what short texts cannot be told apart from); otherwise what
    charset-normalizer finds (Cyrillic, Greek, ... encodings)."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _reads_as_latin_script(western):
        return western, "Windows-1252", "detected"
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise SourceError(name, "binary file (no text encoding fits), expected text")
    return str(best), _encoding_name(best.encoding), "detected"


def _reads_as_latin_script(text: str) -> bool:
    """Most letters are ASCII ones: German has a few umlauts per hundred letters, while Cyrillic
    or Greek bytes read as Windows-1252 turn nearly every letter into an accented one."""
    letters = [char for char in text[:65536] if char.isalpha()]
    accented = sum(1 for char in letters if ord(char) > 127)
    return len(letters) < 40 or accented <= 0.3 * len(letters)  # too few letters to tell: the common case


def _encoding_name(codec: str) -> str:
    return {"cp1252": "Windows-1252", "latin_1": "Latin-1", "utf_16": "UTF-16"}.get(codec.replace("-", "_"), codec)


def _control_share(text: str) -> float:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls / max(1, len(sample))


def _format_of(path: Path, text: str) -> SourceFormat:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return SourceFormat.HTML
    if suffix in JSONL_SUFFIXES:
        return SourceFormat.JSONL
    return SourceFormat.HTML if _LOOKS_HTML.match(text) else SourceFormat.TEXT


# ---------------------------------------------------------------- plain text


def _read_text(path: Path, text: str, pack: DataPack, warnings: tuple[str, ...]) -> Article:
    name = str(path)
    published = None
    segments: list[Segment] = []
    body_from = 0
    first_line = next((line for line in _lines(text, 0, len(text)) if text[line[0] : line[1]].strip()), None)
    header = _HEADER.fullmatch(text, *first_line) if first_line else None
    if header:
        published = _parse_header_date(header.group(1), name)
        head_start, head_end = header.start(2), _rstrip(text, header.start(2), header.end(2))
        if head_end > head_start:
            segments.append(Segment(head_start, head_end, SegmentKind.HEADLINE))
        body_from = first_line[1]
    body_end, byline_date = _byline(text)
    published = _more_precise(published, byline_date)
    segments.extend(classify_lines(text, body_from, body_end, pack.boilerplate))
    if segments and segments[0].kind is not SegmentKind.HEADLINE and not header:
        segments[0] = Segment(segments[0].start, segments[0].end, SegmentKind.HEADLINE)
    headline = text[segments[0].start : segments[0].end] if segments and segments[0].kind is SegmentKind.HEADLINE else None
    return Article(
        key=article_key(text),
        source=path.name,
        path=name,
        fmt=SourceFormat.TEXT,
        original=text,
        text=text,
        segments=tuple(segments),
        headline=headline,
        published=published,
        warnings=warnings,
    )


def _parse_header_date(value: str, name: str) -> DateValue:
    try:
        return DateValue.from_iso(value)
    except ValueError:
        raise SourceError(name, f"header date {value!r} is not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)") from None


def _byline(text: str) -> tuple[int, DateValue | None]:
    """A closing dated byline such as "(Jo Angerer, 14.9.2023)": where the body ends, and its date."""
    match = _BYLINE_DATE.search(text, max(0, len(text) - 300))
    if not match:
        return len(text), None
    day, month, year = (int(g) for g in match.groups())
    try:
        return match.start(), DateValue(year, month, day)
    except ValueError:
        return len(text), None


def _more_precise(header: DateValue | None, byline: DateValue | None) -> DateValue | None:
    if header is None or byline is None:
        return header or byline
    if byline.compatible(header) and byline.precision.rank > header.precision.rank:
        return byline
    return header


_LINE_BREAK = re.compile(r"\r\n?|\n")


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line in text[start:end], without its line break (\\n, \\r\\n or a lone \\r)."""
    position = start
    for brk in _LINE_BREAK.finditer(text, start, end):
        yield position, brk.start()
        position = brk.end()
    if position < end:
        yield position, end


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def classify_lines(text: str, start: int, end: int, rules: BoilerplateRules) -> list[Segment]:
    """The content segments among the lines of text[start:end]; boilerplate lines are left out."""
    segments = []
    for line_start, line_end in _lines(text, start, end):
        line_start, line_end = _lstrip(text, line_start, line_end), _rstrip(text, line_start, line_end)
        if line_end <= line_start or rules.drop_line.found_in(text[line_start:line_end]):
            continue
        kind = SegmentKind.BODY
        prefix = rules.strip_prefix.regex.match(text[line_start:line_end])  # patterns anchor at the line
        if prefix:
            line_start, kind = line_start + prefix.end(), SegmentKind.CAPTION
        suffix = rules.strip_suffix.search(text[line_start:line_end])
        if suffix and suffix.start() > 0:
            line_end, kind = _rstrip(text, line_start, line_start + suffix.start()), SegmentKind.CAPTION
        if kind is SegmentKind.BODY and _is_heading(text[line_start:line_end]):
            kind = SegmentKind.HEADING
        if line_end > line_start:
            segments.append(Segment(line_start, line_end, kind))
    return segments


def _is_heading(line: str) -> bool:
    return len(line) < 100 and len(line.split()) <= 12 and not _SENTENCE_END.search(line)


# ---------------------------------------------------------------- JSON Lines


JSONL_GIVE_UP = 20  # unreadable lines before the first record after which a file is not JSON Lines


def _read_jsonl(path: Path, pack: DataPack, max_bytes: int) -> Iterator[Article | Skipped]:
    """One article per line, streamed: `max_bytes` limits each record, not the file. A file whose
    first lines are all unreadable is skipped as a whole, with one line, not one per line."""
    name = str(path)
    try:
        with _open_regular(path) as stream:
            _check_jsonl_start(stream.read(8192), name)
            stream.seek(0)
            pending: list[Skipped] = []  # held back until a record shows the file is JSON Lines
            any_line = any_record = False
            for number, raw in enumerate(_bounded_lines(stream, max_bytes), start=1):
                if raw is not None and not raw.strip():
                    continue
                any_line = True
                item = _jsonl_item(path, number, raw, pack, max_bytes)
                if isinstance(item, Skipped) and not any_record:
                    pending.append(item)
                    if len(pending) >= JSONL_GIVE_UP:
                        raise SourceError(name, f"the first {JSONL_GIVE_UP} lines are not JSON Lines records (line 1: {pending[0].reason}); not read further")
                    continue
                if not any_record:
                    any_record = True
                    yield from pending
                    pending.clear()
                yield item
            yield from pending
    except OSError as err:
        raise SourceError(name, f"cannot be read ({err.strerror or err})") from None
    if not any_line:
        raise SourceError(name, "holds no JSON Lines records (expected one JSON object per line)")


def _check_jsonl_start(head: bytes, name: str) -> None:
    for bom, codec in _BOMS:
        if codec != "utf-8-sig" and head.startswith(bom):
            raise SourceError(name, f"starts with a {codec.upper()} byte-order mark; JSON Lines must be UTF-8 (RFC 8259)")
    if b"\x00" in head:
        raise SourceError(name, "binary file (NUL bytes), expected JSON Lines text")


def _jsonl_item(path: Path, number: int, raw: bytes | None, pack: DataPack, max_bytes: int) -> Article | Skipped:
    where = f"{path}:{number}"
    if raw is None:
        return Skipped(where, f"line {number} is longer than the limit of {max_bytes:,} bytes (raise it with --max-bytes)")
    try:
        return _jsonl_record(path, number, raw, pack)
    except SourceError as err:
        return Skipped(err.source, err.reason)


def _bounded_lines(stream, max_bytes: int) -> Iterator[bytes | None]:
    """Each line of a binary stream (split at \\n only: U+2028 may sit inside a JSON string), or
    None for a line longer than `max_bytes`, which is read past without being held."""
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield None
            continue
        yield line


def _check_unicode(value: object, key: str, where: str) -> None:
    """JSON's \\ud800 escapes can spell lone surrogates, which no file or RDF literal can hold."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise SourceError(where, f"\"{key}\" holds an unpaired surrogate (\\u{ord(value[err.start]):04x} at character {err.start}), expected valid Unicode") from None


def _jsonl_record(path: Path, number: int, raw: bytes, pack: DataPack) -> Article:
    where = f"{path}:{number}"
    line, warnings = decode(raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw, where)
    line = line.rstrip("\r\n")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise SourceError(where, f"line {number} is not valid JSON ({err.msg.removesuffix(' at')} at column {err.colno})") from None
    except (ValueError, RecursionError) as err:  # a 5,000-digit number, nesting 100,000 deep
        reason = " ".join(str(err).split())[:160]
        raise SourceError(where, f"line {number} cannot be read as JSON ({type(err).__name__}: {reason})") from None
    if not isinstance(record, dict):
        raise SourceError(where, f"line {number} is a JSON {type(record).__name__}, expected an object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise SourceError(where, "record has no \"text\" string (expected the article text)")
    for key in ("text", "title", "url", "id", "published"):
        _check_unicode(record.get(key), key, where)
    published = None
    if record.get("published"):
        try:
            published = DateValue.from_iso(str(record["published"]))
        except ValueError:
            raise SourceError(where, f"\"published\" {record['published']!r} is not an ISO date (expected YYYY-MM-DD)") from None
    title = record.get("title") if isinstance(record.get("title"), str) else None
    url = record.get("url") if isinstance(record.get("url"), str) else None
    ident = record.get("id")
    segments = classify_lines(body, 0, len(body), pack.boilerplate)
    if title and segments and body[segments[0].start : segments[0].end] == title.strip():
        segments[0] = Segment(segments[0].start, segments[0].end, SegmentKind.HEADLINE)
    return Article(
        key=article_key(body),
        source=url or f"{path.name}#{ident if ident is not None else number}",
        path=where,
        fmt=SourceFormat.JSONL,
        original=body,
        text=body,
        segments=tuple(segments),
        headline=title.strip() if title else None,
        published=published,
        url=url,
        warnings=warnings,
    )


# ---------------------------------------------------------------- HTML


_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"
    r"|<(?P<close>/?)(?P<tag>[A-Za-z][\w:.-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?",
    re.S,
)
_RAW_TEXT_TAGS = {"script", "style", "noscript", "template", "svg", "math", "textarea", "title"}
_BLOCK_TAGS = {
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th",
    "table", "article", "section", "header", "footer", "nav", "aside", "main", "blockquote",
    "figure", "figcaption", "pre", "dd", "dt", "dl", "form", "address", "body", "html", "head",
}


@dataclass(slots=True)
class _View:
    """Text of an HTML document with, for each character, its span in the HTML source."""

    chars: list[str]
    starts: array
    ends: array

    def add(self, text: str, start: int, end: int | None = None) -> None:
        for offset, char in enumerate(text):
            self.chars.append(char)
            if end is None:  # literal text: one source character each
                self.starts.append(start + offset)
                self.ends.append(start + offset + 1)
            else:  # decoded entity or separator: the whole source span
                self.starts.append(start)
                self.ends.append(end)


def html_text_view(source: str) -> _View:
    view = _View([], array("q"), array("q"))
    position = 0
    length = len(source)
    while position < length:
        match = _HTML_TOKEN.search(source, position)
        if not match:
            view.add(source[position:], position)
            break
        if match.start() > position:
            view.add(source[position : match.start()], position)
        token = match.group(0)
        position = match.end()
        if token.startswith("&"):
            view.add(html.unescape(token), match.start(), match.end())
        elif match.group("tag"):
            tag = match.group("tag").lower()
            if tag in _BLOCK_TAGS:
                view.add("\n", match.start(), match.start())
            if tag in _RAW_TEXT_TAGS and not match.group("close") and not token.endswith("/>"):
                closing = re.compile(rf"</{re.escape(tag)}\s*>", re.I).search(source, position)
                position = closing.end() if closing else length
    return view


def _normalized(view: _View) -> tuple[str, list[int]]:
    """The view with runs of whitespace collapsed to one space; index map into the view."""
    out: list[str] = []
    index: list[int] = []
    in_space = True
    for i, char in enumerate(view.chars):
        if char.isspace() or char == "\xad":
            if not in_space and char != "\xad":
                out.append(" ")
                index.append(i)
                in_space = True
            continue
        out.append(char)
        index.append(i)
        in_space = False
    return "".join(out), index


def _read_html(path: Path, source: str, pack: DataPack, warnings: tuple[str, ...]) -> Article:
    import trafilatura  # heavy import, only when HTML is read

    name = str(path)
    main = trafilatura.extract(source, include_comments=False, include_tables=False, output_format="txt")
    if not main or not main.strip():
        raise SourceError(name, "HTML without article text (no main content found)")
    meta = trafilatura.extract_metadata(source)
    view = html_text_view(source)
    flat, index = _normalized(view)
    chars: list[str] = []
    starts, ends = array("q"), array("q")
    cursor = 0
    missing = 0
    for line in main.splitlines():
        wanted = " ".join(line.split())
        if not wanted:
            continue
        found = flat.find(wanted, cursor)
        if found < 0:
            found = flat.find(wanted)
        if found < 0:
            missing += 1
            continue
        if chars:
            chars.append("\n")
            starts.append(ends[-1])
            ends.append(ends[-1])
        for k in range(found, found + len(wanted)):
            chars.append(flat[k])
            starts.append(view.starts[index[k]])
            ends.append(view.ends[index[k]])
        cursor = found + len(wanted)
    text = "".join(chars)
    if not text.strip():
        raise SourceError(name, "HTML main text could not be located in the file")
    if missing:
        warnings = (*warnings, f"{missing} line(s) of the main text could not be located in the HTML and were left out")
    segments = classify_lines(text, 0, len(text), pack.boilerplate)
    if not any(s.kind in (SegmentKind.BODY, SegmentKind.CAPTION) for s in segments):
        words = len(text.split())
        raise SourceError(name, f"HTML without article text (the main content found is {words} word(s) of headings or navigation, no paragraph)")
    title = (meta.title or "").strip() if meta else ""
    if title and segments and " ".join(text[segments[0].start : segments[0].end].split()) == " ".join(title.split()):
        segments[0] = Segment(segments[0].start, segments[0].end, SegmentKind.HEADLINE)
    published = None
    if meta and meta.date:
        try:
            published = DateValue.from_iso(meta.date)
        except ValueError:
            warnings = (*warnings, f"publication date {meta.date!r} in the HTML metadata is not an ISO date; ignored")
    return Article(
        key=article_key(text),
        source=path.name,
        path=name,
        fmt=SourceFormat.HTML,
        original=source,
        text=text,
        segments=tuple(segments),
        headline=title or None,
        published=published,
        url=(meta.url if meta and meta.url else None),
        source_map=SourceMap(starts, ends),
        warnings=warnings,
    )
