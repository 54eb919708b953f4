"""The one error hierarchy of newskg.

Invalid *data* (a graph that does not conform) is a report, not an exception.
These exceptions are for inputs that cannot be read and for a program that
cannot go on; each message says what was found and what was expected.
"""

from __future__ import annotations


class NewskgError(Exception):
    """Base class of every error newskg raises on purpose."""


class SourceError(NewskgError):
    """An input file (or one record of it) cannot be turned into an article."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class DataPackError(NewskgError):
    """A file of the domain data pack (etl/data/) is missing or malformed."""


class GraphInputError(NewskgError):
    """An RDF file given to validate or query is missing or cannot be parsed."""


class QueryError(NewskgError):
    """A SPARQL query is unreadable or malformed."""


class OutputBusyError(NewskgError):
    """Another run is writing the same output folder."""
