"""The only place that reads or writes RDF files.

Writing goes through pyoxigraph's serializers over triples in a fixed order, so the same graph
gives the same bytes in every run and process (rdflib's own Turtle writer is orders of
magnitude slower on large graphs). Files are written to a temporary file and renamed, so a
reader never sees half a file and a failed run leaves the previous one in place.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

from etl.errors import GraphInputError, OutputBusyError
from etl.vocab import PREFIXES

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
_RDF_TYPE = str(RDF.type)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_current_umask()  # what open() would give; mkstemp alone gives 0600


# ---------------------------------------------------------------- terms


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def _order(triple: ox.Triple) -> tuple[str, bool, str, str]:
    """Subjects together, rdf:type first, then by predicate and object."""
    predicate = triple.predicate.value
    return (str(triple.subject), predicate != _RDF_TYPE, predicate, str(triple.object))


def ox_triples(graph: Graph) -> list[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples."""
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]


def sorted_triples(graph: Graph | Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples of an rdflib graph, or pyoxigraph triples, in the fixed order."""
    triples = ox_triples(graph) if isinstance(graph, Graph) else list(graph)
    triples.sort(key=_order)
    return triples


def sorted_index(index: dict) -> dict:
    """Statements indexed {subject: {predicate: values}} (each once) in the fixed order of
    `sorted_triples`, the values as lists: a few small sorts instead of one over every triple."""
    return {
        subject: {predicate: _sorted_values(index[subject][predicate]) for predicate in sorted(index[subject], key=_predicate_order)}
        for subject in sorted(index, key=str)
    }


def _predicate_order(predicate: ox.NamedNode) -> tuple[bool, str]:
    value = predicate.value
    return value != _RDF_TYPE, value


def _sorted_values(values) -> list:
    return sorted(values, key=str) if len(values) > 1 else list(values)


def index_triples(index: dict) -> list[ox.Triple]:
    """The statements of an index, in its order, as triples."""
    return [ox.Triple(s, p, o) for s, by_predicate in index.items() for p, values in by_predicate.items() for o in values]


# ---------------------------------------------------------------- writing


def turtle_bytes(graph: Graph) -> bytes:
    """Deterministic Turtle of an rdflib graph without blank nodes (or with canonical ones)."""
    return ox.serialize(sorted_triples(graph), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def sorted_named_graphs(named_graphs: Iterable[tuple[URIRef | str, Graph | list[ox.Triple]]]) -> list[tuple[str, list[ox.Triple]]]:
    """Each named graph's triples in the fixed order, graphs in IRI order: sort once, write twice."""
    return [(str(name), sorted_triples(graph)) for name, graph in sorted(named_graphs, key=lambda item: str(item[0]))]


def ntriples_bytes(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def statements(ntriples: bytes) -> Iterator[ox.Quad]:
    """N-Triples parsed, as the parser gives them: quads in the default graph, which serialize
    and validate as triples do (made into `ox.Triple`s one by one, they would cost Python time)."""
    return ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)


def as_statement(triple: ox.Triple) -> ox.Quad:
    """A triple as `statements` gives it, so the two compare equal."""
    return ox.Quad(triple.subject, triple.predicate, triple.object)


def named_graph_ntriples(named_graphs: list[tuple[str, list[ox.Triple]]]) -> list[tuple[str, bytes, int]]:
    """Each entry of `sorted_named_graphs` as N-Triples: its name, the bytes, the number of triples."""
    return [(name, ntriples_bytes(triples), len(triples)) for name, triples in named_graphs]


def read_named_graph_ntriples(path: Path) -> list[tuple[str, bytes, int]]:
    """The named graphs of a TriG or N-Quads file, as `named_graph_ntriples` gives them."""
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in read_statements(path):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise GraphInputError(f"{path}: triples outside any named graph (expected TriG or N-Quads with one named graph per article)")
        graphs.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    if not graphs:
        raise GraphInputError(f"{path}: no named graph in it (expected TriG or N-Quads, for example output/graph.trig)")
    return named_graph_ntriples([(name, sorted(graphs[name], key=_order)) for name in sorted(graphs)])


def canonical_turtle_bytes(graph: Graph) -> bytes:
    """Deterministic Turtle of a graph with blank nodes (a SHACL report): blank node labels
    are replaced by canonical ones that depend on the graph's content only."""
    return turtle_bytes(to_canonical_graph(graph))


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, flush it to disk, then rename over it."""
    write_all_atomic({Path(path): data})


Content = bytes | Callable[[BinaryIO], None]  # the bytes, or a function that writes them to a stream


def write_all_atomic(files: dict[Path, Content], digests: dict[Path, str] | None = None) -> dict[Path, str]:
    """Write several files so that none is ever half-written and they change together: every
    one goes to a temporary file beside its target and is flushed to disk first, and only then
    are they renamed over the targets, in the order given (put the one that vouches for the
    others last). A crash before the renames leaves every old file as it was. Content may be a
    function writing to a stream, so a large file never has to be held in memory; it is called
    after the files before it are staged, and `digests` (returned) gets the SHA-256 of each
    file as it is staged, so a manifest written last can vouch for the others."""
    staged: list[tuple[str, Path]] = []
    digests = {} if digests is None else digests
    try:
        for path, content in files.items():
            temporary, digests[path] = _staged(path, content)
            staged.append((temporary, path))
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    for folder in {path.parent for path in files}:
        _sync_folder(folder)
    return digests


class _HashingWriter:
    """A binary stream that hashes what passes through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()


def _staged(path: Path, content: Content) -> tuple[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.chmod(temporary, _FILE_MODE)
        with os.fdopen(handle, "wb") as raw:
            stream = _HashingWriter(io.BufferedWriter(raw, buffer_size=1 << 20))
            if isinstance(content, bytes):
                stream.write(content)
            else:
                content(stream)
            stream.flush()
            os.fsync(raw.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary, stream.hash.hexdigest()


def _sync_folder(folder: Path) -> None:
    """Make the renames themselves durable (a power cut after a rename can otherwise undo it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


class Spill:
    """An append-only, nameless temporary file of byte chunks: a run's graphs wait on disk, not
    in memory, until they are written out. It lives in the output folder (not /tmp, which may
    be memory) and disappears with the process, even one killed."""

    def __init__(self, folder: Path) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)
        self._end = 0

    def append(self, data: bytes) -> Chunk:
        os.pwrite(self._file.fileno(), data, self._end)
        chunk = Chunk(self, self._end, len(data))
        self._end += len(data)
        return chunk

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._file.fileno(), length, offset)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True, eq=False)
class Chunk:
    spill: Spill
    offset: int
    length: int

    def read(self) -> bytes:
        return self.spill.read(self.offset, self.length)


def bytes_of(data: bytes | Chunk) -> bytes:
    """Bytes kept in memory or waiting in the spill."""
    return data if isinstance(data, bytes) else data.read()


def as_nquads(name: str, data: bytes | Chunk) -> bytes:
    """A named graph's N-Triples as N-Quads in that graph. A raw line feed only ends a line in
    N-Triples (inside a literal it is escaped), so every statement ends in exactly " .\n"."""
    return bytes_of(data).replace(b" .\n", b" " + str(ox.NamedNode(name)).encode("utf-8") + b" .\n")


class ByteStream(io.RawIOBase):
    """Byte chunks as one file object, made a chunk at a time, for loaders that read a file
    object (the whole never has to be in memory)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = memoryview(chunk)
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def trig_block(name: str, turtle: bytes) -> bytes:
    """A named graph exactly as a TriG document with PREFIXES holds it, without the prefix lines,
    made from the graph's `turtle_block`: inside `graph:name { … }` TriG writes the statements as
    Turtle does, each line indented by a tab (a line feed inside a literal is escaped). The blocks
    of sorted graphs join under `prefix_lines` to the bytes of the whole dataset serialized, and a
    block can be made where its triples are (a worker process) without a Python object per quad."""
    if not turtle:
        return b""
    graph = ox.NamedNode(name)
    opening = _without_prefix_lines(ox.serialize([ox.Quad(graph, graph, graph, graph)], format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
    lines = turtle.split(b"\n")
    assert not lines[-1], "a Turtle block ends with a line feed"
    return opening[: opening.index(b"\n") + 1] + b"".join(b"\t" + line + b"\n" for line in lines[:-1]) + b"}\n"


def turtle_block(triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
    """Triples as a Turtle document with PREFIXES holds them, without the prefix lines. Blocks
    whose subjects differ join to the bytes of one document (a subject's statements end with
    its block)."""
    return _without_prefix_lines(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


def prefix_lines(fmt: ox.RdfFormat) -> bytes:
    """The @prefix lines pyoxigraph opens a Turtle or TriG document with PREFIXES."""
    node = ox.NamedNode("urn:newskg:prefixes")
    statement = ox.Quad(node, node, node, node) if fmt == ox.RdfFormat.TRIG else ox.Triple(node, node, node)
    document = ox.serialize([statement], format=fmt, prefixes=PREFIXES)
    return document[: len(document) - len(_without_prefix_lines(document))]


def _without_prefix_lines(document: bytes) -> bytes:
    end = 0
    while document.startswith(b"@prefix ", end):
        end = document.index(b"\n", end) + 1
    return document[end:]


def blocks_writer(fmt: ox.RdfFormat, blocks: Iterable[bytes | Chunk]) -> Callable[[BinaryIO], None]:
    """Writes blocks (`trig_block`, `turtle_block`) as one document: the prefix lines, then each
    block in turn, a block at a time. An empty document stays empty, as pyoxigraph writes it."""

    def write(stream: BinaryIO) -> None:
        opened = False
        for block in blocks:
            data = bytes_of(block)
            if data and not opened:
                stream.write(prefix_lines(fmt))
                opened = True
            stream.write(data)

    return write


LOCK_FILE = ".newskg.lock"


@contextmanager
def exclusive_output(folder: Path) -> Iterator[None]:
    """Hold the output folder for one run: a second run into it is refused instead of interleaving
    its files, and temporary files a killed run left behind are removed. The lock dies with the
    process, so a run killed with SIGKILL does not block the next."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+b") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusyError(f"{folder}: another newskg run is writing this output folder (it holds {folder / LOCK_FILE}); wait for it or choose another --out") from None
        for stale in folder.glob(".*.part"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def remove_if_unused(folder: Path) -> None:
    """Remove an output folder that holds nothing but the lock a run took on it."""
    lock = Path(folder) / LOCK_FILE
    try:
        if [entry.name for entry in os.scandir(folder)] == [LOCK_FILE]:
            lock.unlink()
            Path(folder).rmdir()
    except OSError:  # gone, or another run came in meanwhile: leave it
        pass


# ---------------------------------------------------------------- reading


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return _FORMATS[Path(path).suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise GraphInputError(f"{path}: unknown RDF file type {Path(path).suffix!r} (expected one of {known})") from None


def read_graph(path: Path) -> Graph:
    """Every triple of an RDF file (of every named graph, for TriG and N-Quads) as an rdflib graph."""
    return rdflib_graph(read_statements(path))


def rdflib_graph(statements: Iterable) -> Graph:
    """pyoxigraph triples or quads (their graph names dropped) as an rdflib graph."""
    graph = Graph()
    for statement in statements:
        graph.add((to_rdflib(statement.subject), to_rdflib(statement.predicate), to_rdflib(statement.object)))
    return graph


def load_store(path: Path) -> ox.Store:
    """An in-memory pyoxigraph store holding an RDF file (named graphs kept)."""
    store = ox.Store()
    fmt = rdf_format(path)
    with _input_errors(path, fmt):
        store.load(path=str(path), format=fmt)
    return store


def read_statements(path: Path) -> list:
    """Every triple or quad of an RDF file, as pyoxigraph parses it."""
    fmt = rdf_format(path)
    with _input_errors(path, fmt):
        return list(ox.parse(path=str(path), format=fmt))


@contextmanager
def _input_errors(path: Path, fmt: ox.RdfFormat) -> Iterator[None]:
    """A file that cannot be read or parsed is a `GraphInputError` naming it and the reason."""
    try:
        yield
    except (SyntaxError, ValueError) as err:
        raise GraphInputError(f"{path}: not valid {fmt.name} ({err})") from None
    except OSError as err:
        raise GraphInputError(f"{path}: cannot be read ({err.strerror or err})") from None
