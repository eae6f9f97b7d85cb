"""Monitoring's tables, one module per sub-domain; every model is importable from `monitoring.models`."""

from .checks import CentralCheckRun, CheckPlan, CheckTask
from .imports import ApiToken, DatasetImport, DeliverySummary, SharedRow, SyncSource
from .risk import RiskDecision, RiskReview
from .visits import ALL_SECURE, OverdueVisitSummary, Visit
from .warnings import Warning, WarningEvent

__all__ = [
    "ALL_SECURE",
    "ApiToken",
    "CentralCheckRun",
    "CheckPlan",
    "CheckTask",
    "DatasetImport",
    "DeliverySummary",
    "OverdueVisitSummary",
    "RiskDecision",
    "RiskReview",
    "SharedRow",
    "SyncSource",
    "Visit",
    "Warning",
    "WarningEvent",
]
