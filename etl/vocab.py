"""Every vocabulary term newskg writes, in closed namespaces.

A term that is not listed here raises AttributeError, so a typo cannot mint a new property;
`tests/test_ontology.py` checks that each NKG, concept and reused term is declared in
`ontology/newskg.ttl` or in the vocabulary it comes from.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD, DefinedNamespace

BASE = "https://w3id.org/newskg/"
ONTOLOGY_IRI = URIRef(BASE + "ns")
ID = Namespace(BASE + "id/")
WD = Namespace("http://www.wikidata.org/entity/")


class NKG(DefinedNamespace):
    """The newskg ontology."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Article: URIRef
    Actor: URIRef
    Person: URIRef
    Organization: URIRef
    State: URIRef
    Place: URIRef
    Meeting: URIRef
    ArmsTransferClaim: URIRef
    Evidence: URIRef
    Mention: URIRef
    MeetingStatus: URIRef
    Stance: URIRef
    Attribution: URIRef
    Materiel: URIRef
    # concept schemes
    MaterielScheme: URIRef
    StanceScheme: URIRef
    MeetingStatusScheme: URIRef
    AttributionScheme: URIRef
    # article properties
    sourceName: URIRef
    alsoReadFrom: URIRef
    sourceFormat: URIRef
    contentHash: URIRef
    textLength: URIRef
    publicationTime: URIRef
    hasMention: URIRef
    # mentions and actors
    mentionOf: URIRef
    mentionForm: URIRef
    belongsToState: URIRef
    linkConfidence: URIRef
    linkScore: URIRef
    linkedOn: URIRef
    graphHash: URIRef
    role: URIRef
    # meetings
    participant: URIRef
    place: URIRef
    hasTime: URIRef
    meetingStatus: URIRef
    # claims
    claimant: URIRef
    attribution: URIRef
    stance: URIRef
    supplier: URIRef
    recipient: URIRef
    materiel: URIRef
    quantity: URIRef
    quantityValue: URIRef
    claimTime: URIRef
    # evidence and time
    hasEvidence: URIRef
    precision: URIRef


class MATERIEL(DefinedNamespace):
    """The materiel concepts; local names are the gold format's codes."""

    _NS = Namespace(BASE + "materiel/")
    _fail = True
    _extras = [
        "weapons",
        "ammunition",
        "artillery-ammunition",
        "missiles",
        "ballistic-missiles",
        "anti-tank-missiles",
        "rocket-launchers",
        "military-equipment",
        "drones",
        "military-technology",
        "satellite-technology",
        "submarine-technology",
        "nuclear-technology",
        "missile-technology",
        "military-personnel",
    ]


class STANCE(DefinedNamespace):
    _NS = Namespace(BASE + "stance/")
    _fail = True
    asserts: URIRef
    denies: URIRef
    speculates: URIRef


class STATUS(DefinedNamespace):
    _NS = Namespace(BASE + "status/")
    _fail = True
    held: URIRef
    ongoing: URIRef
    planned: URIRef


class ATTRIBUTION(DefinedNamespace):
    _NS = Namespace(BASE + "attribution/")
    _fail = True
    named: URIRef
    author: URIRef
    unnamed: URIRef


class OA(DefinedNamespace):
    """The Web Annotation terms used for evidence."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef


class SEM(DefinedNamespace):
    """The Simple Event Model terms the event roles refine."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True
    Event: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTime: URIRef


PREFIXES = {
    "nkg": str(NKG._NS),
    "materiel": str(MATERIEL._NS),
    "stance": str(STANCE._NS),
    "status": str(STATUS._NS),
    "attribution": str(ATTRIBUTION._NS),
    "article": BASE + "id/article/",
    "entity": BASE + "id/entity/",
    "meeting": BASE + "id/meeting/",
    "claim": BASE + "id/claim/",
    "evidence": BASE + "id/evidence/",
    "mention": BASE + "id/mention/",
    "instant": BASE + "id/time/",
    "graph": BASE + "id/graph/",
    "wd": str(WD),
    "schema": str(SDO._NS),
    "prov": str(PROV._NS),
    "oa": str(OA._NS),
    "sem": str(SEM._NS),
    "time": str(TIME._NS),
    "skos": str(SKOS._NS),
    "owl": str(OWL._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
}

__all__ = ["NKG", "MATERIEL", "STANCE", "STATUS", "ATTRIBUTION", "OA", "SEM", "ID", "WD", "PREFIXES", "ONTOLOGY_IRI"]
