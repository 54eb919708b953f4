"""Arms-transfer claims: who says that which materiel moved (or will, or did not) from whom to whom.

A claim needs a transfer (a verb or noun of handing over, or "M aus X") and materiel from
the vocabulary. The supplier and recipient come from prepositions ("an Russland", "aus
Nordkorea"), from an adjective on the materiel ("nordkoreanische Raketen"), from a genitive
after a transfer noun ("Waffenlieferungen Nordkoreas") or from the subject of the verb (the
supplier of "liefern", the recipient of "kaufen"); what the text leaves open is filled with
the domain's usual direction from the data pack. The claimant is the source the sentence
names (see `attribution`), unnamed sources, or the article itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from etl.extract.attribution import (
    CLAUSE_BREAK,
    Speech,
    after_preposition,
    clause_bounds,
    part_with,
    speaker_spans,
    speech_acts,
    split_between_verbs,
)
from etl.extract.document import Document
from etl.extract.entities import Found
from etl.extract.text import Sentence
from etl.model import Attribution, Claim, EntityKind, Evidence, MentionForm, Quantity, SegmentKind, Stance, merge_claims

_VAGUE = frozenset({"mehrere", "einige", "weitere", "Dutzende", "Hunderte", "Tausende", "Zehntausende"})
_DEMONSTRATIVE = frozenset({"Die", "Das", "Diese", "Dies", "Sie", "Er", "Es", "Solche", "Diesen", "Dieser"})
_FILLER = frozenset("der die das den dem des ein eine einen einem einer eines".split())
# A semicolon, a dash between blanks, or a colon before a new statement opens a new part
# of the sentence with its own subject ("Russland braucht Waffen – das macht Putin zum
# Partner für Kim"): roles are read within the part that holds the materiel.
_PART_BREAK = re.compile(r";\s|\s[–—]\s|:\s+(?=[A-ZÄÖÜ])")


@dataclass(frozen=True, slots=True)
class _Transfer:
    supplier: str
    recipient: str
    materiel: tuple[str, ...]
    quantity: Quantity | None
    start: int
    end: int
    piece: tuple[int, int] | None = None  # the part of the sentence whose words set the stance


@dataclass(frozen=True, slots=True)
class _Term:
    code: str
    start: int
    end: int


def find_claims(doc: Document) -> tuple[Claim, ...]:
    drafts: list[Claim] = []
    last_transfer: tuple[int, _Transfer] | None = None
    last_speech: tuple[int, list[Speech]] | None = None
    last_materiel: tuple[int, list[_Term]] | None = None
    for sentence in doc.sentences:
        if doc.pack.claims.silence.search(doc.text, sentence.start, sentence.end):
            continue  # "Pjöngjang äußerte sich nicht": no one says anything here
        speeches = speech_acts(doc, sentence)
        inherited = bool(not speeches and last_speech and _continues_speech(doc, sentence, last_speech[0]))
        if inherited:
            speeches = [Speech(s.attribution, s.claimant, False, sentence.start, sentence.start) for s in last_speech[1]]
        materiel = _materiel_in(doc, sentence)
        if not materiel and last_materiel and (_refers_back(doc, sentence, last_materiel[0]) or _definite_transfer(doc, sentence, last_materiel[0])):
            materiel = last_materiel[1]
        transfers = _transfers(doc, sentence, materiel, speeches) if materiel else []
        if not transfers and last_transfer and _takes_up(doc, sentence, last_transfer[0]):
            drafts.extend(_taken_up(doc, sentence, speeches, last_transfer[1]))
        if transfers and _asserted_at_all(doc, sentence):
            for transfer in transfers:
                drafts.extend(_claims(doc, sentence, transfer, speeches))
            last_transfer = (sentence.index, transfers[0])
        if speeches and not inherited:
            last_speech = (sentence.index, [s for s in speeches if not s.denial] or speeches)
        if materiel:
            last_materiel = (sentence.index, materiel)
    return merge_claims(drafts)


# ---------------------------------------------------------------- sentence-level tests


def _asserted_at_all(doc: Document, sentence: Sentence) -> bool:
    """Body questions and hypotheticals report no claim (a headline question speculates)."""
    if sentence.is_question and sentence.kind is not SegmentKind.HEADLINE:
        return False
    return not doc.pack.claims.hypothetical.search(doc.text, sentence.start, sentence.end)


def _refers_back(doc: Document, sentence: Sentence, earlier: int, *, any_start: bool = False) -> bool:
    """The sentence right after `earlier` in the same paragraph takes up its subject."""
    if sentence.index - earlier != 1 or doc.sentences[earlier].segment != sentence.segment:
        return False
    first = sentence.tokens[0].text if sentence.tokens else ""
    return any_start or first in _DEMONSTRATIVE


_DEFINITE = frozenset("der die das den dem des diese diesen dieser dieses".split())


def _definite_transfer(doc: Document, sentence: Sentence, earlier: int) -> bool:
    """ "bestätigten den Einsatz": a transfer noun with a definite article takes up the materiel
    of the sentence before."""
    if not 1 <= sentence.index - earlier <= 2:
        return False
    rules = doc.pack.claims
    for cues in (rules.nouns, rules.deploy):
        for match in cues.finditer(doc.text, sentence.start, sentence.end):
            before = doc.text[max(sentence.start, match.start() - 12) : match.start()].split()
            if before and before[-1] in _DEFINITE:
                return True
    return False


def _takes_up(doc: Document, sentence: Sentence, earlier: int) -> bool:
    """The sentence speaks of the transfer reported before: "das" right after it, "die Vorwürfe"
    up to three sentences later."""
    rules = doc.pack.claims
    if _refers_back(doc, sentence, earlier, any_start=True):
        return True
    return sentence.index - earlier <= 4 and bool(rules.report_nouns.search(doc.text, sentence.start, sentence.end))


def _continues_speech(doc: Document, sentence: Sentence, earlier: int) -> bool:
    """Reported speech going on in the subjunctive in the next sentence of the same paragraph."""
    if sentence.index - earlier != 1 or doc.sentences[earlier].segment != sentence.segment:
        return False
    return bool(doc.pack.claims.reported_speech.search(doc.text, sentence.start, sentence.end))


# ---------------------------------------------------------------- materiel and quantity


_TRUNCATED = re.compile(r"(\w+)-\s+(?:und|oder|sowie)\s+(\w+)")


def _materiel_in(doc: Document, sentence: Sentence) -> list[_Term]:
    hits = []
    text = doc.text
    named = doc.pack.any_materiel.search(text, sentence.start, sentence.end) is not None
    for concept in doc.pack.materiel if named else ():
        for match in concept.terms.finditer(text, sentence.start, sentence.end):
            excluded = concept.exclude.regex.match(text, match.start(), match.end())
            if excluded and excluded.end() == match.end():
                continue
            hits.append((match.start(), -(match.end() - match.start()), -concept.depth, concept.code, match.end()))
    hits += _truncated_compounds(doc, sentence)
    chosen: list[_Term] = []
    for start, _, _, code, end in sorted(hits):
        if not chosen or start >= chosen[-1].end:
            chosen.append(_Term(code, start, end))
    return chosen


def _truncated_compounds(doc: Document, sentence: Sentence) -> list[tuple]:
    """ "Raketen- und Satellitentechnik": the first part takes the head of the second."""
    hits = []
    for match in _TRUNCATED.finditer(doc.text, sentence.start, sentence.end):
        full = match.group(2).lower()
        head = next((h for h in doc.pack.compound_heads if full.endswith(h) and len(full) > len(h)), None)
        if head is None:
            continue
        word = match.group(1) + head
        for concept in doc.pack.materiel:
            if concept.terms.regex.fullmatch(word) and not concept.exclude.regex.fullmatch(word):
                hits.append((match.start(1), -len(word), -concept.depth, concept.code, match.end(1) + 1))
    return hits


def _quantity(doc: Document, sentence: Sentence, materiel: list[_Term]) -> Quantity | None:
    rules = doc.pack.claims
    text = doc.text
    for match in rules.quantity.finditer(text, sentence.start, sentence.end):
        after = match.end()
        head = next((t for t in materiel if 0 <= t.start - after <= 3), None)
        container = rules.containers.regex.match(text, after + 1) if after < sentence.end else None
        if head is None and container is None:
            continue
        end = head.end if head else container.end()
        return Quantity(text[match.start() : end], _number(match.group(0), rules.numbers))
    return None


def _number(words: str, numbers: dict[str, int]) -> int | None:
    """The number a stated quantity gives: "12.000" and "11 000" are 12000 and 11000, "1,5
    Millionen" 1500000; vague words ("mehrere", "Millionen" alone) give none."""
    text = re.sub(r"(?<=\d)[.\u202f ](?=\d{3}\b)", "", words)  # thousands separators
    tokens = text.split()
    if any(t in _VAGUE for t in tokens):
        return None
    value: float | None = None
    for token in tokens:
        if re.fullmatch(r"\d+(?:,\d+)?", token):
            value = float(token.replace(",", "."))
        elif token in ("hundert", "tausend", "Tausend", "Dutzend"):
            value = (value or 1) * numbers.get(token.lower(), 1000)
        elif token.startswith("Million"):
            if value is None:
                return None  # "Millionen Granaten": many, no number
            value *= 1_000_000
        elif token in numbers:
            value = numbers[token]
    return int(value) if value is not None else None


