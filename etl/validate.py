"""The SHACL gate: does a graph conform to shapes/newskg-shapes.ttl?

The decision is the report's sh:conforms, never an exit code. A graph that cannot be read is
an error (`GraphInputError`, raised by rdfio); a graph that can be read but does not conform
is a report.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH


@dataclass(frozen=True, eq=False)
class ValidationReport:
    conforms: bool
    graph: Graph
    text: str

    @property
    def violations(self) -> int:
        return sum(1 for _ in self.graph.subjects(SH.resultSeverity, SH.Violation))

    def summary(self, limit: int = 10) -> list[str]:
        """One line per violation: the focus node, the path and the message."""
        lines = []
        for result in self.graph.subjects(SH.resultSeverity, SH.Violation):
            focus = self.graph.value(result, SH.focusNode)
            path = self.graph.value(result, SH.resultPath)
            message = self.graph.value(result, SH.resultMessage)
            lines.append(f"{focus} {path or ''}: {message}".replace("  ", " "))
        lines.sort()
        return lines[:limit] + ([f"... and {len(lines) - limit} more"] if len(lines) > limit else [])


def validate_graph(data: Graph, shapes: Graph, ontology: Graph) -> ValidationReport:
    """Validate data against the shapes, with the ontology's class hierarchy mixed in."""
    conforms, report_graph, report_text = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return ValidationReport(bool(conforms), report_graph, report_text)
