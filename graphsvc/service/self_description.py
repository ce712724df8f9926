"""Who is in the room: the optional questions members may answer about themselves.

An age band and lived experience of what the network works on are always
asked; an admin may add questions of their own, each with the purpose it
serves. Every answer is optional. A question whose answer may be
special-category data under UK GDPR (health, ethnicity, religion, sexual
orientation ...) is kept only with the member's explicit consent, given by a
separate tick: without it the answer is not stored.

Answers are kept on the member's node as one JSON property,
``self_description``, which no list, card, map, export or analysis reads:
only the member's own record, their data export (to them or an admin) and
the counts here see it. The Gaps page shows them only as counts over
everyone, small counts hidden as every count of people is.
"""

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from graphsvc.errors import GraphsvcError
from graphsvc.reference import uk_age_bands
from graphsvc.store import GraphStore

# Where the questions an admin added are kept: on the graph's own metadata,
# so a backup or a copy of the store carries them with the answers.
QUESTIONS_META = "self_description_questions"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_QUESTIONS = 20
MAX_OPTIONS = 20
MAX_TEXT = 500


class QuestionError(GraphsvcError):
    """A question or an answer that cannot be kept, with what to do instead."""


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    purpose: str  # why the network asks, shown beside the question
    options: tuple[str, ...]
    special_category: bool = False  # kept only with explicit consent
    built_in: bool = False

    def public(self) -> dict[str, Any]:
        return {**asdict(self), "options": list(self.options)}


BUILT_IN = (
    Question(
        "age_band",
        "Your age",
        "So the network can see whether it reaches younger people as well as older ones. "
        "Counted only with everyone else's, against the UK's population; nobody but you "
        "and the admins sees yours.",
        tuple(band.name for band in uk_age_bands()),
        built_in=True,
    ),
    Question(
        "lived_experience",
        "Lived experience of what the network works on",
        "So the network can tell whether people with lived experience of the issues it "
        "works on (poverty, homelessness, disability, ill health, the care system and the "
        "like) are in the room, and make room for them. It may say something about your "
        "health, so it is kept only if you tick the consent box. Counted only with "
        "everyone else's; nobody but you and the admins sees yours.",
        ("yes", "no"),
        special_category=True,
        built_in=True,
    ),
)


@dataclass(frozen=True)
class Answer:
    value: str
    consent: str | None = None  # the day explicit consent was given, where needed


@dataclass(frozen=True)
class AnswerCounts:
    """How many gave each answer to one question (everyone, no names)."""

    question: Question
    answered: int
    counts: dict[str, int] = field(default_factory=dict)


def questions(store: GraphStore) -> list[Question]:
    """The questions asked: the built-in ones, then those an admin added."""
    return [*BUILT_IN, *configured_questions(store)]


def configured_questions(store: GraphStore) -> list[Question]:
    stored = store.graph_meta().get(QUESTIONS_META)
    if not stored:
        return []
    return [_question(item) for item in json.loads(str(stored))]


def _question(item: Mapping[str, Any]) -> Question:
    return Question(
        key=str(item["key"]),
        label=str(item["label"]),
        purpose=str(item["purpose"]),
        options=tuple(str(o) for o in item["options"]),
        special_category=bool(item.get("special_category", False)),
    )


def set_configured_questions(
    store: GraphStore, given: Iterable[Mapping[str, Any]]
) -> list[Question]:
    """Replace the questions an admin added; QuestionError for one that cannot be asked.

    Answers to a question that is taken away stay on members' records (they
    see and may remove them) but are no longer counted.
    """
    found = [_checked(_question(item)) for item in given]
    keys = [q.key for q in found]
    if len(found) > MAX_QUESTIONS:
        raise QuestionError(f"ask at most {MAX_QUESTIONS} questions of your own")
    if len(set(keys)) != len(keys) or set(keys) & {q.key for q in BUILT_IN}:
        raise QuestionError(
            "each question needs a key of its own (age_band and lived_experience are always asked)"
        )
    store.set_graph_meta(**{QUESTIONS_META: json.dumps([q.public() for q in found])})
    return found


def _checked(question: Question) -> Question:
    if not KEY.match(question.key):
        raise QuestionError(
            "a question's key is lower-case letters, digits and _ (up to 40), "
            "starting with a letter"
        )
    if not question.label.strip() or not question.purpose.strip():
        raise QuestionError("every question needs a label and the purpose it serves")
    if len(question.label) > MAX_TEXT or len(question.purpose) > MAX_TEXT:
        raise QuestionError(f"a label or a purpose is at most {MAX_TEXT} characters")
    options = [o.strip() for o in question.options if o.strip()]
    if not 2 <= len(options) <= MAX_OPTIONS or len(set(options)) != len(options):
        raise QuestionError(f"every question needs 2 to {MAX_OPTIONS} different answers")
    if any(len(o) > 120 for o in options):
        raise QuestionError("an answer is at most 120 characters")
    return Question(
        question.key,
        question.label.strip(),
        question.purpose.strip(),
        tuple(options),
        question.special_category,
    )


def answers_of(stored: object) -> dict[str, Answer]:
    """A member's stored answers (none if there are none or they cannot be read)."""
    if not isinstance(stored, str) or not stored:
        return {}
    try:
        raw = json.loads(stored)
    except ValueError:
        return {}
    return {
        str(k): Answer(str(v["value"]), v.get("consent"))
        for k, v in raw.items()
        if isinstance(v, dict) and "value" in v
    }


def merged_answers(
    asked: list[Question],
    stored: dict[str, Answer],
    given: Mapping[str, tuple[str | None, bool]],
    today: dt.date,
) -> tuple[str | None, list[str]]:
    """The member's answers after a change, as the JSON to store (None: none left),
    and notes on answers not kept.

    ``given`` maps a question's key to (answer, consent ticked); an empty or
    None answer removes it. A special-category answer without the tick is not
    stored, and one kept before is removed: consent withdrawn.
    """
    by_key = {q.key: q for q in asked}
    kept = dict(stored)
    notes: list[str] = []
    for key, (value, consent) in given.items():
        question = by_key.get(key)
        if question is None:
            raise QuestionError(f"there is no question {key!r}")
        if not value:
            kept.pop(key, None)
            continue
        if value not in question.options:
            raise QuestionError(f"{value!r} is not one of the answers to {question.label!r}")
        if question.special_category and not consent:
            kept.pop(key, None)
            notes.append(f"{question.label}: not kept, as the consent box was not ticked")
            continue
        earlier = stored.get(key)
        since = earlier.consent if earlier and earlier.consent else today.isoformat()
        kept[key] = Answer(value, since if question.special_category else None)
    if not kept:
        return None, notes
    return json.dumps({k: asdict(v) for k, v in sorted(kept.items())}), notes


def answer_counts(store: GraphStore) -> list[AnswerCounts]:
    """For each question asked now, how many gave each answer: counts only."""
    asked = questions(store)
    counters: dict[str, Counter[str]] = {q.key: Counter() for q in asked}
    for stored in store.self_descriptions():
        for key, answer in answers_of(stored).items():
            question_counts = counters.get(key)
            if question_counts is not None:
                question_counts[answer.value] += 1
    return [
        AnswerCounts(q, sum(counters[q.key].values()), {o: counters[q.key][o] for o in q.options})
        for q in asked
    ]