# ---------------------------------------------------------------- what moves, from whom to whom


_COORDINATION = re.compile(r",\s*|\s(?:und|sowie|aber|doch)\s")


def _transfers(doc: Document, sentence: Sentence, materiel: list[_Term], speeches: list[Speech]) -> list[_Transfer]:
    """The transfers a sentence reports: one per verb of a coordination ("Nordkorea liefert Waffen
    und bekommt dafür Technologie"), and one the other way for materiel given in exchange."""
    inside = [t for t in materiel if sentence.start <= t.start < sentence.end]
    part = part_with(doc, sentence, inside[0].start if inside else sentence.start, _PART_BREAK)
    transfers: list[_Transfer] = []
    subject: Found | None = None
    for piece in _verb_pieces(doc, part):
        terms = [t for t in inside if piece[0] <= t.start < piece[1]] if inside else materiel
        if not terms:
            subject = subject or _first_subject(doc, sentence, piece, speeches)  # "Die Sowjetunion half ... und stattete ... aus"
            continue
        main, counter = _split_exchange(doc, piece, terms)
        transfer, found_subject = _transfer(doc, sentence, piece, main or terms, speeches, subject)
        subject = subject or found_subject
        if transfer is None:
            continue
        transfers.append(transfer)
        if counter and main:
            codes = tuple(dict.fromkeys(t.code for t in counter))
            transfers.append(_Transfer(transfer.recipient, transfer.supplier, codes, None, transfer.start, max(transfer.end, counter[-1].end), transfer.piece))
    return transfers


