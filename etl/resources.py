"""Where the ontology, the shapes and the competency queries are.

In a source checkout (and an editable install) they are the top-level folders of the repository;
a wheel carries copies inside the package (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def resource_dir(name: str) -> Path:
    for candidate in (_CHECKOUT / name, _PACKAGE / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ folder is missing from {_CHECKOUT} and from the installed package")


def ontology_file() -> Path:
    return resource_dir("ontology") / "newskg.ttl"


def shapes_file() -> Path:
    return resource_dir("shapes") / "newskg-shapes.ttl"


def queries_dir() -> Path:
    return resource_dir("queries")
