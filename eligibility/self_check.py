"""The public self-check (自助测算) on forms: the household and member forms checked, turned into a v1
snapshot and judged by the engine, each refusal put beside the field it concerns. The self-check page uses
it, and so does the online application (online), whose forms extend these with names and ID numbers: one
form and one validation, not a copy."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms

from .engine import CATEGORY_LABELS, REASON_LABELS
from .errors import EvaluationRefused
from .evaluation import Evaluation, evaluate_submitted
from .forms import self_check_snapshot

PLAIN_PROBLEMS = {
    "no_applicant": "请把申请人本人填在其中一行，“与申请人关系”选“申请人”。",
    "multiple_applicants": "只能有一位家庭成员的“与申请人关系”选“申请人”。",
}
# Snapshot paths outside the members, and the household form field each belongs to.
HOUSEHOLD_PATHS = {
    "$.hukou_type": "hukou_type",
    "$.assets.financial_assets": "financial_assets",
    "$.assets.motor_vehicles": "motor_vehicles",
    "$.assets.motor_vehicle_value": "motor_vehicle_value",
    "$.assets.houses": "houses",
    "$.assets.registered_business": "registered_business",
    "$.annual_rigid_expenses.medical": "medical",
    "$.annual_rigid_expenses.education": "education",
    "$.annual_rigid_expenses.other": "other",
}
NO_MEMBER = "请至少填写一位家庭成员（申请人）。"


class SelfCheck:
    """One run of the self-check over bound forms. `run()` validates and evaluates; afterwards `evaluation`
    is the result (None when a form is invalid or the engine refused the snapshot), `members` the
    cleaned data of the filled member forms, and `context()` what the self-check's template shows."""

    def __init__(self, household_form: forms.Form, member_forms: Any, *, today: date) -> None:
        self.household_form, self.member_forms, self.today = household_form, member_forms, today
        self.members: list[dict[str, Any]] = []
        self.snapshot: dict[str, Any] | None = None
        self.evaluation: Evaluation | None = None

    def run(self) -> Evaluation | None:
        household_ok, members_ok = self.household_form.is_valid(), self.member_forms.is_valid()
        filled = [
            (index, form.cleaned_data)
            for index, form in enumerate(self.member_forms)
            # A POST without the formset's management form leaves its forms unchecked (no cleaned_data).
            if getattr(form, "cleaned_data", None) and form.has_person()
        ]
        self.members = [data for _, data in filled]
        if household_ok and members_ok and not filled:
            self.household_form.add_error(None, NO_MEMBER)
        elif household_ok and members_ok:
            self.snapshot = self_check_snapshot(self.household_form.cleaned_data, self.members, self.today)
            try:
                self.evaluation = evaluate_submitted(self.snapshot)
            except EvaluationRefused as exc:
                self._place(exc.problems, [index for index, _ in filled])
        return self.evaluation

    @property
    def valid(self) -> bool:
        return self.evaluation is not None

    def context(self) -> dict[str, Any]:
        context: dict[str, Any] = {"problems": self.problems()}
        evaluation = self.evaluation
        if evaluation is None or self.snapshot is None:
            return context
        names = {member["ref"]: member["name"] for member in self.snapshot["members"]}
        context["evaluation"] = evaluation
        context["reasons"] = [
            (REASON_LABELS.get(r.rule, r.rule), names.get(r.member or ""), r) for r in evaluation.reasons
        ]
        context["category_labels"] = [CATEGORY_LABELS.get(code, code) for code in evaluation.categories]
        context["primary_label"] = CATEGORY_LABELS.get(evaluation.primary_category or "", "")
        context["benefits"] = [
            (CATEGORY_LABELS[b.category], names.get(b.member, "全家") if b.member else "全家", b)
            for b in evaluation.benefits
        ]
        return context

    def _place(self, problems: list[dict[str, str]], form_indexes: list[int]) -> None:
        """Puts each refusal beside the field it concerns: $.members[i].x on the form of the i-th filled
        member, household paths on the household form, the rest on top."""
        for problem in problems:
            message = PLAIN_PROBLEMS.get(problem["code"], problem["message"])
            path = problem["path"]
            match = re.fullmatch(r"\$\.members\[(\d+)\](?:\.(\w+))?", path)
            if match and int(match[1]) < len(form_indexes):
                form = self.member_forms[form_indexes[int(match[1])]]
                field = match[2] if match[2] in form.fields else None
                form.add_error(field, message)
            elif path in HOUSEHOLD_PATHS:
                self.household_form.add_error(HOUSEHOLD_PATHS[path], message)
            else:
                self.household_form.add_error(None, message)

    def problems(self) -> list[str]:
        """Every error on the page, for the summary at its top: "第2位家庭成员·出生日期：…"."""
        household_form, member_forms = self.household_form, self.member_forms
        problems = [str(message) for message in household_form.non_field_errors()]
        problems += [str(message) for message in member_forms.non_form_errors()]
        for number, form in enumerate(member_forms, start=1):
            for field, field_errors in form.errors.items():
                label = f"·{form.fields[field].label}" if field in form.fields else ""
                where = f"第{number}位家庭成员{label}"
                problems += [f"{where}：{message}" for message in field_errors]
        for field, field_errors in household_form.errors.items():
            if field in household_form.fields:
                problems += [f"{household_form.fields[field].label}：{message}" for message in field_errors]
        return list(dict.fromkeys(problems))