def _first_subject(doc: Document, sentence: Sentence, piece: tuple[int, int], speeches: list[Speech]) -> Found | None:
    speakers = speaker_spans(speeches)
    for found in doc.entities_in(sentence):
        if piece[0] <= found.start < piece[1] and found.refers and not found.locative and not after_preposition(sentence, found):
            if not any(a <= found.start < b for a, b in speakers):
                return found
    return None


def _verb_pieces(doc: Document, part: tuple[int, int]) -> list[tuple[int, int]]:
    """The part cut before each further verb of a coordination ("liefert ... und bekommt ...")."""
    rules = doc.pack.claims
    verbs = sorted(
        (m for cues in (rules.give, rules.receive, rules.hope, rules.deploy) for m in cues.finditer(doc.text, *part)),
        key=lambda m: m.start(),
    )
    return split_between_verbs(doc.text, part, verbs, _COORDINATION)


def _split_exchange(doc: Document, piece: tuple[int, int], terms: list[_Term]) -> tuple[list[_Term], list[_Term]]:
    """Materiel right after "im Gegenzug für", "gegen" went the other way."""
    for cue in doc.pack.claims.exchange.finditer(doc.text, *piece):
        stop = CLAUSE_BREAK.search(doc.text, cue.end(), piece[1])
        window_end = min(stop.start() if stop else piece[1], cue.end() + 60)
        counter = [t for t in terms if cue.end() <= t.start < window_end]
        if counter:
            return [t for t in terms if t not in counter], counter
    return terms, []


