from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.glossary import Role
from accounts.models import User
from daye_relief.widgets import DateEntry
from eligibility.engine import CATEGORY_LABELS, CATEGORY_ORDER
from eligibility.selectors import stored_reasons
from households.forms.assistance import MemberChoiceField
from households.models import Household, Member

from .adjustment_outcomes import current_enrollments, proposed_comparison
from .glossary import (
    LONG_TEXT,
    MATERIALS,
    REMOVING_CHANGES,
    SHORT_TEXT,
    ChangeKind,
    Channel,
    Method,
    Procedure,
    Proxy,
    Trigger,
)
from .models import Application

DATE = DateEntry()


def _today() -> Any:
    return timezone.localdate()


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        roles = "、".join(sorted({Role(a.role).label for a in obj.role_assignments.all()}))
        return f"{obj}（{roles}）"


class IntakeForm(forms.Form):
    applicant = MemberChoiceField(queryset=Member.objects.none(), label="申请人")
    channel = forms.ChoiceField(label="申请渠道", choices=Channel.choices, initial=Channel.WINDOW)
    procedure = forms.ChoiceField(
        label="办理程序",
        choices=Procedure.choices,
        initial=Procedure.COMMITMENT,
        help_text="告知承诺制10个工作日内办结，常规程序20个工作日内办结",
    )
    proxy = forms.ChoiceField(label="申请方式", choices=Proxy.choices, initial=Proxy.NONE)
    proxy_reason = forms.CharField(label="代为申请原因", required=False, max_length=200)
    situation = forms.CharField(
        label="家庭困难情况（申请事由）", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    materials = forms.MultipleChoiceField(
        label="一次性告知的材料清单",
        choices=MATERIALS,
        widget=forms.CheckboxSelectMultiple,
        initial=[code for code, _ in MATERIALS[:7]],
    )
    materials_given_on = forms.DateField(label="材料清单告知日期", widget=DATE, initial=_today)
    commitment_signed_on = forms.DateField(label="申请人签署真实性承诺书日期", widget=DATE, initial=_today)
    accepted_on = forms.DateField(label="受理日期", widget=DATE, initial=_today)

    def __init__(self, *args: Any, household: Household, forwarding: bool = False, **kwargs: Any) -> None:
        """`forwarding`: a village forwards the application to the town, which accepts it (受理) later;
        the form records the day it was forwarded instead of an acceptance date."""
        super().__init__(*args, **kwargs)
        if forwarding:
            del self.fields["accepted_on"]
            self.fields["channel"].choices = [(Channel.VILLAGE, Channel.VILLAGE.label)]  # type: ignore[attr-defined]
            self.fields["channel"].initial = Channel.VILLAGE
            self.fields["submitted_on"] = forms.DateField(label="转报日期", widget=DATE, initial=_today)
        members = household.members.filter(is_active=True).order_by("pk")
        self.fields["applicant"].queryset = members  # type: ignore[attr-defined]
        applicant = members.filter(relation="applicant").first()
        if applicant is not None:
            self.fields["applicant"].initial = applicant.pk


class AcceptForm(forms.Form):
    """受理 of a forwarded application from the town's inbox."""

    procedure = forms.ChoiceField(
        label="办理程序",
        choices=Procedure.choices,
        help_text="告知承诺制10个工作日内办结，常规程序20个工作日内办结（自受理之日起计算）",
    )
    accepted_on = forms.DateField(label="受理日期", widget=DATE, initial=_today)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].initial = application.procedure


class StartInvestigationForm(forms.Form):
    team = UserChoices(queryset=User.objects.none(), label="调查组成员", widget=forms.CheckboxSelectMultiple)
    started_on = forms.DateField(label="调查开始日期", widget=DATE, initial=_today)
    check_requested_on = forms.DateField(label="家庭经济状况核对申请日期", widget=DATE, initial=_today)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                role_assignments__org_unit=application.town,
                role_assignments__role__in=[Role.TOWN_CLERK, Role.TOWN_AGRI_OFFICER],
            )
            .distinct()
            .prefetch_related("role_assignments")
        )


