"""Writes of the case, one service per transition: guarded by the stage table, atomic, under a row lock,
and each leaving an ApplicationEvent (who, when, from, to, why).

One module per step of the case; the shared helpers are in `_core`. The public names are re-exported
here, so callers write `from applications import services` and `services.application_decide(...)`."""

from __future__ import annotations

from ._core import INVESTIGATION_DAYS, MATERIAL_CODES, MAX_WORKING_DAYS, OVERALL_DAYS, REVIEW_DAYS
from .adjustment import MemberChange, adjustment_open
from .case_admin import application_extend, application_withdraw
from .deadlines import DUE_SOON_WORKING_DAYS, deadline_flags_refresh
from .decision import Decision, application_decide, departures, engine_found
from .filing import application_file, approved_decisions, filing_acknowledge, filing_resubmit, filing_return
from .intake import Intake, application_accept, application_accept_submitted, application_submit
from .investigation import (
    investigation_complete,
    investigation_record_check,
    investigation_start,
    reinvestigation_return,
)
from .members import household_member_remove
from .notice import notice_close, notice_send, review_send

__all__ = [
    "DUE_SOON_WORKING_DAYS",
    "INVESTIGATION_DAYS",
    "MATERIAL_CODES",
    "MAX_WORKING_DAYS",
    "OVERALL_DAYS",
    "REVIEW_DAYS",
    "Decision",
    "Intake",
    "MemberChange",
    "adjustment_open",
    "application_accept",
    "application_accept_submitted",
    "application_decide",
    "application_extend",
    "application_file",
    "application_submit",
    "application_withdraw",
    "approved_decisions",
    "deadline_flags_refresh",
    "departures",
    "engine_found",
    "filing_acknowledge",
    "filing_resubmit",
    "filing_return",
    "household_member_remove",
    "investigation_complete",
    "investigation_record_check",
    "investigation_start",
    "notice_close",
    "notice_send",
    "reinvestigation_return",
    "review_send",
]