def _transfer(
    doc: Document, sentence: Sentence, piece: tuple[int, int], materiel: list[_Term], speeches: list[Speech], carried: Found | None
) -> tuple[_Transfer | None, Found | None]:
    rules = doc.pack.claims
    text = doc.text
    part_start, part_end = piece
    cues = [("give", m) for m in rules.give.finditer(text, part_start, part_end)]
    cues += [("receive", m) for m in rules.receive.finditer(text, part_start, part_end)]
    cues += [("receive", m) for m in rules.hope.finditer(text, part_start, part_end)]
    cues += [("deploy", m) for m in rules.deploy.finditer(text, part_start, part_end)]
    cues += [("noun", m) for m in rules.nouns.finditer(text, part_start, part_end)]
    needs = [("receive", m) for m in rules.need.finditer(text, part_start, part_end)]
    speakers = speaker_spans(speeches)
    in_piece = [f for f in doc.entities_in(sentence) if part_start <= f.start < part_end]
    actors = [f for f in in_piece if f.is_actor and f.entity not in doc.registry.media and not f.locative and not any(a <= f.start < b for a, b in speakers)]
    origin = _supplier_after_materiel(actors, sentence, materiel, rules.supplier_prepositions, rules.origin_nouns)
    giving = any(kind == "give" for kind, _ in cues)
    # a giver is its verb's subject; "von" after a verb of giving is more often whose ("die Truppen von Kim Il Sung")
    named_supplier = origin or (None if giving else _prepositional(actors, sentence, rules.supplier_prepositions))
    agent = None
    if named_supplier is not None and _agent_of_use(doc, sentence, named_supplier):
        named_supplier, agent = None, named_supplier  # "die von Russland verschossenen Granaten": Russia used them
    if named_supplier is not None:
        cues += needs  # "braucht Munition aus Nordkorea" names both sides
    if not cues and origin is None:
        return None, None  # materiel alone is no transfer ("Raketentests"), a need alone neither
    supplier = named_supplier or _adjective_on_materiel(actors, materiel) or _adjective_on_transfer(actors, cues) or _genitive_after_noun(actors, cues, sentence)
    recipient = agent or _prepositional(actors, sentence, rules.recipient_prepositions)
    verb = _main_verb(cues, materiel)
    subject = None
    if verb is not None or _possessive_noun(doc, cues):
        taken = {x.entity for x in (supplier, recipient) if x}
        anchor = verb[1] if verb is not None else cues[0][1]
        subject, dative = _subject_and_object(doc, sentence, actors, anchor.start(), taken)
        subject = subject or (carried if carried and carried.entity not in taken else None)
        if dative is not None and dative.start > min([anchor.start(), *(t.start for t in materiel)]):
            dative = None  # an object of giving stands before the goods ("liefert Russland Waffen")
        if verb is None or verb[0] in ("give", "deploy"):
            supplier = supplier or subject
            recipient = recipient or dative
        else:
            recipient = recipient or subject
    supplier_key = _party(doc, supplier.entity) if supplier else None
    recipient_key = _party(doc, recipient.entity) if recipient else None
    if recipient_key is None and verb is not None and verb[0] != "need":
        recipient_key = _deployment_state(doc, in_piece, supplier_key)  # "schickt Soldaten in die Region Kursk"
    if recipient_key is None and verb is not None and verb[0] == "deploy":
        return None, subject  # fighting somewhere unnamed says nothing about whom troops were sent to
    if supplier_key is None and recipient_key is None and not any(s.claimant in doc.registry.entities for s in speeches):
        return None, subject  # no party named at all: a heading like "Waffen gekauft" claims nothing checkable
    codes = _codes(doc, sentence, materiel, verb)
    supplier_key, recipient_key = _fill_direction(doc, codes, supplier_key, recipient_key)
    if not supplier_key or not recipient_key or supplier_key == recipient_key:
        return None, subject
    spans = [x for t in materiel if part_start <= t.start < part_end for x in (t.start, t.end)]
    spans += [x for f in (supplier, recipient) if f and part_start <= f.start < part_end for x in (f.start, f.end)]
    spans += [x for _, m in cues for x in (m.start(), m.end())]
    spans = spans or [part_start, part_end]
    return _Transfer(supplier_key, recipient_key, codes, _quantity(doc, sentence, materiel), min(spans), max(spans), piece), subject


