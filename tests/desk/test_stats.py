"""The dashboard figures against hand-counted fixtures (tests/desk/conftest.py), the town scope on the page
and the API, and the stats API's exact shape (DESIGN §5)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from desk import stats
from households.models import Enrollment

from .conftest import Figures
from .test_todo import home_counts

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 1)
CATEGORIES = {"tekun", "dibao", "dibao_single", "marginal", "rigid_expense", "monitoring", "case_by_case"}
STAGES = {"submitted", "accepted", "investigating", "publicizing", "deliberating", "approved"}


def zero(**counts: int) -> dict[str, int]:
    return {code: counts.get(code, 0) for code in CATEGORIES}


def test_overview_of_the_city_counted_by_hand(figures: Figures) -> None:
    reviewer = figures.world.users["civil_affairs_reviewer"]
    figures_now = stats.overview(stats.stats_scope(reviewer), TODAY)
    assert figures_now == {
        "as_of": "2026-02-01",
        "households_by_category": zero(dibao=2, tekun=1, monitoring=2),
        "people_by_category": zero(dibao=3, tekun=3, monitoring=3),
        "overlap": {"tekun": 0, "dibao": 1, "dibao_single": 0, "marginal": 0, "rigid_expense": 0},
        "cases_by_stage": {**dict.fromkeys(STAGES, 0), "submitted": 1, "accepted": 1},
    }


def test_a_town_sees_only_its_own_figures(figures: Figures) -> None:
    clerk = figures.world.users["town_clerk"]  # 还地桥镇
    mine = stats.overview(stats.stats_scope(clerk), TODAY)
    assert mine["households_by_category"] == zero(dibao=2, tekun=1, monitoring=1)
    assert mine["people_by_category"] == zero(dibao=3, tekun=3, monitoring=2)
    assert mine["cases_by_stage"]["submitted"] == 1
    assert mine["cases_by_stage"]["accepted"] == 0
    # Asking for the other town gives nothing of it: the filter is ignored, the scope stays the user's own.
    assert stats.overview(stats.stats_scope(clerk, figures.world.town_b.pk), TODAY) == mine
    # A reviewer may narrow to one town.
    reviewer = figures.world.users["agri_bureau_reviewer"]
    town_b = stats.overview(stats.stats_scope(reviewer, figures.world.town_b.pk), TODAY)
    assert town_b["households_by_category"] == zero(monitoring=1)
    assert town_b["cases_by_stage"]["accepted"] == 1


def test_households_and_people_by_town_and_village(figures: Figures) -> None:
    reviewer = figures.world.users["civil_affairs_reviewer"]
    rows = {(row.unit.name, row.is_town): row for row in stats.by_place(stats.stats_scope(reviewer), TODAY)}
    assert [name for name, _ in rows] == ["保安镇", "沼山村", "还地桥镇", "东湖村", "西畈村"]
    assert rows[("东湖村", False)].households["dibao"] == 2
    assert rows[("东湖村", False)].people["dibao"] == 3
    assert rows[("西畈村", False)].households["tekun"] == 1
    assert rows[("还地桥镇", True)].households == zero(dibao=2, tekun=1, monitoring=1)
    assert rows[("保安镇", True)].people == zero(monitoring=1)


def test_decided_within_the_deadline_median_and_the_late_one_named(figures: Figures) -> None:
    clerk = figures.world.users["town_clerk"]
    result = stats.timeliness(stats.stats_scope(clerk), date(2025, 9, 1), date(2025, 9, 30))
    assert (result.decided, result.within, result.share) == (2, 1, "50.0%")
    # 2025-09-01 to 09-30: 21 weekdays after the 1st, and Sunday the 28th a swapped working day.
    assert result.median == 11
    assert [(c.case_number, c.working_days, c.limit) for c in result.late] == [
        (figures.late.case_number, 22, 10)
    ]
    assert result.by_procedure[0] == ("告知承诺制", 10, 2, 1, "50.0%")
    # Town B decided nothing.
    reviewer = figures.world.users["civil_affairs_reviewer"]
    other = stats.timeliness(
        stats.stats_scope(reviewer, figures.world.town_b.pk), date(2025, 9, 1), date(2025, 9, 30)
    )
    assert (other.decided, other.share, other.median) == (0, "—", None)


def test_warnings_by_type_and_unit_with_the_share_handled_on_time(figures: Figures) -> None:
    reviewer = figures.world.users["civil_affairs_reviewer"]
    scope = stats.stats_scope(reviewer)
    rows = {r.key: r for r in stats.warnings_by_type(scope, date(2026, 1, 1), date(2026, 1, 31), TODAY)}
    death, unemployment = rows["death"], rows["unemployment"]
    assert (death.raised, death.handled, death.on_time, death.on_time_share) == (2, 2, 1, "50.0%")
    assert (unemployment.raised, unemployment.handled, unemployment.overdue_open) == (1, 0, 1)
    assert unemployment.on_time_share == "0.0%"
    units = {
        r.label: r for r in stats.warnings_by_assignee(scope, date(2026, 1, 1), date(2026, 1, 31), TODAY)
    }
    assert set(units) == {"还地桥镇", "保安镇", "市医保局"}
    assert units["保安镇"].on_time_share == "0.0%"
    clerk = figures.world.users["town_clerk"]
    mine = stats.warnings_by_type(stats.stats_scope(clerk), date(2026, 1, 1), date(2026, 1, 31), TODAY)
    assert [(r.key, r.raised, r.on_time_share) for r in mine] == [
        ("unemployment", 1, "0.0%"),
        ("death", 1, "100.0%"),
    ]


def test_notices_and_deliveries(figures: Figures) -> None:
    reviewer = figures.world.users["civil_affairs_reviewer"]
    city = stats.notice_figures(stats.stats_scope(reviewer), date(2026, 1, 1), date(2026, 1, 31))
    assert (city.posted, city.closed) == (2, 0)
    town = stats.notice_figures(
        stats.stats_scope(figures.world.users["town_clerk"]), date(2026, 1, 1), date(2026, 1, 31)
    )
    assert town.posted == 1
    months, rows = stats.deliveries(stats.stats_scope(reviewer), date(2026, 1, 1), date(2026, 2, 28))
    assert months == ["2026-01", "2026-02"]
    ybj = next(row for row in rows if row.department.code == "YBJ")
    assert ybj.by_month == [("2026-01", 1, 3, 0), ("2026-02", 0, 0, 0)]
    assert ybj.missing == ["2026-02"]
    assert all(row.missing == months for row in rows if row.department.code != "YBJ")


def test_stats_api_answers_the_exact_shape_in_the_callers_scope(figures: Figures) -> None:
    client = APIClient()
    client.force_authenticate(figures.world.users["town_clerk"])
    body = client.get("/api/v1/stats/overview/").json()
    assert set(body) == {"as_of", "households_by_category", "people_by_category", "overlap", "cases_by_stage"}
    assert set(body["households_by_category"]) == CATEGORIES
    assert set(body["people_by_category"]) == CATEGORIES
    assert set(body["overlap"]) == {"tekun", "dibao", "dibao_single", "marginal", "rigid_expense"}
    assert set(body["cases_by_stage"]) == STAGES
    assert body["households_by_category"]["monitoring"] == 1  # town A only
    assert body["overlap"]["dibao"] == 1
    # A category nobody holds is a key with 0 (issue 17.4): clients see one stable shape.
    assert not Enrollment.objects.filter(category="rigid_expense").exists()
    assert body["households_by_category"]["rigid_expense"] == body["people_by_category"]["rigid_expense"] == 0
    assert body["overlap"]["rigid_expense"] == 0
    client.force_authenticate(figures.world.users["agri_bureau_reviewer"])
    assert client.get("/api/v1/stats/overview/").json()["households_by_category"]["monitoring"] == 2
    client.force_authenticate(figures.world.users["department_user"])
    assert client.get("/api/v1/stats/overview/").status_code == 403
    assert APIClient().get("/api/v1/stats/overview/").status_code in (401, 403)


def test_the_schema_documents_the_overview(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/stats/overview/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(component["properties"]) == {
        "as_of",
        "households_by_category",
        "people_by_category",
        "overlap",
        "cases_by_stage",
    }


def test_dashboard_page_shows_the_towns_figures_only(client, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    client.force_login(figures.world.users["town_clerk"])
    page = client.get(reverse("desk:dashboard"), {"date_from": "2025-09-01", "date_to": "2026-01-31"})
    html = page.content.decode()
    assert page.status_code == 200
    main = html.split("<main", 1)[1]
    assert "还地桥镇" in main
    assert "沼山村" not in main
    assert "保安镇" not in main
    assert (
        'data-category="monitoring"><td>防止返贫监测</td><td><a href="/households/?category=monitoring">1</a>'
        in html
    )
    assert figures.late.case_number in html  # the late case is named
    assert "50.0%" in html
    assert "vendor/echarts/echarts.min.js" in html
    client.force_login(figures.world.users["department_user"])
    assert client.get(reverse("desk:dashboard")).status_code == 403


def test_dashboard_queries_do_not_grow_with_the_data(
    client, figures: Figures, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(figures.world.users["civil_affairs_reviewer"])
    url = reverse("desk:dashboard")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url, {"date_from": "2025-01-01", "date_to": "2026-01-31"})
    w = figures.world
    for _ in range(5):
        from .conftest import household, warning

        home = household(w.village_a2, 2)
        from households.models import Enrollment

        Enrollment.objects.create(household=home, category="marginal", start_date=date(2025, 1, 1))
        warning(home, "disaster", w.town_a, date(2026, 1, 7), date(2026, 1, 12))
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"date_from": "2025-01-01", "date_to": "2026-01-31"})
    assert len(after.captured_queries) == len(before.captured_queries)


def test_open_cases_split_into_applications_and_adjustments(client, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    from applications.services import adjustment_open

    clerk = figures.world.users["town_clerk"]
    adjustment_open(
        household=figures.extra_a1,
        trigger="request",
        note="家庭申请调整。",
        opened_on=date(2026, 1, 15),
        acting_user=clerk,
    )
    scope = stats.stats_scope(clerk)
    split = stats.cases_by_stage_and_kind(scope)
    assert split["accepted"] == {"application": 0, "adjustment": 1}
    assert split["submitted"] == {"application": 1, "adjustment": 0}
    assert stats.overview(scope, TODAY)["cases_by_stage"]["accepted"] == 1
    client.force_login(clerk)
    html = client.get(reverse("desk:list", args=["open_cases"]), {"stage": "accepted", "kind": "adjustment"})
    text = html.content.decode()
    assert text.count('class="desk-row"') == 1
    assert "<td>动态调整</td>" in text


def test_assistance_by_kind_with_the_help_of_social_forces(client, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from households.models import AssistanceRecord

    w = figures.world

    def record(home, kind: str, on: date, amount: str | None) -> None:  # type: ignore[no-untyped-def]
        AssistanceRecord.objects.create(
            household=home,
            member=home.members.get(relation="applicant"),
            kind=kind,
            received_on=on,
            amount=Decimal(amount) if amount else None,
            source="manual",
        )

    record(w.household_a1, "temporary", date(2026, 1, 10), "800.00")
    record(w.household_a1, "social_help", date(2026, 1, 12), None)
    record(w.household_a2, "social_help", date(2026, 1, 20), "300.50")
    record(w.household_b1, "social_help", date(2026, 1, 21), "100.00")
    record(w.household_b1, "social_help", date(2025, 12, 31), "999.00")  # before the period
    reviewer = w.users["civil_affairs_reviewer"]
    city = {
        r.code: r
        for r in stats.assistance_by_kind(stats.stats_scope(reviewer), date(2026, 1, 1), date(2026, 1, 31))
    }
    assert (city["social_help"].records, city["social_help"].households, city["social_help"].amount) == (
        3,
        3,
        Decimal("400.50"),
    )
    assert city["temporary"].amount == Decimal("800.00")
    town = {
        r.code: r
        for r in stats.assistance_by_kind(
            stats.stats_scope(w.users["town_clerk"]), date(2026, 1, 1), date(2026, 1, 31)
        )
    }
    assert (town["social_help"].records, town["social_help"].amount) == (2, Decimal("300.50"))
    client.force_login(reviewer)
    page = client.get(
        reverse("desk:list", args=["stats_assistance"]),
        {"kind": "social_help", "from": "2026-01-01", "to": "2026-01-31", "town": str(w.town_a.pk)},
    )
    assert page.content.decode().count('class="desk-row"') == 2
    html = client.get(
        reverse("desk:dashboard"), {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    ).content.decode()
    assert '<tr data-assistance="social_help"><td>社会力量帮扶</td>' in html
    assert "400.50" in html


def test_visits_overdue_per_village_and_the_list_behind(client, figures: Figures) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    w = figures.world
    today = timezone.localdate()
    reviewer = w.users["civil_affairs_reviewer"]
    # No household was ever visited: each enrolled one is overdue (its enrollment began in January 2025).
    city = [(v.name, n) for v, n in stats.visits_overdue_by_village(stats.stats_scope(reviewer), today)]
    assert city == [("沼山村", 1), ("东湖村", 2), ("西畈村", 1)]
    town = stats.visits_overdue_by_village(stats.stats_scope(w.users["town_clerk"]), today)
    assert [(v.name, n) for v, n in town] == [("东湖村", 2), ("西畈村", 1)]
    client.force_login(reviewer)
    listed = client.get(
        reverse("desk:list", args=["stats_visits_overdue"]), {"village": str(w.village_a1.pk)}
    )
    assert listed.content.decode().count('class="desk-row"') == 2
    village = home_counts(client, w.users["village_staff"])
    assert village["visits_overdue"][1] == 2
    html = client.get(reverse("desk:dashboard")).content.decode()
    assert "走访逾期" in html
