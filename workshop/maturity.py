"""The short AI-maturity self-assessment asked at the start of a workshop."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from workshop.config import SHIPPED_DATA_DIR

QUESTIONS_FILE = SHIPPED_DATA_DIR / "maturity_questions.json"


@dataclass(frozen=True)
class Question:
    key: str
    text: dict[str, str]
    levels: dict[int, dict[str, str]]


@cache
def questions() -> tuple[Question, ...]:
    document = json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Question(
            key=item["key"],
            text=item["question"],
            levels={level["level"]: {"sv": level["sv"], "en": level["en"]} for level in item["levels"]},
        )
        for item in document["questions"]
    )


def question_keys() -> tuple[str, ...]:
    return tuple(question.key for question in questions())


def average_level(answers: dict) -> float | None:
    """The mean of the answered levels, or None when nothing is answered."""
    levels = [answers[key] for key in question_keys() if isinstance(answers.get(key), int)]
    return sum(levels) / len(levels) if levels else None