def _deployment_state(doc: Document, found: list[Found], supplier: str | None) -> str | None:
    """Troops deployed somewhere serve the state of that place ("in der Region Kursk": Russia)."""
    for place in found:
        if place.locative and place.is_place:
            state = doc.registry.state_of(place.entity)
            if state and state != supplier:
                return state
    return None


def _codes(doc: Document, sentence: Sentence, materiel: list[_Term], verb) -> tuple[str, ...]:
    """The materiel codes; helping to produce materiel is a transfer of technology."""
    rules = doc.pack.claims
    if verb is not None and rules.help_verbs.regex.fullmatch(verb[1].group(0)) and rules.production.search(doc.text, sentence.start, sentence.end):
        return (rules.production_materiel,)
    return tuple(dict.fromkeys(t.code for t in materiel))


def _between_only_fillers(sentence: Sentence, first: int, last: int) -> bool:
    """Only articles and lower-case words (adjectives) stand between two token positions."""
    return all(t.text in _FILLER or t.text[:1].islower() for t in sentence.tokens[first:last])


def _prepositional(actors: list[Found], sentence: Sentence, prepositions: frozenset[str]) -> Found | None:
    """The first actor right after one of the prepositions ("an die russische Miliz Wagner")."""
    for index, token in enumerate(sentence.tokens):
        if token.text not in prepositions:
            continue
        for found in actors:
            if index < found.first_token <= index + 5 and _between_only_fillers(sentence, index + 1, found.first_token) and found.refers:
                return found
    return None


def _supplier_after_materiel(actors: list[Found], sentence: Sentence, materiel: list[_Term], prepositions: frozenset[str], origin_nouns: frozenset[str]) -> Found | None:
    """Materiel and its origin: "Drohnen aus dem Iran", "Granaten aus nordkoreanischer Produktion"."""
    for term in materiel:
        following = [i for i, t in enumerate(sentence.tokens) if t.start >= term.end][:3]
        for index in following:
            if sentence.tokens[index].text not in prepositions:
                continue
            for found in actors:
                if not (index < found.first_token <= index + 3 and _between_only_fillers(sentence, index + 1, found.first_token)):
                    continue
                after = sentence.tokens[found.last_token + 1].text if found.last_token + 1 < len(sentence.tokens) else ""
                if found.refers or (found.form is MentionForm.ADJECTIVE and after in origin_nouns):
                    return found
    return None


def _agent_of_use(doc: Document, sentence: Sentence, found: Found) -> bool:
    """ "von Russland verschossen": an actor after "von" right before a participle of use is its agent."""
    following = sentence.tokens[found.last_token + 1 : found.last_token + 2]
    return bool(following) and bool(doc.pack.claims.receive.regex.fullmatch(following[0].text))


def _adjective_on_materiel(actors: list[Found], materiel: list[_Term]) -> Found | None:
    """An adjective of state right before the materiel: "nordkoreanische Raketen"."""
    for found in actors:
        if found.form is MentionForm.ADJECTIVE and any(0 < t.start - found.end <= 2 for t in materiel):
            return found
    return None


