"""newskg's SHACL Core engine: the shapes compiled once into Python checks over an in-memory index.

pyshacl re-walks rdflib's memory store for every focus node (about 0.1 ms a triple here), which
made validation half of a run. This engine gives the same validation results (focus node, path,
value, constraint component, source shape, severity; `tests/test_shacl_engine.py` compares it
with pyshacl on every shape fixture and on the sample corpus) at a fraction of the cost, over
pyoxigraph terms, and is small enough to run per article in worker processes.

It implements the SHACL Core features the shapes use and refuses, when compiling, any it does
not know, so a constraint is never skipped silently: targets (class, subjects of), paths
(predicate, inverse, sequence, alternative), value type (class, datatype, nodeKind), cardinality,
value range, string (minLength, maxLength, pattern), property pair (disjoint, lessThan,
lessThanOrEquals), logical (not, and, or, xone), shape-based (node, qualifiedValueShape), in,
hasValue, uniqueLang, sh:message, sh:severity, sh:deactivated. Not: sh:equals, sh:closed,
sh:qualifiedValueShapesDisjoint, SPARQL-based constraints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from etl.errors import NewskgError

_XSD = str(XSD)
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_LANG_STRING = ox.NamedNode(str(RDF.langString))
_XSD_STRING = ox.NamedNode(_XSD + "string")

# Lexical forms of the XSD datatypes whose well-formedness sh:datatype checks (others: any form).
_INTEGER = r"[+-]?[0-9]+"
_DATE = r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?"
_LEXICAL = {
    "integer": _INTEGER,
    "int": _INTEGER,
    "long": _INTEGER,
    "nonNegativeInteger": r"\+?[0-9]+|-0+",
    "positiveInteger": r"\+?0*[1-9][0-9]*",
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "double": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|NaN)|-INF",
    "float": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|NaN)|-INF",
    "boolean": r"true|false|1|0",
    "date": _DATE,
    "gYearMonth": r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?",
    "gYear": r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?",
}
_WELL_FORMED = {_XSD + name: re.compile(pattern) for name, pattern in _LEXICAL.items()}
_NUMERIC = {_XSD + name for name in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger", "decimal", "double", "float")}
_ORDERED_AS_TEXT = {_XSD + name for name in ("string", "date", "dateTime", "gYearMonth", "gYear")}

# What the engine understands; a shape using anything else under sh: is refused.
_KNOWN = {
    SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf, SH.property, SH.path,
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.uniqueLang,
    SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH["not"], SH["and"], SH["or"], SH.xone,
    SH.node, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH["in"], SH.hasValue,
    SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.declare,
}


class ShapesError(NewskgError):
    """A shapes graph uses a SHACL feature the engine does not implement."""


@dataclass(frozen=True, slots=True)
class Result:
    """One validation result, as SHACL's report vocabulary describes it."""

    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    path: URIRef | BNode | None  # the shape's sh:path node, in the shapes graph
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    component: URIRef
    shape: URIRef | BNode  # the source shape, in the shapes graph
    severity: URIRef
    messages: tuple[Literal, ...]


# ---------------------------------------------------------------- the data