class CheckResultForm(forms.Form):
    check_reference = forms.CharField(label="核对报告编号", required=False, max_length=64)
    check_result = forms.CharField(
        label="核对结果", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    check_result_on = forms.DateField(label="核对结果日期", widget=DATE, initial=_today)


class CompleteInvestigationForm(forms.Form):
    methods = forms.MultipleChoiceField(
        label="调查方式", choices=Method.choices, widget=forms.CheckboxSelectMultiple
    )
    video_reason = forms.CharField(
        label="视频调查原因（采用视频调查时必填）", required=False, max_length=SHORT_TEXT
    )
    findings = forms.CharField(
        label="调查结论", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    completed_on = forms.DateField(label="完成日期", widget=DATE, initial=_today)


class CloseNoticeForm(forms.Form):
    closed_on = forms.DateField(label="公示结束日期", widget=DATE, initial=_today)
    note = forms.CharField(label="说明", required=False, max_length=SHORT_TEXT)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    """撤回 only at the applicant's written request, kept with the case."""

    requested_on = forms.DateField(label="申请人书面申请撤回的日期", widget=DATE, initial=_today)
    reason = forms.CharField(
        label="书面申请中写明的撤回原因", max_length=SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtendForm(forms.Form):
    total_working_days = forms.IntegerField(
        label="延长后的办理时限（受理后工作日数）", min_value=1, max_value=45, initial=30
    )
    reason = forms.CharField(
        label="延期原因", max_length=SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class FileForm(forms.Form):
    filed_on = forms.DateField(label="报送日期", widget=DATE, initial=_today)


class FilingActionForm(forms.Form):
    note = forms.CharField(
        label="意见", required=False, max_length=SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


DECISION_CHOICES = [("yes", "纳入"), ("no", "不纳入")]


class DecideForm(forms.Form):
    """The collective review: attendance, a decision and reason per proposed category, case-by-case."""

    held_on = forms.DateField(label="研判日期", widget=DATE, initial=_today)
    attendees = UserChoices(
        queryset=User.objects.none(), label="参会人员", widget=forms.CheckboxSelectMultiple
    )
    attendees_note = forms.CharField(label="其他参会人员", required=False, max_length=SHORT_TEXT)
    case_by_case = forms.BooleanField(label="按“一事一议”认定为其他困难人员", required=False)
    case_by_case_reason = forms.CharField(label="一事一议理由", required=False, max_length=SHORT_TEXT)
    reason = forms.CharField(
        label="研判意见（不予批准时为理由，将写入不予批准通知书）",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    departure_reason = forms.CharField(
        label="与系统测算结果不一致的理由",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="纳入了系统测算未认定的类别，或未纳入系统测算认定的类别时必填；将随备案报送",
    )

    def __init__(
        self, *args: Any, application: Application, proposals: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, role_assignments__org_unit=application.town)
            .distinct()
            .prefetch_related("role_assignments")
        )
        self.proposals = proposals
        self.comparison: list[Any] = []
        if application.is_adjustment:
            self.comparison = proposed_comparison(application, on=timezone.localdate())
            self.fields["income_from_work"] = forms.BooleanField(
                label="收入增加源于积极就业或发展产业", required=False
            )
            self.fields["gradual_exit"] = forms.BooleanField(
                label="取消低保的，给予渐退期",
                required=False,
                help_text="低保待遇按原标准继续发放至决定之月后渐退期满的月底",
            )
            self.fields["reason"].label = "研判意见"
            current = {(row.category, row.member.pk if row.member else None) for row in self.comparison}
            self.fields["case_by_case"].initial = ("case_by_case", None) in current
        for proposal in proposals:
            key = proposal["key"]
            self.fields[f"decision_{key}"] = forms.ChoiceField(
                label=proposal["label"],
                choices=DECISION_CHOICES,
                widget=forms.RadioSelect,
                initial="yes" if proposal["proposed"] else "no",
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=f"{proposal['label']}的理由",
                max_length=SHORT_TEXT,
                initial=_fit(proposal["detail"], SHORT_TEXT),
            )

    def decision_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"decision_{p['key']}"], self[f"reason_{p['key']}"]) for p in self.proposals]


def _fit(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def category_proposals(application: Application) -> list[dict[str, Any]]:
    """One row per category the engine checked (member-level ones per member), with its proposal."""
    result = application.assessment.result if application.assessment else {"reasons": [], "members": []}
    names = {str(m.pk): m.name for m in application.household.members.all()}
    # Keyed by the member ref each engine reason carries (None for household rules); the reason text
    # proposed to the task force is the family's sentence, as it is printed on the decision notice.
    reasons = {(r["rule"], r["member"]): r for r in stored_reasons(result, names)}
    rows = []
    for code in CATEGORY_ORDER:
        if code in ("tekun", "dibao_single"):
            for member in result["members"]:
                name = names.get(member["ref"], member["ref"])
                reason = reasons.get((code, member["ref"])) or {"passed": False, "family_text": ""}
                if code in member["categories"] or reason["family_text"]:
                    rows.append(
                        {
                            "key": f"{code}_{member['ref']}",
                            "category": code,
                            "member_ref": member["ref"],
                            "label": f"{CATEGORY_LABELS[code]}（{name}）",
                            "proposed": code in member["categories"],
                            "detail": reason["family_text"] or "—",
                        }
                    )
        else:
            reason = reasons.get((code, None)) or {"passed": False, "family_text": "—"}
            rows.append(
                {
                    "key": code,
                    "category": code,
                    "member_ref": None,
                    "label": CATEGORY_LABELS[code],
                    "proposed": code in result.get("categories", []),
                    "detail": reason["family_text"],
                }
            )
    if application.is_adjustment:  # a member's own enrollment of one who has left: decided too
        listed = {(row["category"], row["member_ref"]) for row in rows}
        for (code, member_id), enrollment in current_enrollments(application, timezone.localdate()).items():
            if member_id is not None and (code, str(member_id)) not in listed:
                name = enrollment.member.name if enrollment.member else ""
                rows.append(
                    {
                        "key": f"{code}_{member_id}",
                        "category": code,
                        "member_ref": str(member_id),
                        "label": f"{CATEGORY_LABELS[code]}（{name}）",
                        "proposed": False,
                        "detail": f"{name}已不在户或不再计入家庭成员。",
                    }
                )
    return rows


class AdjustmentForm(forms.Form):
    """动态调整立案: what opened it and, for a member change, who, what, when and on what evidence."""

    trigger = forms.ChoiceField(label="调整起因", choices=Trigger.choices, initial=Trigger.MEMBER_CHANGE)
    kind = forms.ChoiceField(label="成员变化类型", choices=[("", "—"), *ChangeKind.choices], required=False)
    member = MemberChoiceField(queryset=Member.objects.none(), label="变化的成员", required=False)
    happened_on = forms.DateField(label="变化发生日期", widget=DATE, required=False)
    evidence = forms.CharField(
        label="证明材料",
        max_length=SHORT_TEXT,
        required=False,
        help_text="如死亡医学证明、户口迁移证明、出生医学证明、结婚证、判决书，写明编号",
    )
    note = forms.CharField(label="调整事由", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(
        label="来源编号", max_length=64, required=False, help_text="如预警、走访、核查记录的编号（可不填）"
    )
    opened_on = forms.DateField(label="立案日期", widget=DATE, initial=_today)

    def __init__(self, *args: Any, household: Household, member: Member | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = household.members.filter(is_active=True).order_by("pk")  # type: ignore[attr-defined]
        if member is not None:  # from the member's row on the household page: a member leaving
            self.fields["trigger"].choices = [(Trigger.MEMBER_CHANGE, Trigger.MEMBER_CHANGE.label)]  # type: ignore[attr-defined]
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (code, label) for code, label in ChangeKind.choices if code in REMOVING_CHANGES
            ]
            self.fields["kind"].required = True
            self.fields["member"].initial = member.pk
            self.fields["happened_on"].required = True
            self.fields["evidence"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("trigger") == Trigger.MEMBER_CHANGE:
            for name, message in (
                ("kind", "请选择成员变化类型。"),
                ("member", "请选择变化的成员（新增成员请先在家庭信息中添加）。"),
                ("happened_on", "请填写变化发生日期。"),
                ("evidence", "请写明证明材料。"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data