def _adjective_on_transfer(actors: list[Found], cues) -> Found | None:
    """An adjective of state on a transfer noun: "russische Hilfe", "nordkoreanische Lieferungen"."""
    for kind, match in cues:
        if kind == "noun":
            for found in actors:
                if found.form is MentionForm.ADJECTIVE and 0 < match.start() - found.end <= 2:
                    return found
    return None


def _genitive_after_noun(actors: list[Found], cues, sentence: Sentence) -> Found | None:
    """The genitive after a transfer noun: "Waffenlieferungen Nordkoreas"."""
    for kind, match in cues:
        if kind != "noun":
            continue
        for found in actors:
            gap = [t.text for t in sentence.tokens if match.end() <= t.start < found.start]
            if found.start > match.end() and len(gap) <= 1 and all(w in ("des", "der") for w in gap) and found.refers:
                return found
    return None


_POSSESSIVE = frozenset("ihre ihren ihrer seine seinen seiner eigene eigenen".split())
_INFINITIVE = re.compile(r"\bzu\s+(?:haben|sein|werden|\w+en|\w+n)\b[.,;]?\s*$|\bzu\s+\w+(?:en|n)\s*$")


def _possessive_noun(doc: Document, cues) -> bool:
    """ "von ihren eigenen Waffenlieferungen an Kiew": the subject delivers."""
    for kind, match in cues:
        if kind == "noun":
            before = doc.text[max(0, match.start() - 25) : match.start()].split()
            if set(before[-2:]) & _POSSESSIVE:
                return True
    return False


def _main_verb(cues, materiel: list[_Term]):
    verbs = [c for c in cues if c[0] != "noun"]
    if not verbs:
        return None
    centre = materiel[0].start
    return min(verbs, key=lambda c: abs(c[1].start() - centre))


def _subject_and_object(doc: Document, sentence: Sentence, actors: list[Found], verb_at: int, taken: set[str]):
    """Subject and object of the verb: the first two actors outside prepositional phrases,
    in the verb's clause if it names any, else in the sentence (an infinitive clause takes
    its subject from the clause before: "beschuldigten ... Nordkorea, Raketen geliefert zu haben")."""
    bare = [f for f in actors if f.refers and not after_preposition(sentence, f) and f.entity not in taken]
    start, end = clause_bounds(doc, sentence, verb_at)
    in_clause = [f for f in bare if start <= f.start < end]
    if _INFINITIVE.search(doc.text, start, end):
        # "beschuldigen Nordkorea, Russland beliefert zu haben": the clause has no subject of its
        # own; it is the object of the main clause, and an actor in the clause is the object
        outside = _distinct([f for f in bare if f.start < start])
        return (outside[-1] if outside else None), (in_clause[0] if in_clause else None)
    chosen = _distinct(in_clause or bare)
    return (chosen[0] if chosen else None), (chosen[1] if len(chosen) > 1 else None)


def _distinct(found: list[Found]) -> list[Found]:
    out: list[Found] = []
    for f in found:
        if not out or out[-1].entity != f.entity:
            out.append(f)
    return out


def _party(doc: Document, entity: str) -> str:
    """Who supplies or receives: a state, or an independent armed group; anyone else counts for their state."""
    registry = doc.registry
    if registry.get(entity).kind is EntityKind.STATE or entity in registry.independent:
        return entity
    return registry.state_of(entity) or entity


def _fill_direction(doc: Document, codes: tuple[str, ...], supplier: str | None, recipient: str | None) -> tuple[str | None, str | None]:
    """Complete what the text leaves open with the domain's usual direction for this materiel.

    A named supplier outside the usual pair delivers to the usual recipient ("Drohnen aus dem
    Iran" for Russia's war); a recipient outside it is not completed: guessing who supplies
    someone else would put words in the article's mouth.
    """
    if supplier and recipient:
        return supplier, recipient
    pair = _default_pair(doc, codes)
    if pair is None:
        return supplier, recipient
    usual_supplier, usual_recipient = pair
    if supplier:
        return supplier, usual_supplier if supplier == usual_recipient else usual_recipient
    if recipient:
        if recipient not in pair:
            return None, recipient
        return usual_recipient if recipient == usual_supplier else usual_supplier, recipient
    return usual_supplier, usual_recipient


