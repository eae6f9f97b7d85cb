"""`python -m benchmarks.evaluation_bench`: the pilot evaluation (desk.evaluation) over two generated years
of one town (the year evaluated and the year before it), in a database of its own.

It generates, with bulk inserts: the town's households and members, the cases of both years at every
stage (investigations with their teams, reviews with their category decisions, filings), the villages'
notices with their cases and objections, enrollments started and ended, warnings with their feedback
events, and the departments' monthly deliveries with the matched assistance rows. Then it times the
evaluation of the year (the figures, the PDF and the XLSX) as the town's clerk and as a bureau reviewer
(the whole city), with the number of queries. The database is dropped at the end unless --keep-db.

Example: DJANGO_SETTINGS_MODULE=daye_relief.settings.test python -m benchmarks.evaluation_bench
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .database import drop_database, recreate_database

YEAR = 2025
BATCH = 5000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.evaluation_bench", description=__doc__)
    parser.add_argument(
        "--households", type=int, default=8000, help="households of the town (default: %(default)s)"
    )
    parser.add_argument(
        "--cases", type=int, default=3000, help="cases accepted per year (default: %(default)s)"
    )
    parser.add_argument("--warnings", type=int, default=4000, help="warnings per year (default: %(default)s)")
    parser.add_argument(
        "--shared-rows",
        type=int,
        default=40000,
        help="matched shared-data rows per year (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=20251231)
    parser.add_argument("--db-name", default="daye_evalbench")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server, without a database name (default: $BENCH_POSTGRES_URL or %(default)s)",
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    return parser.parse_args(argv)


def _d(day: date | None) -> date:
    """A date the generator set itself (the models' fields are nullable)."""
    if day is None:
        raise ValueError("generated records always carry this date")
    return day


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def generate(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    from accounts.models import OrgUnit, RoleAssignment, User
    from applications.models import Application, CategoryDecision, Filing, Investigation, Review
    from households.codes import DATASET_ASSISTANCE_KINDS
    from households.idnumbers import make
    from households.models import AssistanceRecord, Enrollment, Household, Member
    from monitoring.datasets import DATASETS
    from monitoring.models import CheckTask, DatasetImport, SharedRow, Warning, WarningEvent
    from publicity.models import Notice, NoticeItem, Objection

    rng = random.Random(args.seed)  # noqa: S311 (reproducible test data, not secrets)

    def unit(code: str, name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
        # The migrations may already hold the city's real org units: reuse them.
        found, _ = OrgUnit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": parent}
        )
        return found

    city = unit("420281", "大冶市", "city")
    town = unit("420281104", "还地桥镇", "town", city)
    other = unit("420281101", "保安镇", "town", city)
    villages = [unit(f"420281104{200 + n:03d}", f"第{n + 1}村", "village", town) for n in range(24)]
    unit("420281101201", "沼山村", "village", other)
    bureau = unit("MZJ", "市民政局", "bureau", city)
    departments = {
        code: unit(code, f"部门{code}", "department", city)
        for code in sorted({d.department for d in DATASETS.values()})
    }
    password = make_password("bench")

    def user(name: str, role: str, unit: OrgUnit) -> User:
        person = User.objects.create(username=name, password=password)
        RoleAssignment.objects.create(user=person, role=role, org_unit=unit)
        return person

    clerk = user("clerk", "town_clerk", town)
    agri = user("agri", "town_agri_officer", town)
    reviewer = user("reviewer", "civil_affairs_reviewer", bureau)

    households = Household.objects.bulk_create(
        [
            Household(
                household_number=f"HDQ-{n:06d}",
                village=villages[n % len(villages)],
                hukou_type="rural",
                address=f"第{n % len(villages) + 1}村{n}号",
            )
            for n in range(args.households)
        ],
        batch_size=BATCH,
    )
    members: list[Member] = []
    for n, household in enumerate(households):
        for k, relation in enumerate(("applicant", "spouse", "child")):
            birth = date(1950 + (n + k * 7) % 60, 1 + n % 12, 1 + k)
            members.append(
                Member(
                    household=household,
                    name=f"柯{n}{k}",
                    id_number=make(f"42{(n * 3 + k) // 999 + 1000:04d}", birth, (n * 3 + k) % 999),
                    birth_date=birth,
                    sex="male" if k != 1 else "female",
                    relation=relation,
                )
            )
    members = Member.objects.bulk_create(members, batch_size=BATCH)
    applicants = members[0::3]

    cases: list[Application] = []
    order = list(range(args.households))
    rng.shuffle(order)
    picks = order[: 2 * args.cases]
    for year_index, year in enumerate((YEAR - 1, YEAR)):
        for k, h in enumerate(picks[year_index * args.cases : (year_index + 1) * args.cases]):
            accepted = _day(rng, year)
            overall = accepted + timedelta(days=14 if k % 3 else 28)
            roll = rng.random()
            stage = (
                "filed"
                if roll < 0.7
                else "rejected"
                if roll < 0.85
                else "withdrawn"
                if roll < 0.9
                else "deliberating"
            )
            decided = (
                accepted + timedelta(days=rng.randrange(8, 32)) if stage in ("filed", "rejected") else None
            )
            cases.append(
                Application(
                    case_number=f"420281104-{year}-{k:05d}",
                    household=households[h],
                    applicant=applicants[h],
                    town=town,
                    stage=stage,
                    channel=("window", "village", "online")[k % 3],
                    procedure="commitment" if k % 3 else "regular",
                    proxy="village_committee" if k % 25 == 0 else "none",
                    situation="家庭困难。",
                    materials_given_on=accepted,
                    commitment_signed_on=accepted,
                    accepted_on=accepted,
                    investigation_due=accepted + timedelta(days=7),
                    overall_due=overall,
                    extended_due=overall + timedelta(days=20) if k % 40 == 0 else None,
                    review_due=accepted + timedelta(days=rng.randrange(12, 26)),
                    decided_on=decided,
                )
            )
    cases = Application.objects.bulk_create(cases, batch_size=BATCH)
    investigations = Investigation.objects.bulk_create(
        [
            Investigation(
                application=case,
                started_on=_d(case.accepted_on),
                methods=["home_visit", "neighbors"] if n % 20 else ["video"],
                video_reason="" if n % 20 else "外出务工",
                check_requested_on=_d(case.accepted_on),
                completed_on=_d(case.accepted_on) + timedelta(days=rng.randrange(2, 9)),
            )
            for n, case in enumerate(cases)
        ],
        batch_size=BATCH,
    )
    team_row = Investigation.team.through
    team_row.objects.bulk_create(
        [team_row(investigation_id=i.pk, user_id=u.pk) for i in investigations for u in (clerk, agri)],
        batch_size=BATCH,
    )
    decided_cases = [c for c in cases if c.decided_on is not None]
    reviews = Review.objects.bulk_create(
        [
            Review(
                application=c,
                held_on=_d(c.decided_on),
                approved=c.stage == "filed",
                reason="研判意见",
                approved_by=clerk,
            )
            for c in decided_cases
        ],
        batch_size=BATCH,
    )
    decisions: list[CategoryDecision] = []
    filings: list[Filing] = []
    enrollments: list[Enrollment] = []
    for review, case in zip(reviews, decided_cases, strict=True):
        categories = rng.choice(
            [["dibao"], ["dibao", "monitoring"], ["marginal", "monitoring"], ["monitoring"], ["tekun"]]
        )
        for category in categories:
            decisions.append(
                CategoryDecision(
                    review=review,
                    category=category,
                    approved=review.approved,
                    reason="理由",
                    engine_found=True,
                )
            )
        if not review.approved:
            continue
        civil = [c for c in categories if c != "monitoring"]
        status = rng.choice(["acknowledged", "acknowledged", "acknowledged", "pending", "returned"])
        if civil:
            filings.append(
                Filing(
                    application=case,
                    bureau="civil_affairs",
                    categories=civil,
                    filed_on=_d(case.decided_on),
                    status=status,
                )
            )
        if "monitoring" in categories:
            filings.append(
                Filing(
                    application=case,
                    bureau="agriculture",
                    categories=["monitoring"],
                    filed_on=_d(case.decided_on),
                    status=status,
                )
            )
        ends = rng.random() < 0.15
        for category in categories:
            member = case.applicant if category == "tekun" else None
            end = _d(case.decided_on) + timedelta(days=rng.randrange(30, 300)) if ends else None
            enrollments.append(
                Enrollment(
                    household=case.household,
                    member=member,
                    category=category,
                    start_date=_d(case.decided_on),
                    end_date=end,
                    end_reason=rng.choice(["income_exceeds", "death", "moved_out"]) if end else "",
                    monthly_amount=Decimal("600.00") if category in ("dibao", "tekun") else None,
                )
            )
    CategoryDecision.objects.bulk_create(decisions, batch_size=BATCH)
    Filing.objects.bulk_create(filings, batch_size=BATCH)
    # A household enrolled the year before and again this year keeps one open enrollment per category.
    seen: set[tuple[int, str, int | None]] = set()
    unique: list[Enrollment] = []
    for enrollment in reversed(enrollments):
        key = (
            enrollment.household.pk,
            enrollment.category,
            enrollment.member.pk if enrollment.member else None,
        )
        if key in seen:
            continue
        seen.add(key)
        unique.append(enrollment)
    Enrollment.objects.bulk_create(unique, batch_size=BATCH)

    # One notice per village and month, holding that month's cases of the village.
    by_notice: dict[tuple[int, int, int], list[Application]] = {}
    for case in cases:
        by_notice.setdefault(
            (case.household.village_id, _d(case.accepted_on).year, _d(case.accepted_on).month), []
        ).append(case)
    notices = Notice.objects.bulk_create(
        [
            Notice(
                village_id=village_id,
                status="closed",
                posted_on=date(year, month, 20),
                closes_on=date(year, month, 25),
                closed_on=date(year, month, 25),
                created_by=clerk,
            )
            for village_id, year, month in by_notice
        ],
        batch_size=BATCH,
    )
    items = NoticeItem.objects.bulk_create(
        [
            NoticeItem(notice=notice, application=case, outcome="objected" if n % 30 == 0 else "no_objection")
            for notice, group in zip(notices, by_notice.values(), strict=True)
            for n, case in enumerate(group)
        ],
        batch_size=BATCH,
    )
    Objection.objects.bulk_create(
        [
            Objection(
                item=item,
                received_on=_d(item.notice.posted_on) + timedelta(days=2),
                channel="phone",
                content="反映情况。",
                recorded_by=clerk,
                answer="已核实。",
                answered_on=_d(item.notice.posted_on) + timedelta(days=4),
                answered_by=clerk,
            )
            for item in items
            if item.outcome == "objected"
        ],
        batch_size=BATCH,
    )

    warnings: list[Warning] = []
    dept_list = list(departments.values())
    for year in (YEAR - 1, YEAR):
        for n in range(args.warnings):
            raised = _day(rng, year)
            h = rng.randrange(args.households)
            status = rng.choice(["open", "in_progress", "handled", "handled", "closed"])
            warnings.append(
                Warning(
                    type=rng.choice(
                        ["death", "unemployment", "dangerous_house", "disaster", "medical_burden"]
                    ),
                    severity="high",
                    household=households[h],
                    member=applicants[h],
                    town_id=households[h].village.parent_id or 0,
                    year=(year - YEAR + 1) * 10000
                    + n,  # keeps medical_burden's one-per-year constraint apart
                    assignee=town if n % 2 else dept_list[n % len(dept_list)],
                    raised_on=raised,
                    due_on=raised + timedelta(days=10),
                    status=status,
                    escalated_on=raised + timedelta(days=17) if n % 13 == 0 else None,
                )
            )
    warnings = Warning.objects.bulk_create(warnings, batch_size=BATCH)
    WarningEvent.objects.bulk_create(
        [
            WarningEvent(warning=w, kind="feedback", from_status="in_progress", to_status="handled")
            for w in warnings
            if w.status in ("handled", "closed")
        ],
        batch_size=BATCH,
    )

    imports = DatasetImport.objects.bulk_create(
        [
            DatasetImport(
                dataset=key,
                period=f"{year}-{month:02d}",
                sha256=f"{key}-{year}-{month}".ljust(64, "0")[:64],
                department=departments[dataset.department],
                channel="sync",
                status="done",
                rows=3000,
                valid=3000,
            )
            for year in (YEAR - 1, YEAR)
            for month in range(1, 13)
            for key, dataset in DATASETS.items()
        ],
        batch_size=BATCH,
    )
    money = [d for d in imports if DATASETS[d.dataset].assistance]
    rows: list[SharedRow] = []
    for n in range(2 * args.shared_rows):
        delivery = money[n % len(money)]
        h = rng.randrange(args.households)
        member = applicants[h]
        year, month = int(delivery.period[:4]), int(delivery.period[5:])
        rows.append(
            SharedRow(
                dataset_import=delivery,
                dataset=delivery.dataset,
                period=delivery.period,
                row_number=n + 2,
                id_number=member.id_number,
                name=member.name,
                row_date=date(year, month, 1 + n % 28),
                amount_key=f"{n}.00",
                data={},
                household=households[h],
                member=member,
                assistance_amount=Decimal(rng.randrange(100, 5000)),
            )
        )
    rows = SharedRow.objects.bulk_create(rows, batch_size=BATCH)
    # Each row that brings money is an assistance record on the member (DESIGN §3.8), plus the town's
    # temporary assistance; and the year's check tasks.
    AssistanceRecord.objects.bulk_create(
        [
            AssistanceRecord(
                household_id=row.household_id,
                member_id=row.member_id,
                kind=DATASET_ASSISTANCE_KINDS.get(row.dataset, "other"),
                received_on=row.row_date,
                amount=row.assistance_amount,
                source="shared_data",
                source_dataset=row.dataset,
                source_row_id=row.pk,
            )
            for row in rows
        ]
        + [
            AssistanceRecord(
                household=households[h],
                member=applicants[h],
                kind="temporary",
                received_on=_day(rng, year),
                amount=Decimal(rng.randrange(200, 2000)),
                source="manual",
                reason="先行救助。",
            )
            for year in (YEAR - 1, YEAR)
            for h in rng.sample(range(args.households), min(300, args.households))
        ],
        batch_size=BATCH,
    )
    tasks = []
    for year in (YEAR - 1, YEAR):
        for h in rng.sample(range(args.households), min(800, args.households)):
            opened = _day(rng, year)
            # One open ad hoc check per household at most (a constraint): the year before's are all done.
            done = year < YEAR or rng.random() < 0.8
            tasks.append(
                CheckTask(
                    kind="annual" if h % 4 else "ad_hoc",
                    household=households[h],
                    town=town,
                    opened_on=opened,
                    due_on=opened + timedelta(days=30),
                    status="done" if done else "open",
                    result=rng.choice(["confirmed", "confirmed", "adjust", "cancel"]) if done else "",
                    recorded_on=opened + timedelta(days=rng.randrange(5, 40)) if done else None,
                    opened_by=clerk,
                )
            )
    CheckTask.objects.bulk_create(tasks, batch_size=BATCH)
    return {"clerk": clerk, "reviewer": reviewer, "town": town}


def measure(label: str, user: Any, town: Any) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from desk.evaluation import evaluation_build, evaluation_pdf, evaluation_xlsx
    from desk.evaluation_figures import Period

    period = Period(date(YEAR, 1, 1), date(YEAR, 12, 31))
    reset_queries()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        evaluation = evaluation_build(user=user, period=period, town=town)
    figures = time.perf_counter() - start
    pdf_start = time.perf_counter()
    pdf = evaluation_pdf(evaluation)
    pdf_seconds = time.perf_counter() - pdf_start
    xlsx_start = time.perf_counter()
    xlsx = evaluation_xlsx(evaluation)
    xlsx_seconds = time.perf_counter() - xlsx_start
    total = time.perf_counter() - start
    accepted = next(r for m in evaluation.measures for r in m.rows if r.label == "受理申请")
    sys.stdout.write(
        f"{label}: figures {figures:.2f} s in {len(queries)} queries; "
        f"PDF {pdf_seconds:.2f} s ({len(pdf):,} bytes); "
        f"XLSX {xlsx_seconds:.2f} s ({len(xlsx):,} bytes); total {total:.2f} s "
        f"[受理申请 {accepted.now} this year, {accepted.before} the year before]\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    recreate_database(args.server, args.db_name)
    os.environ["DATABASE_URL"] = f"{args.server.rstrip('/')}/{args.db_name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daye_relief.settings.test")
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)

    try:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        made = generate(args)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        sys.stdout.write(
            f"generated {args.households} households, {2 * args.cases} cases, {2 * args.warnings} warnings, "
            f"{2 * args.shared_rows} shared rows over {YEAR - 1}-{YEAR} "
            f"in {time.perf_counter() - start:.1f} s\n"
        )
        measure("town clerk, 还地桥镇, year " + str(YEAR), made["clerk"], made["town"])
        measure("bureau reviewer, whole city, year " + str(YEAR), made["reviewer"], None)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(args.server, args.db_name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
