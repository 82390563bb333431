"""Closed lists of choices the domain accepts. Labels live in the translation catalogue
under `choice.<list>.<value>`."""

from __future__ import annotations

WORKSHOP_STEPS = (
    "profile",
    "processes",
    "use_cases",
    "scoring",
    "prioritisation",
    "action_plan",
    "wrap_up",
)
WORKSHOP_STATUSES = ("planned", "in_progress", "completed")
LANGUAGES = ("sv", "en")

PROCESS_AREAS = (
    "sales_marketing",
    "customer_service",
    "production",
    "logistics_purchasing",
    "product_development",
    "finance_admin",
    "hr_competence",
    "it_operations",
    "quality_compliance",
    "management_strategy",
)
DATA_AVAILABILITY = ("none", "paper", "digital_unstructured", "structured")
AI_CAPABILITIES = (
    "forecasting",
    "classification",
    "computer_vision",
    "document_text",
    "generative_assistant",
    "optimisation",
    "recommendation",
    "anomaly_detection",
    "other",
)
BENEFIT_KINDS = ("internal_efficiency", "new_offering", "customer_experience", "sustainability", "health")
STAGES = ("idea", "pre_study", "pilot", "implementation")
COST_BANDS = ("under_50k", "50k_250k", "250k_1m", "over_1m")
HORIZONS_DAYS = (30, 90, 180)
TURNOVER_BANDS = ("under_2m", "2m_10m", "10m_50m", "50m_100m", "100m_500m", "over_500m")
SIZE_CLASSES = ("micro", "small", "medium", "large")
FOLLOW_UP_STATUSES = (
    "not_started",
    "contacted",
    "applied_for_funding",
    "funding_granted",
    "pilot_started",
    "in_production",
    "dropped",
)
STAFF_ROLES = ("admin", "facilitator", "advisor")
AXES = ("value", "feasibility")
DIRECTIONS = ("higher_is_better", "lower_is_better")
FUNDING_KINDS = (
    "grant",
    "loan",
    "voucher",
    "free_advisory",
    "test_facility",
    "tax_relief",
    "talent",
    "equity",
)
FUNDING_STATUSES = ("current", "uncertain", "ended")
FUNDING_SCOPES = ("regional", "national", "eu")
SWEDISH_REGIONS = (
    "Blekinge län",
    "Dalarnas län",
    "Gotlands län",
    "Gävleborgs län",
    "Hallands län",
    "Jämtlands län",
    "Jönköpings län",
    "Kalmar län",
    "Kronobergs län",
    "Norrbottens län",
    "Skåne län",
    "Stockholms län",
    "Södermanlands län",
    "Uppsala län",
    "Värmlands län",
    "Västerbottens län",
    "Västernorrlands län",
    "Västmanlands län",
    "Västra Götalands län",
    "Örebro län",
    "Östergötlands län",
)

# EU SME definition by head count (Commission Recommendation 2003/361/EC).
SIZE_CLASS_UPPER_BOUNDS = (("micro", 9), ("small", 49), ("medium", 249))


def size_class_for(employees: int) -> str:
    """The EU size class for a head count: micro < 10, small < 50, medium < 250, else large."""
    for size_class, upper in SIZE_CLASS_UPPER_BOUNDS:
        if employees <= upper:
            return size_class
    return "large"