def _default_pair(doc: Document, codes: tuple[str, ...]) -> tuple[str, str] | None:
    """The usual pair for this materiel, if the article is about both of its states."""
    for code in codes:
        for ancestor in doc.pack.ancestors(code):
            pair = doc.pack.claims.default_direction.get(ancestor)
            if pair and set(pair) <= doc.named_with_states:
                return pair
    return None


# ---------------------------------------------------------------- claims


def _stance(doc: Document, sentence: Sentence, speech: Speech, denial_elsewhere: bool, transfer: _Transfer | None = None) -> Stance:
    """Denies, speculates or asserts, by the words of the transfer's part of the sentence and
    the source's own verb ("befürchten", "bestreitet")."""
    rules = doc.pack.claims
    text = doc.text
    windows = [(speech.start, speech.end), transfer.piece if transfer and transfer.piece else (sentence.start, sentence.end)]
    if speech.denial:
        return Stance.DENIES
    if denial_elsewhere and any(rules.denial.search(text, a, b) for a, b in windows):
        return Stance.DENIES
    if sentence.is_question or any(rules.speculation.search(text, a, b) for a, b in windows):
        return Stance.SPECULATES
    return Stance.ASSERTS


def _claims(doc: Document, sentence: Sentence, transfer: _Transfer, speeches: list[Speech]) -> list[Claim]:
    if not speeches:
        speeches = [Speech(Attribution.AUTHOR, None, False, transfer.start, transfer.start)]
    verbal_denial = any(s.denial for s in speeches)
    claims = []
    for speech in speeches:
        stance = _stance(doc, sentence, speech, denial_elsewhere=not verbal_denial, transfer=transfer)
        start = min(transfer.start, speech.start) if speech.end > speech.start else transfer.start
        end = max(transfer.end, speech.end)
        claims.append(_claim(speech, stance, transfer, doc.evidence(start, end)))
    return claims


def _taken_up(doc: Document, sentence: Sentence, speeches: list[Speech], transfer: _Transfer) -> list[Claim]:
    """A named source taking up the transfer the sentence before reported: a denial ("Der Kreml
    wies die Vorwürfe als falsch zurück") or a confirmation ("Und das machten sie nach
    amerikanischen Erkenntnissen auch")."""
    rules = doc.pack.claims
    denial_words = rules.denial.search(doc.text, sentence.start, sentence.end)
    refers = rules.anaphora.search(doc.text, sentence.start, sentence.end) or rules.report_nouns.search(doc.text, sentence.start, sentence.end)
    claims = []
    for speech in speeches:
        if speech.attribution is not Attribution.NAMED or not (speech.denial or denial_words or refers):
            continue
        if speech.claimant in doc.registry.media:
            continue  # an agency passing on what others said takes up nothing itself
        denies = speech.denial or bool(denial_words)
        stance = Stance.DENIES if denies else _stance(doc, sentence, speech, denial_elsewhere=False)
        cue_end = max(m.end() for m in (denial_words, refers) if m) if (denial_words or refers) else speech.end
        start, end = min(speech.start, cue_end), max(speech.end, cue_end)
        undated = _Transfer(transfer.supplier, transfer.recipient, transfer.materiel, None, 0, 0)
        claims.append(_claim(replace(speech, denial=denies), stance, undated, doc.evidence(start, end)))
    return claims


def _claim(speech: Speech, stance: Stance, transfer: _Transfer, evidence: Evidence) -> Claim:
    return Claim(
        attribution=speech.attribution,
        claimant=speech.claimant,
        stance=stance,
        supplier=transfer.supplier,
        recipient=transfer.recipient,
        materiel=transfer.materiel,
        evidence=(evidence,),
        quantity=transfer.quantity,
        claim_date=speech.date if speech.attribution is Attribution.NAMED else None,
    )
