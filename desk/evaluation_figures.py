"""The pilot evaluation's figures (plan 三(三), DESIGN §3.10): the period, and for one period in one scope
(the city, or one town) every figure the report shows, each method one or two aggregate queries (a fixed
number of queries whatever the number of households or cases). Nothing here writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.glossary import (
    Bureau,
    Channel,
    FilingStatus,
    Kind,
    Method,
    Procedure,
    Proxy,
    Stage,
    Trigger,
)
from applications.models import AdjustmentOutcome, Application, CategoryDecision, Filing, Investigation
from charities.glossary import NeedStatus, ResourceKind
from charities.models import HouseholdNeed, SocialResource
from desk.stats import warning_handled_on, warning_timeliness
from households.glossary import AssistanceKind
from households.models import AssistanceRecord, Enrollment
from households.selectors.households import enrolled_on
from monitoring.glossary import (
    VISIT_ITEMS,
    Assurance,
    CheckKind,
    CheckResult,
    CheckStatus,
    ImportStatus,
    RiskDecisionKind,
    RiskReviewStatus,
    WarningStatus,
)
from monitoring.models import CheckTask, DatasetImport, RiskDecision, SharedRow, Visit, Warning
from publicity.glossary import ItemOutcome
from publicity.models import Notice, NoticeItem, Objection


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts: as many whole months
        when this one is whole months (a year: the year before), else as many days."""
        end = self.start - timedelta(days=1)
        next_day = self.end + timedelta(days=1)
        if self.start.day == 1 and next_day.day == 1:
            months = (next_day.year - self.start.year) * 12 + next_day.month - self.start.month
            first = self.start.year * 12 + self.start.month - 1 - months
            return Period(date(first // 12, first % 12 + 1, 1), end)
        return Period(end - timedelta(days=self.days - 1), end)

    def label(self) -> str:
        return f"{chinese_date(self.start)}至{chinese_date(self.end)}"

    def months(self) -> tuple[str, str]:
        """The first and last data month (YYYY-MM) the period touches."""
        return f"{self.start:%Y-%m}", f"{self.end:%Y-%m}"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def year_to_date(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(date(today.year, 1, 1), today)


class Figures:
    """The figures of one period in one scope (town or city). Each method is one or two aggregate
    queries."""

    def __init__(self, period: Period, town_id: int | None) -> None:
        self.p = period
        self.town_id = town_id

    def where(self, prefix: str) -> Q:
        """The scope as a filter on a model that reaches a village through `prefix`."""
        if self.town_id is None:
            return Q()
        return Q(**{f"{prefix}village__parent_id": self.town_id})

    def within(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.p.start, f"{field_name}__lte": self.p.end})

    # 二(一) and 二(三)4: one application, classified; decided within the deadlines ------------------

    def cases(self) -> dict[str, Any]:
        scope = self.where("household__") & Q(kind=Kind.APPLICATION)
        accepted = Q(accepted_on__gte=self.p.start, accepted_on__lte=self.p.end)
        decided = self.within("decided_on") & Q(stage__in=[Stage.APPROVED, Stage.REJECTED, Stage.FILED])
        approved = decided & ~Q(stage=Stage.REJECTED)
        final_due = Coalesce("extended_due", "overall_due")
        figures = (
            Application.objects.filter(scope)
            .annotate(binding_due=final_due)
            .aggregate(
                accepted=Count("pk", filter=accepted),
                window=Count("pk", filter=accepted & Q(channel=Channel.WINDOW)),
                village=Count("pk", filter=accepted & Q(channel=Channel.VILLAGE)),
                online=Count("pk", filter=accepted & Q(channel=Channel.ONLINE)),
                proxy=Count("pk", filter=accepted & ~Q(proxy=Proxy.NONE)),
                commitment=Count("pk", filter=accepted & Q(procedure=Procedure.COMMITMENT)),
                decided=Count("pk", filter=decided),
                approved=Count("pk", filter=approved),
                rejected=Count("pk", filter=decided & Q(stage=Stage.REJECTED)),
                in_time=Count("pk", filter=decided & Q(decided_on__lte=F("binding_due"))),
                commitment_decided=Count("pk", filter=decided & Q(procedure=Procedure.COMMITMENT)),
                commitment_in_10=Count(
                    "pk",
                    filter=decided & Q(procedure=Procedure.COMMITMENT, decided_on__lte=F("overall_due")),
                ),
                regular_decided=Count("pk", filter=decided & Q(procedure=Procedure.REGULAR)),
                regular_in_20=Count(
                    "pk", filter=decided & Q(procedure=Procedure.REGULAR, decided_on__lte=F("overall_due"))
                ),
                extended=Count("pk", filter=decided & Q(extended_due__isnull=False)),
                review_in_3=Count(
                    "pk", filter=decided & Q(review_due__isnull=False, decided_on__lte=F("review_due"))
                ),
                withdrawn=Count("pk", filter=accepted & Q(stage=Stage.WITHDRAWN)),
            )
        )
        # The categories each approved case was classified into (one query, grouped by case).
        decisions = (
            CategoryDecision.objects.filter(
                approved=True,
                review__approved=True,
                review__application__in=Application.objects.filter(scope & approved).values("pk"),
            )
            .values_list("review__application_id", "category")
            .distinct()
        )
        by_case: dict[int, set[str]] = {}
        for case_id, category in decisions:
            by_case.setdefault(case_id, set()).add(category)
        figures["several"] = sum(1 for cats in by_case.values() if len(cats) >= 2)
        figures["overlap"] = sum(1 for cats in by_case.values() if "monitoring" in cats and len(cats) >= 2)
        figures["by_category"] = Counter(cat for cats in by_case.values() for cat in cats)
        figures["departures"] = (
            CategoryDecision.objects.filter(
                review__application__in=Application.objects.filter(scope & decided).values("pk"),
                engine_found__isnull=False,
            )
            .exclude(approved=F("engine_found"))
            .values("review__application_id")
            .distinct()
            .count()
        )
        return figures

    # 二(三)2 同步调查 --------------------------------------------------------------------------------

    def investigations(self) -> dict[str, Any]:
        done = Investigation.objects.filter(
            self.where("application__household__"), self.within("completed_on")
        ).annotate(team_size=Count("team"))
        return done.aggregate(
            completed=Count("pk"),
            team_of_two=Count("pk", filter=Q(team_size__gte=2)),
            in_5=Count("pk", filter=Q(completed_on__lte=F("application__investigation_due"))),
            checked=Count("pk", filter=Q(check_requested_on__isnull=False)),
            # The JSON text holds the quoted code: a match both on PostgreSQL and on the SQLite of `make run`,
            # which has no JSON containment.
            video=Count("pk", filter=Q(methods__icontains=f'"{Method.VIDEO.value}"')),
        )

    # 二(三)3 同期公示 --------------------------------------------------------------------------------

    def notices(self) -> dict[str, Any]:
        posted = Notice.objects.filter(self.where(""), self.within("posted_on")).count()
        items = NoticeItem.objects.filter(self.where("notice__"), self.within("notice__posted_on")).aggregate(
            items=Count("pk"),
            no_objection=Count("pk", filter=Q(outcome=ItemOutcome.NO_OBJECTION)),
            objected=Count("pk", filter=Q(outcome=ItemOutcome.OBJECTED)),
        )
        objections = Objection.objects.filter(
            self.where("item__notice__"), self.within("received_on")
        ).aggregate(received=Count("pk"), answered=Count("pk", filter=Q(answered_on__isnull=False)))
        return {"posted": posted, **items, **objections}

    # 二(三)4 备案与标识 ------------------------------------------------------------------------------

    def filings(self) -> dict[str, Any]:
        filed = Filing.objects.filter(self.where("application__household__"), self.within("filed_on"))
        figures = filed.aggregate(
            civil=Count("pk", filter=Q(bureau=Bureau.CIVIL_AFFAIRS)),
            civil_ack=Count("pk", filter=Q(bureau=Bureau.CIVIL_AFFAIRS, status=FilingStatus.ACKNOWLEDGED)),
            agri=Count("pk", filter=Q(bureau=Bureau.AGRICULTURE)),
            agri_ack=Count("pk", filter=Q(bureau=Bureau.AGRICULTURE, status=FilingStatus.ACKNOWLEDGED)),
            returned=Count("pk", filter=Q(status=FilingStatus.RETURNED)),
            overlap_marked=Count("pk", filter=Q(bureau=Bureau.CIVIL_AFFAIRS, monitoring_overlap=True)),
        )
        per_case = (
            filed.values("application_id")
            .annotate(
                n=Count("pk"),
                acknowledged=Count("pk", filter=Q(status=FilingStatus.ACKNOWLEDGED)),
            )
            .values_list("n", "acknowledged")
        )
        cases = list(per_case)
        figures["cases"] = len(cases)
        figures["cases_all_ack"] = sum(1 for n, ack in cases if n == ack)
        figures["cases_both_ack"] = sum(1 for n, ack in cases if n == 2 and ack == 2)
        return figures

    # 二(三)5 同频监测: who is enrolled at the end of the period ---------------------------------------

    def enrolled(self) -> dict[str, Any]:
        active = Enrollment.objects.filter(self.where("household__"), enrolled_on(self.p.end))
        rows = active.values("category").annotate(households=Count("household_id", distinct=True))
        by_category = {row["category"]: row["households"] for row in rows}
        households = active.values("household_id").distinct().count()
        monitored = active.filter(category="monitoring").values("household_id")
        overlap = (
            active.filter(household_id__in=monitored)
            .exclude(category="monitoring")
            .values("household_id")
            .distinct()
            .count()
        )
        return {"by_category": by_category, "households": households, "overlap": overlap}

    # 二(四)3 动态调整: who came in, who went out --------------------------------------------------------

    def movements(self) -> dict[str, Any]:
        scope = self.where("household__")
        started = Enrollment.objects.filter(scope, self.within("start_date"))
        ended = Enrollment.objects.filter(scope, self.within("end_date"))
        reasons = dict(
            ended.values("end_reason")
            .annotate(n=Count("household_id", distinct=True))
            .values_list("end_reason", "n")
        )
        return {
            "started_households": started.values("household_id").distinct().count(),
            "ended_households": ended.values("household_id").distinct().count(),
            "reasons": reasons,
            "gradual": Enrollment.objects.filter(scope, gradual_exit_until__isnull=False)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=self.p.start))
            .filter(gradual_exit_until__gte=self.p.start)
            .values("household_id")
            .distinct()
            .count(),
        }

    def adjustments(self) -> dict[str, Any]:
        """Adjustment cases (动态调整, DESIGN §3.7): opened, decided, and what the approved ones did."""
        scope = self.where("household__") & Q(kind=Kind.ADJUSTMENT)
        opened = self.within("accepted_on")
        decided = self.within("decided_on") & Q(stage__in=[Stage.APPROVED, Stage.REJECTED, Stage.FILED])
        figures = Application.objects.filter(scope).aggregate(
            opened=Count("pk", filter=opened),
            decided=Count("pk", filter=decided),
            approved=Count("pk", filter=decided & ~Q(stage=Stage.REJECTED)),
            **{f"trigger_{code}": Count("pk", filter=opened & Q(trigger=code)) for code in Trigger.values},
        )
        figures["outcomes"] = dict(
            AdjustmentOutcome.objects.filter(
                application__in=Application.objects.filter(scope & decided).exclude(stage=Stage.REJECTED)
            )
            .values("outcome")
            .annotate(n=Count("pk"))
            .values_list("outcome", "n")
        )
        return figures

    def checks(self) -> dict[str, Any]:
        """Check tasks (核查, DESIGN §3.6): given in the period by kind, done (on time or not), results."""
        scope = self.where("household__")
        given = self.within("opened_on")
        done = self.within("recorded_on") & Q(status=CheckStatus.DONE)
        return CheckTask.objects.filter(scope).aggregate(
            given=Count("pk", filter=given),
            annual=Count("pk", filter=given & Q(kind=CheckKind.ANNUAL)),
            ad_hoc=Count("pk", filter=given & Q(kind=CheckKind.AD_HOC)),
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(recorded_on__lte=F("due_on"))),
            open_overdue=Count(
                "pk",
                filter=Q(opened_on__lte=self.p.end, due_on__lt=self.p.end)
                & (Q(status=CheckStatus.OPEN) | Q(recorded_on__gt=self.p.end)),
            ),
            **{f"result_{code}": Count("pk", filter=done & Q(result=code)) for code in CheckResult.values},
        )

    def visits(self) -> dict[str, Any]:
        """Follow-up visits (巡访, DESIGN §3.6): recorded in the period, the households they reached, those
        that found an item not secure; risk eliminations the agriculture bureau acknowledged."""
        not_secure = Q()
        for item, _ in VISIT_ITEMS:
            not_secure |= Q(**{item: Assurance.NOT_SECURE})
        figures = Visit.objects.filter(self.where("household__"), self.within("visited_on")).aggregate(
            visits=Count("pk"),
            visited_households=Count("household_id", distinct=True),
            concerns=Count("pk", filter=not_secure),
        )
        figures["risk_eliminated"] = RiskDecision.objects.filter(
            self.where("household__"),
            decision=RiskDecisionKind.ELIMINATE,
            review__status=RiskReviewStatus.ACKNOWLEDGED,
            review__acknowledged_on__gte=self.p.start,
            review__acknowledged_on__lte=self.p.end,
        ).count()
        return figures

    # 二(四)1 线上核对: data shared per department; 二(二)1 warnings handled ------------------------------

    def shared_data(self) -> dict[str, Any]:
        first, last = self.p.months()
        imports = DatasetImport.objects.filter(status=ImportStatus.DONE, period__gte=first, period__lte=last)
        by_department = list(
            imports.values("department__name", "department__code")
            .annotate(files=Count("pk"), rows=Sum("rows"))
            .order_by("department__code")
        )
        # Deliveries are city-wide; the rows that matched a household are counted in the scope.
        matched = dict(
            SharedRow.objects.filter(self.where("household__"), dataset_import__in=imports.values("pk"))
            .values("dataset_import__department__code")
            .annotate(n=Count("pk"))
            .values_list("dataset_import__department__code", "n")
        )
        for dept in by_department:
            dept["matched"] = matched.get(dept["department__code"], 0)
        return {"departments": by_department}

    def warnings(self) -> dict[str, Any]:
        """Handled on time as the dashboard counts it (desk.stats.ON_TIME_RULE), as known today."""
        raised = Warning.objects.filter(self.where("household__"), self.within("raised_on")).annotate(
            handled_on=warning_handled_on()
        )
        done = Q(status__in=[WarningStatus.HANDLED, WarningStatus.CLOSED])
        figures = raised.aggregate(
            raised=Count("pk"),
            to_departments=Count("pk", filter=Q(assignee__kind="department")),
            escalated=Count("pk", filter=Q(escalated_on__isnull=False)),
            open_overdue=Count("pk", filter=~done & Q(due_on__lt=self.p.end)),
            **warning_timeliness(timezone.localdate()),
        )
        figures["by_type"] = dict(raised.values("type").annotate(n=Count("pk")).values_list("type", "n"))
        return figures

    # 二(二)2 专项救助: assistance recorded from the departments' data ----------------------------------

    def assistance(self) -> dict[str, Any]:
        """The assistance records of the period (DESIGN §3.8): from the departments' shared data, entered
        by hand, temporary assistance, and the help of social forces."""
        records = AssistanceRecord.objects.filter(self.where("household__"), self.within("received_on"))
        per_kind = {
            row["kind"]: row
            for row in records.values("kind").annotate(
                people=Count("member_id", distinct=True), amount=Sum("amount")
            )
        }
        total = records.aggregate(
            people=Count("member_id", distinct=True),
            households=Count("household_id", distinct=True),
            amount=Sum("amount"),
            temporary=Count("pk", filter=Q(kind=AssistanceKind.TEMPORARY)),
            temporary_explained=Count(
                "pk", filter=Q(kind=AssistanceKind.TEMPORARY, explained_on__isnull=False)
            ),
        )
        return {"per_kind": per_kind, **total}

    def social_forces(self) -> dict[str, Any]:
        """Charity projects and volunteers (社会力量): registered, needs recorded and matched, help given."""
        resources = SocialResource.objects.all()
        if self.town_id is not None:
            resources = resources.filter(towns=self.town_id)
        figures = resources.aggregate(
            projects=Count("pk", distinct=True, filter=Q(kind=ResourceKind.PROJECT, active=True)),
            volunteers=Count("pk", distinct=True, filter=Q(kind=ResourceKind.VOLUNTEER, active=True)),
        )
        figures |= HouseholdNeed.objects.filter(
            self.where("household__"), self.within("recorded_on")
        ).aggregate(
            needs=Count("pk"),
            needs_matched=Count("pk", filter=~Q(status=NeedStatus.OPEN)),
        )
        figures |= AssistanceRecord.objects.filter(
            self.where("household__"), self.within("received_on"), kind=AssistanceKind.SOCIAL_HELP
        ).aggregate(helped=Count("pk"), helped_households=Count("household_id", distinct=True))
        return figures


def data_since(town_id: int | None) -> date | None:
    """The first day the system holds any record of the scope: before it, a period has no data."""
    scope_hh = Q() if town_id is None else Q(household__village__parent_id=town_id)
    days = [
        Application.objects.filter(scope_hh).aggregate(d=Min("accepted_on"))["d"],
        Enrollment.objects.filter(scope_hh).aggregate(d=Min("start_date"))["d"],
        Warning.objects.filter(scope_hh).aggregate(d=Min("raised_on"))["d"],
        AssistanceRecord.objects.filter(scope_hh).aggregate(d=Min("received_on"))["d"],
        CheckTask.objects.filter(scope_hh).aggregate(d=Min("opened_on"))["d"],
        Visit.objects.filter(scope_hh).aggregate(d=Min("visited_on"))["d"],
    ]
    present = [day for day in days if day is not None]
    return min(present) if present else None
