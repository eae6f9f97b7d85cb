"""Reads of cases, always through the user's scope (accounts.access)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.access import application_read_filter, household_read_filter
from daye_relief.errors import DomainError
from households.glossary import Category
from households.models import Household, Member
from households.selectors.households import active_enrollments

from .glossary import DEADLINE_STAGES, OPEN_STAGES, Bureau, DeadlineFlag, FilingStatus, Stage
from .models import Application, ApplicationEvent, Filing, Review


def application_list(*, user: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(application_read_filter(user))
        .select_related("household__village__parent", "applicant", "town")
        .order_by("-accepted_on", "-pk")
    )


WORKBENCH_PAGE = 25  # open cases per page; each of the inbox, overdue and due-soon sections shows as many
# What a row of the workbench's tables shows (applications/_case_table.html): the case's dates and flags,
# the applicant's name, the village and town names. A hundred rows of whole cases, households, members and
# units cost the page more than its queries (issue 12).
CASE_ROW_FIELDS = (
    "case_number",
    "kind",
    "stage",
    "submitted_on",
    "accepted_on",
    "investigation_due",
    "investigation_due_provisional",
    "review_due",
    "review_due_provisional",
    "decided_on",
    "overall_due",
    "overall_due_provisional",
    "extended_due",
    "extended_due_provisional",
    "deadline_flag",
    "applicant__name",
    "household__village__name",
    "household__village__parent__name",
)


def workbench(*, user: Any, stage: str = "", page: str | int | None = None) -> dict[str, Any]:
    """The clerk's desk: the town's inbox (forwarded applications waiting to be accepted), open cases by
    stage (a stage's tile filters the list, a page at a time), those due soon and those overdue (the first
    page of each, with the total). The counts are one aggregate; the lists are bounded, so the queries
    and the page do not grow with the town's or the city's caseload."""
    rows_qs = (
        application_list(user=user)
        .select_related(None)
        .select_related("household__village__parent", "applicant")
        .only(*CASE_ROW_FIELDS)
    )
    open_qs = rows_qs.filter(stage__in=OPEN_STAGES)
    # One aggregate for every count on the page: per stage, and per stage the overdue and due-soon cases.
    rows = list(
        open_qs.order_by()
        .values("stage")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(deadline_flag=DeadlineFlag.OVERDUE)),
            due_soon=Count("pk", filter=Q(deadline_flag=DeadlineFlag.DUE_SOON)),
        )
    )
    counts = {row["stage"]: row["n"] for row in rows}
    flags = {
        "overdue": sum(row["overdue"] for row in rows),
        "due_soon": sum(row["due_soon"] for row in rows),
    }
    chosen = stage if stage in OPEN_STAGES else ""
    listed = open_qs.filter(stage=chosen) if chosen else open_qs
    # The list's total is already counted above: the paginator does not count it again.
    paginator = Paginator(listed, WORKBENCH_PAGE)
    paginator.count = counts.get(chosen, 0) if chosen else sum(counts.values())
    return {
        "by_stage": [(Stage(s), counts.get(s, 0)) for s in Stage.values if s in OPEN_STAGES],
        "stage": Stage(chosen) if chosen else None,
        "open_total": sum(counts.values()),
        "inbox": list(open_qs.filter(stage=Stage.SUBMITTED)[:WORKBENCH_PAGE]),
        "inbox_total": counts.get(Stage.SUBMITTED, 0),
        "overdue": list(open_qs.filter(deadline_flag=DeadlineFlag.OVERDUE)[:WORKBENCH_PAGE]),
        "overdue_total": flags["overdue"],
        "due_soon": list(open_qs.filter(deadline_flag=DeadlineFlag.DUE_SOON)[:WORKBENCH_PAGE]),
        "due_soon_total": flags["due_soon"],
        "open_cases": paginator.get_page(page),
        "section_size": WORKBENCH_PAGE,
        "recent_closed": list(rows_qs.exclude(stage__in=OPEN_STAGES).order_by("-updated_at")[:20]),
    }


def application_detail(*, user: Any, pk: int) -> Application | None:
    return (
        Application.objects.filter(application_read_filter(user), pk=pk)
        .select_related(
            "household__village__parent",
            "applicant",
            "town",
            "accepted_by",
            "submitted_by",
            "assessment",
            "investigation",
        )
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("approved_by").prefetch_related(
                    "attendees", "decisions__member"
                ),
            ),
            Prefetch("filings", queryset=Filing.objects.select_related("acted_by")),
            "investigation__team",
        )
        .first()
    )


def filing_queue(*, bureau: str, status: str = FilingStatus.PENDING) -> list[Filing]:
    """A bureau's filings in one status, oldest first. Each carries `overlap_note`: where the household is
    also filed with the other bureau, what that filing holds, in words for this bureau's reviewer (the
    civil-affairs desk reads that the family is also marked for monitoring, the agriculture desk which
    civil-affairs categories it also has), never the bureau's own category called a duplicate of itself.
    A fixed number of queries."""
    filings: list[Filing] = list(
        Filing.objects.filter(bureau=bureau, status=status)
        .select_related("application__household__village__parent", "application__applicant")
        .prefetch_related(
            Prefetch(
                "application__filings",
                queryset=Filing.objects.exclude(bureau=bureau).order_by("pk"),
                to_attr="other_filings",
            )
        )
        .order_by("filed_on", "pk")
    )
    for filing in filings:
        others = filing.application.other_filings  # type: ignore[attr-defined]
        notes = []
        for other in others:
            if other.bureau == Bureau.AGRICULTURE:
                notes.append("同时标识为防止返贫监测对象（市农业农村局）")
            else:
                labels = "、".join(Category(c).label for c in other.categories if c in Category.values)
                notes.append(f"同时报送{Bureau(other.bureau).label}：{labels}")
        filing.overlap_note = "；".join(notes)  # type: ignore[attr-defined]
    return filings


def intake_search(*, user: Any, q: str) -> list[Household]:
    """Step 1 of the intake: households in the user's scope matching a name, an ID number or a household
    number, each with its active members (`intake_members`), its running cases (`intake_open_cases`)
    and its current enrollments (`intake_enrollments`), so that the page names the family and says at
    once when it can get no new application. A fixed number of queries."""
    q = q.strip()
    if not q:
        return []
    return list(
        Household.objects.filter(household_read_filter(user), is_active=True)
        .filter(
            Q(members__is_active=True, members__name__icontains=q)
            | Q(members__is_active=True, members__id_number=q.upper())
            | Q(household_number=q)
        )
        .select_related("village__parent")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Member.objects.filter(is_active=True).order_by("pk"),
                to_attr="intake_members",
            ),
            Prefetch(
                "applications",
                queryset=Application.objects.filter(_running()).distinct().order_by("-pk"),
                to_attr="intake_open_cases",
            ),
            Prefetch("enrollments", queryset=active_enrollments(), to_attr="intake_enrollments"),
        )
        .distinct()
        .order_by("household_number")[:20]
    )


def _running() -> Q:
    return Q(stage__in=OPEN_STAGES) | Q(
        stage=Stage.FILED, filings__status__in=[FilingStatus.PENDING, FilingStatus.RETURNED]
    )


def household_open_case(household: Household) -> Application | None:
    """The household's case still running: from the town's inbox (submitted) to a filing the bureaus have
    not all acknowledged yet (the enrollment is then on its way)."""
    return Application.objects.filter(household=household).filter(_running()).order_by("-pk").first()


def household_intake_refusal(household: Household, *, on: date) -> DomainError | None:
    """Why this household gets no new application (DESIGN §3.4), or None: an open case (the clerk is
    pointed to it), or an active enrollment (a change goes through an adjustment)."""
    open_case = household_open_case(household)
    if open_case is not None:
        return DomainError(
            f"该家庭已有正在办理的申请（{open_case.case_number}，{Stage(open_case.stage).label}），"
            "不能重复申请，请在该案件中继续办理。",
            code="open_case",
            field="household",
        )
    current = sorted(
        {
            Category(code).label
            for code in active_enrollments(on).filter(household=household).values_list("category", flat=True)
        }
    )
    if current:
        return DomainError(
            f"该家庭已纳入{'、'.join(current)}，不能重复申请。家庭情况发生变化的，应通过动态调整办理。",
            code="enrolled",
            field="household",
        )
    return None


def binding_deadlines(application: Application) -> list[date]:
    """The deadlines that bind the case in its stage: none in the inbox (they count from acceptance) and
    none once decided (they stop at the decision)."""
    final = application.final_due
    if application.stage not in DEADLINE_STAGES or final is None:
        return []
    dues = [final]
    investigation = getattr(application, "investigation", None)
    if (
        application.stage in (Stage.ACCEPTED, Stage.INVESTIGATING)
        and application.investigation_due is not None
        and (investigation is None or investigation.completed_on is None)
    ):
        dues.append(application.investigation_due)
    if application.stage == Stage.DELIBERATING and application.review_due:
        dues.append(application.review_due)
    return dues


def deadlines_running(application: Application) -> bool:
    """The case's deadlines run from acceptance to the decision (DESIGN §3.4)."""
    return application.stage in DEADLINE_STAGES and application.accepted_on is not None


def is_overdue(application: Application, *, today: date) -> bool:
    """Past a deadline that binds the case now; never once decided (an approved case waiting to be filed
    is not overdue)."""
    return any(due < today for due in binding_deadlines(application))