class Data:
    """Triples indexed for validation: values by subject and predicate, subjects by object and
    predicate (built on first use), and the class hierarchy of the data and the ontology."""

    def __init__(self, triples: Iterable[ox.Triple], hierarchy: dict[ox.NamedNode, frozenset], index: dict | None = None) -> None:
        """The triples, after the statements of `index` ({subject: {predicate: value list}},
        each once, as `rdfio.sorted_index` gives them) if given: the index's lists are taken as
        they are (never changed), not copied triple by triple."""
        added: dict = {}
        for triple in triples:
            by_predicate = added.get(triple.subject)
            if by_predicate is None:
                by_predicate = added[triple.subject] = {}
            values = by_predicate.get(triple.predicate)
            if values is None:
                by_predicate[triple.predicate] = {triple.object: None}
            else:  # a dict, not a list: a claim many articles report has thousands of evidence values
                values[triple.object] = None
        out = {subject: dict(by_predicate) for subject, by_predicate in (index or {}).items()}
        for subject, by_predicate in added.items():
            known = out.setdefault(subject, {})
            for predicate, values in by_predicate.items():
                before = known.get(predicate)
                known[predicate] = list(dict.fromkeys([*before, *values]) if before else values)
        self.out = out
        self._inverse: dict = {}
        self._hierarchy = hierarchy
        self._types: dict = {}
        self._instances: dict | None = None

    def values(self, node, predicate) -> list:
        by_predicate = self.out.get(node)
        return by_predicate.get(predicate, []) if by_predicate else []

    def subjects_of(self, predicate) -> list:
        return [node for node, by_predicate in self.out.items() if predicate in by_predicate]

    def objects_of(self, predicate) -> list:
        seen: dict = {}
        for by_predicate in self.out.values():
            for value in by_predicate.get(predicate, ()):
                seen[value] = None
        return list(seen)

    def inverse(self, node, predicate) -> list:
        """The subjects with `node` as a value of `predicate` (indexed per predicate on first use:
        shapes follow few predicates backwards)."""
        by_value = self._inverse.get(predicate)
        if by_value is None:
            by_value = self._inverse[predicate] = {}
            for subject, by_predicate in self.out.items():
                for value in by_predicate.get(predicate, ()):
                    by_value.setdefault(value, []).append(subject)
        return by_value.get(node, [])

    def classes(self, node) -> frozenset:
        """Every class the node is an instance of, through rdfs:subClassOf."""
        found = self._types.get(node)
        if found is None:
            found = frozenset().union(*(self._hierarchy.get(t, frozenset((t,))) for t in self.values(node, _RDF_TYPE)))
            self._types[node] = found
        return found

    def instances(self, cls) -> list:
        """The nodes of a class, its subclasses' included (indexed once, on first use)."""
        if self._instances is None:
            index: dict = {}
            for node, by_predicate in self.out.items():
                if _RDF_TYPE in by_predicate:
                    for each in self.classes(node):
                        index.setdefault(each, []).append(node)
            self._instances = index
        return self._instances.get(cls, [])


def class_hierarchy(*graphs: Graph) -> dict[ox.NamedNode, frozenset]:
    """Each class with all its superclasses (itself included), from rdfs:subClassOf."""
    direct: dict = {}
    for graph in graphs:
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                direct.setdefault(_term(sub), set()).add(_term(sup))
    closed: dict = {}
    for cls in direct:
        seen, todo = {cls}, [cls]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        closed[cls] = frozenset(seen)
    return closed


