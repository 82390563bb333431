"""Scoring models: the shipped default, installed once per version, and read as plain data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop import access, storage, validation
from workshop.config import SHIPPED_DATA_DIR
from workshop.errors import InvalidWeight, NotFound, ValidationError
from workshop.models import Criterion, CriterionLevel, ScoringModel
from workshop.scoring import CriterionSpec
from workshop.vocabulary import AXES, DIRECTIONS

DEFAULT_MODEL_FILE = SHIPPED_DATA_DIR / "scoring_model.json"


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    key: str
    axis: str
    weight: float
    direction: str
    name: dict[str, str]
    question: dict[str, str]
    levels: dict[int, dict[str, str]]

    @property
    def spec(self) -> CriterionSpec:
        return CriterionSpec(key=self.key, axis=self.axis, weight=self.weight, direction=self.direction)


@dataclass(frozen=True)
class ScoringModelInfo:
    id: int
    name: str
    version: int
    title: dict[str, str]
    value_threshold: float
    feasibility_threshold: float
    criteria: tuple[CriterionInfo, ...]

    @property
    def specs(self) -> list[CriterionSpec]:
        return [criterion.spec for criterion in self.criteria]

    def criterion(self, key: str) -> CriterionInfo:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)


def validate_model_document(document: dict) -> None:
    """Raise `ValidationError` (or a subclass) naming the first thing wrong in a model file."""
    validation.name(document.get("name"), field="name", max_length=100)
    if not isinstance(document.get("version"), int) or document["version"] < 1:
        raise ValidationError("The model version must be a whole number from 1.", field="version")
    criteria = document.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        raise ValidationError("A scoring model needs at least one criterion.", field="criteria")
    keys = [criterion.get("key") for criterion in criteria]
    if len(set(keys)) != len(keys):
        raise ValidationError("Criterion keys must be unique.", field="criteria")
    for criterion in criteria:
        key = validation.name(criterion.get("key"), field="key", max_length=50)
        validation.choice(criterion.get("axis"), AXES, field="axis")
        validation.choice(criterion.get("direction"), DIRECTIONS, field="direction")
        weight = criterion.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            raise InvalidWeight(
                f"The weight of {key!r} must be a number above 0, not {weight!r}.",
                field="weight",
                criterion=key,
                value=weight,
            )
        levels = criterion.get("levels") or []
        if sorted(level.get("level") for level in levels) != [1, 2, 3, 4, 5]:
            raise ValidationError(f"Criterion {key!r} needs exactly the levels 1 to 5.", field="levels")
        for language in ("sv", "en"):
            validation.name(criterion.get("name", {}).get(language), field=f"name_{language}")
            for level in levels:
                validation.name(level.get(language), field=f"level_{language}", max_length=500)
    axes = {criterion["axis"] for criterion in criteria}
    if axes != set(AXES):
        raise ValidationError("A scoring model needs criteria on both axes.", field="criteria")


@access.administers
def install_model(document: dict) -> int:
    """Store a model document unless its (name, version) exists; return its id either way.

    Raises `ValidationError` for a malformed document; nothing is written then.
    """
    validate_model_document(document)
    with storage.write() as session:
        return add_model(session, document)


def add_model(session: Session, document: dict) -> int:
    """Inside the caller's transaction: the id of the model of the document's name and
    version, adding it from the (already validated) document when it is not there yet."""
    existing = session.scalar(
        select(ScoringModel.id).where(ScoringModel.name == document["name"], ScoringModel.version == document["version"])
    )
    if existing is not None:
        return existing
    thresholds = document.get("quadrant_thresholds", {})
    model = ScoringModel(
        name=document["name"],
        version=document["version"],
        title_sv=document.get("title", {}).get("sv", document["name"]),
        title_en=document.get("title", {}).get("en", document["name"]),
        value_threshold=float(thresholds.get("value", 3.0)),
        feasibility_threshold=float(thresholds.get("feasibility", 3.0)),
    )
    for position, item in enumerate(document["criteria"]):
        model.criteria.append(
            Criterion(
                key=item["key"],
                axis=item["axis"],
                weight=float(item["weight"]),
                direction=item["direction"],
                position=position,
                name_sv=item["name"]["sv"],
                name_en=item["name"]["en"],
                question_sv=item.get("question", {}).get("sv", ""),
                question_en=item.get("question", {}).get("en", ""),
                levels=[
                    CriterionLevel(level=level["level"], description_sv=level["sv"], description_en=level["en"])
                    for level in item["levels"]
                ],
            )
        )
    session.add(model)
    session.flush()
    return model.id


def load_model_document(path: Path = DEFAULT_MODEL_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@access.administers
def install_default_model() -> int:
    """Install the shipped default model (idempotent) and return its id."""
    return install_model(load_model_document())


def default_model_id() -> int:
    """The newest installed version of the shipped model, installing it if none is."""
    name = load_model_document()["name"]
    with storage.read() as session:
        found = session.scalar(
            select(ScoringModel.id).where(ScoringModel.name == name).order_by(ScoringModel.version.desc())
        )
    return found if found is not None else install_default_model()


# Installed models are never changed (a new version is a new row), so a model read once is
# kept; the key includes name and version, so a restored database cannot be served stale.
_models: dict[tuple[str, int, str, int], ScoringModelInfo] = {}


def get_model(model_id: int) -> ScoringModelInfo:
    """The model with its criteria in order; `NotFound` if there is none with that id."""
    with storage.read() as session:
        found = session.execute(
            select(ScoringModel.name, ScoringModel.version).where(ScoringModel.id == model_id)
        ).first()
        if found is None:
            raise NotFound(f"No scoring model with id {model_id}.", kind="scoring_model", id=model_id)
        key = (str(session.get_bind().url), model_id, found.name, found.version)
        if key not in _models:
            _models[key] = _to_info(session.get(ScoringModel, model_id))
        return _models[key]


def _to_info(model: ScoringModel) -> ScoringModelInfo:
    return ScoringModelInfo(
        id=model.id,
        name=model.name,
        version=model.version,
        title={"sv": model.title_sv, "en": model.title_en},
        value_threshold=model.value_threshold,
        feasibility_threshold=model.feasibility_threshold,
        criteria=tuple(
            CriterionInfo(
                id=criterion.id,
                key=criterion.key,
                axis=criterion.axis,
                weight=criterion.weight,
                direction=criterion.direction,
                name={"sv": criterion.name_sv, "en": criterion.name_en},
                question={"sv": criterion.question_sv, "en": criterion.question_en},
                levels={
                    level.level: {"sv": level.description_sv, "en": level.description_en}
                    for level in criterion.levels
                },
            )
            for criterion in model.criteria
        ),
    )