def _term(term):
    """An rdflib term of the shapes graph as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


# ---------------------------------------------------------------- compiling


Check = Callable[[Data, object, list], None]  # (data, focus node, results to append to)


@dataclass(frozen=True)
class _Context:
    shape: URIRef | BNode
    path: URIRef | BNode | None
    severity: URIRef
    messages: tuple[Literal, ...]

    def result(self, focus, value, component) -> Result:
        return Result(focus, self.path, value, component, self.shape, self.severity, self.messages)


class Engine:
    """The shapes of a shapes graph, compiled. `validate(data)` gives every result."""

    def __init__(self, shapes: Graph, ontology: Graph | None = None) -> None:
        self.shapes = shapes
        self.hierarchy = class_hierarchy(*(g for g in (shapes, ontology) if g is not None))
        self._compiled: dict = {}
        self.targeted = [(self._targets(shape), self._shape(shape)) for shape in sorted(self._targeted_shapes(), key=str)]

    def data(self, triples: Iterable[ox.Triple], index: dict | None = None) -> Data:
        return Data(triples, self.hierarchy, index)

    def validate(self, data: Data, focus_filter: Callable[[object], bool] | None = None) -> list[Result]:
        """Every result of every targeted shape; with `focus_filter`, only for the focus nodes it accepts."""
        results: list[Result] = []
        for targets, check in self.targeted:
            for focus in targets(data):
                if focus_filter is None or focus_filter(focus):
                    check(data, focus, results)
        return results

    # ------------------------------------------------------------ targets

    def _targeted_shapes(self) -> set:
        g = self.shapes
        shapes = set()
        for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf):
            shapes |= set(g.subjects(predicate, None))
        return {s for s in shapes if not _deactivated(g, s)}

    def _targets(self, shape) -> Callable[[Data], list]:
        g = self.shapes
        classes = [_term(c) for c in g.objects(shape, SH.targetClass)]
        subjects_of = [_term(p) for p in g.objects(shape, SH.targetSubjectsOf)]
        objects_of = [_term(p) for p in g.objects(shape, SH.targetObjectsOf)]
        nodes = [_term(n) for n in g.objects(shape, SH.targetNode)]

        def targets(data: Data) -> list:
            found: dict = dict.fromkeys(nodes)
            for cls in classes:
                found.update(dict.fromkeys(data.instances(cls)))
            for predicate in subjects_of:
                found.update(dict.fromkeys(data.subjects_of(predicate)))
            for predicate in objects_of:
                found.update(dict.fromkeys(data.objects_of(predicate)))
            return list(found)

        return targets

    # ------------------------------------------------------------ shapes

    def _shape(self, shape) -> Check:
        """The check of a node or property shape on one focus node (memoised: shapes nest)."""
        compiled = self._compiled.get(shape)
        if compiled is None:
            self._compiled[shape] = lambda data, focus, results: self._compiled[shape](data, focus, results)  # recursion guard
            compiled = self._compiled[shape] = self._compile(shape)
        return compiled

    def _compile(self, shape) -> Check:
        g = self.shapes
        unknown = {p for p in g.predicates(shape, None) if str(p).startswith(str(SH)) and p not in _KNOWN}
        if unknown:
            raise ShapesError(f"shape {shape.n3()} uses {', '.join(sorted(p.n3(g.namespace_manager) for p in unknown))}, which newskg's SHACL engine does not implement (newskg validate --engine pyshacl has it)")
        if _deactivated(g, shape):
            return lambda data, focus, results: None
        path_node = g.value(shape, SH.path)
        context = _Context(shape, path_node, g.value(shape, SH.severity) or SH.Violation, tuple(sorted(g.objects(shape, SH.message))))
        value_checks = self._value_checks(shape, context)
        focus_checks = self._focus_checks(shape, context, path_node)
        nested = [self._shape(p) for p in sorted(g.objects(shape, SH.property), key=str)]
        if path_node is None:
            def node_check(data: Data, focus, results: list) -> None:
                for check in value_checks:
                    check(data, focus, [focus], results)
                for check in nested:
                    check(data, focus, results)
            return node_check
        path = self._path(path_node)

        def property_check(data: Data, focus, results: list) -> None:
            values = path(data, focus)
            for check in focus_checks:
                check(data, focus, values, results)
            for check in value_checks:
                check(data, focus, values, results)
            for value in values:
                for check in nested:
                    check(data, value, results)
        return property_check

    def conforms(self, shape, data: Data, node) -> bool:
        found: list = []
        self._shape(shape)(data, node, found)
        return not found

    # ------------------------------------------------------------ paths

    def _path(self, node) -> Callable[[Data, object], list]:
        g = self.shapes
        if isinstance(node, URIRef):
            predicate = _term(node)
            return lambda data, focus: data.values(focus, predicate)
        if (node, RDF.first, None) in g:
            steps = [self._path(step) for step in Collection(g, node)]

            def sequence(data: Data, focus) -> list:
                current = [focus]
                for step in steps:
                    current = list(dict.fromkeys(v for n in current for v in step(data, n)))
                return current
            return sequence
        inverse = g.value(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            predicate = _term(inverse)
            return lambda data, focus: data.inverse(focus, predicate)
        alternative = g.value(node, SH.alternativePath)
        if alternative is not None:
            options = [self._path(step) for step in Collection(g, alternative)]
            return lambda data, focus: list(dict.fromkeys(v for option in options for v in option(data, focus)))
        raise ShapesError(f"path {node.n3()} is not a predicate, inverse, sequence or alternative path (newskg's SHACL engine supports only those; use --engine pyshacl)")

    # ------------------------------------------------------------ constraints

    def _focus_checks(self, shape, ctx: _Context, path_node) -> list:
        """Constraints on the set of value nodes as a whole."""
        g = self.shapes
        checks = []
        minimum = g.value(shape, SH.minCount)
        if minimum is not None:
            low = int(minimum)
            checks.append(_when(lambda data, focus, values: len(values) < low, ctx, SH.MinCountConstraintComponent))
        maximum = g.value(shape, SH.maxCount)
        if maximum is not None:
            high = int(maximum)
            checks.append(_when(lambda data, focus, values: len(values) > high, ctx, SH.MaxCountConstraintComponent))
        for value in g.objects(shape, SH.hasValue):
            wanted = _term(value)
            checks.append(_when(lambda data, focus, values, wanted=wanted: wanted not in values, ctx, SH.HasValueConstraintComponent))
        if g.value(shape, SH.uniqueLang) == Literal(True):
            checks.append(_unique_lang(ctx))
        qualified = g.value(shape, SH.qualifiedValueShape)
        if qualified is not None:
            checks.append(self._qualified(shape, qualified, ctx))
        return checks

    def _value_checks(self, shape, ctx: _Context) -> list:
        """Constraints each value node must meet (for a node shape: the focus node itself)."""
        g = self.shapes
        checks = []
        for cls in g.objects(shape, SH["class"]):
            checks.append(_each(_class_test(_term(cls)), ctx, SH.ClassConstraintComponent))
        for datatype in g.objects(shape, SH.datatype):
            checks.append(_each(_datatype_test(_term(datatype)), ctx, SH.DatatypeConstraintComponent))
        for kind in g.objects(shape, SH.nodeKind):
            checks.append(_each(_node_kind_test(kind), ctx, SH.NodeKindConstraintComponent))
        for predicate, component, accept in _RANGES:
            for bound in g.objects(shape, predicate):
                checks.append(_each(_range_test(_term(bound), accept), ctx, component))
        for bound in g.objects(shape, SH.minLength):
            checks.append(_each(lambda data, v, n=int(bound): not isinstance(v, ox.BlankNode) and len(v.value) >= n, ctx, SH.MinLengthConstraintComponent))
        for bound in g.objects(shape, SH.maxLength):
            checks.append(_each(lambda data, v, n=int(bound): not isinstance(v, ox.BlankNode) and len(v.value) <= n, ctx, SH.MaxLengthConstraintComponent))
        for pattern in g.objects(shape, SH.pattern):
            regex = re.compile(str(pattern), _regex_flags(g.value(shape, SH.flags)))
            checks.append(_each(lambda data, v, r=regex: not isinstance(v, ox.BlankNode) and r.search(v.value) is not None, ctx, SH.PatternConstraintComponent))
        for members in g.objects(shape, SH["in"]):
            allowed = frozenset(_term(m) for m in Collection(g, members))
            checks.append(_each(lambda data, v, a=allowed: v in a, ctx, SH.InConstraintComponent))
        for predicate, component, test in _PAIRS:
            for other in g.objects(shape, predicate):
                checks.append(_pair(_term(other), test, ctx, component))
        for node in g.objects(shape, SH.node):
            checks.append(_each(lambda data, v, s=node: self.conforms(s, data, v), ctx, SH.NodeConstraintComponent))
        for node in g.objects(shape, SH["not"]):
            checks.append(_each(lambda data, v, s=node: not self.conforms(s, data, v), ctx, SH.NotConstraintComponent))
        for predicate, component, accept in _LOGICAL:
            for members in g.objects(shape, predicate):
                member_shapes = list(Collection(g, members))
                checks.append(_each(lambda data, v, ms=member_shapes, ok=accept: ok(sum(self.conforms(m, data, v) for m in ms), len(ms)), ctx, component))
        return checks

    def _qualified(self, shape, qualified, ctx: _Context) -> Callable:
        g = self.shapes
        low, high = g.value(shape, SH.qualifiedMinCount), g.value(shape, SH.qualifiedMaxCount)

        def check(data: Data, focus, values: list, results: list) -> None:
            count = sum(self.conforms(qualified, data, v) for v in values)
            if low is not None and count < int(low):
                results.append(ctx.result(focus, None, SH.QualifiedMinCountConstraintComponent))
            if high is not None and count > int(high):
                results.append(ctx.result(focus, None, SH.QualifiedMaxCountConstraintComponent))
        return check


def _deactivated(g: Graph, shape) -> bool:
    return g.value(shape, SH.deactivated) == Literal(True)


def _when(failed: Callable, ctx: _Context, component: URIRef) -> Callable:
    def check(data: Data, focus, values: list, results: list) -> None:
        if failed(data, focus, values):
            results.append(ctx.result(focus, None, component))
    return check


def _each(test: Callable, ctx: _Context, component: URIRef) -> Callable:
    def check(data: Data, focus, values: list, results: list) -> None:
        for value in values:
            if not test(data, value):
                results.append(ctx.result(focus, value, component))
    return check


def _pair(other, test: Callable, ctx: _Context, component: URIRef) -> Callable:
    def check(data: Data, focus, values: list, results: list) -> None:
        others = data.values(focus, other)
        for value in values:
            if not all(test(value, o) for o in others):
                results.append(ctx.result(focus, value, component))
    return check


def _unique_lang(ctx: _Context) -> Callable:
    def check(data: Data, focus, values: list, results: list) -> None:
        seen: dict = {}
        for value in values:
            if isinstance(value, ox.Literal) and value.language:
                seen[value.language] = seen.get(value.language, 0) + 1
        for _ in (lang for lang, count in seen.items() if count > 1):
            results.append(ctx.result(focus, None, SH.UniqueLangConstraintComponent))
    return check


def _class_test(cls) -> Callable:
    return lambda data, value: cls in data.classes(value)


def _range_test(bound, accept: Callable[[int], bool]) -> Callable:
    return lambda data, value: _ordered(value, bound, accept)


def _datatype_test(datatype) -> Callable:
    def test(data: Data, value) -> bool:
        if not isinstance(value, ox.Literal):
            return False
        if datatype == _LANG_STRING:
            return bool(value.language)
        return not value.language and value.datatype == datatype and _well_formed(value)
    return test


def _node_kind_test(kind: URIRef) -> Callable:
    allowed = {
        SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
        SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
        SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
    }[kind]
    return lambda data, value: isinstance(value, allowed)


def _regex_flags(flags) -> int:
    mapping = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
    value = 0
    for letter in str(flags or ""):
        value |= mapping.get(letter, 0)
    return value


def _compare(a, b) -> int | None:
    """-1, 0 or 1 as SPARQL's < and = order two literals, or None where they are not comparable."""
    if not (isinstance(a, ox.Literal) and isinstance(b, ox.Literal)) or a.language or b.language:
        return None
    da, db = a.datatype.value, b.datatype.value
    if not (_well_formed(a) and _well_formed(b)):
        return None  # an ill-typed literal compares with nothing (SPARQL's type error)
    if da in _NUMERIC and db in _NUMERIC:
        try:
            x, y = Decimal(a.value.strip()), Decimal(b.value.strip())
        except InvalidOperation:
            return None
        if x.is_nan() or y.is_nan():
            return None
        return (x > y) - (x < y)
    if da == db and da in _ORDERED_AS_TEXT:
        return (a.value > b.value) - (a.value < b.value)
    return None


def _well_formed(literal: ox.Literal) -> bool:
    lexical = _WELL_FORMED.get(literal.datatype.value)
    return lexical is None or lexical.fullmatch(literal.value.strip()) is not None


def _ordered(value, bound, accept: Callable[[int], bool]) -> bool:
    order = _compare(value, bound)
    return order is not None and accept(order)


_RANGES = (
    (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda o: o >= 0),
    (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda o: o <= 0),
    (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda o: o > 0),
    (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda o: o < 0),
)
_PAIRS = (
    (SH.lessThan, SH.LessThanConstraintComponent, lambda v, o: _ordered(v, o, lambda c: c < 0)),
    (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, lambda v, o: _ordered(v, o, lambda c: c <= 0)),
    (SH.disjoint, SH.DisjointConstraintComponent, lambda v, o: v != o),
)
_LOGICAL = (
    (SH["or"], SH.OrConstraintComponent, lambda passed, total: passed >= 1),
    (SH["and"], SH.AndConstraintComponent, lambda passed, total: passed == total),
    (SH.xone, SH.XoneConstraintComponent, lambda passed, total: passed == 1),
)
