"""Lists at city scale (issue 12 goal 3): the app served by gunicorn on loopback over the bench database
(the generated households, members and enrollments, plus cases and warnings added here set-wise), under
a bounded concurrent load of our own (threads with keep-alive HTTP connections, a fixed number of requests
per page), beside a trivial page that renders the same base template with no query of its own; and the
household search's SQL alone (name, short name, household number, full ID) timed in the database.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .measure import Measurement, stderr

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "benchmarks.lists_settings"
TODAY = date.today()  # noqa: DTZ011 - the pages compare with the local day; bench data only

OPEN_STAGES = ("submitted", "accepted", "investigating", "publicizing", "deliberating")


def seed_cases_and_warnings(*, cases: int, warnings: int) -> dict[str, int]:
    """Adds `cases` open cases and `warnings` open warnings, spread over the generated households, in two
    INSERT ... SELECT statements (no history rows: history is not what the lists read)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM households_household")
        households = cursor.fetchone()[0]
        cursor.execute("DELETE FROM applications_application WHERE case_number LIKE 'BENCH-%%'")
        cursor.execute("DELETE FROM monitoring_warning WHERE detail LIKE 'BENCH %%'")
        step = max(1, households // max(cases, 1))
        cursor.execute(
            """
            INSERT INTO applications_application (
                case_number, household_id, applicant_id, town_id, stage, kind, trigger, source,
                income_from_work, gradual_exit_granted, channel, procedure, proxy, proxy_reason, situation,
                materials, materials_received, materials_given_on, commitment_signed_on, submitted_on,
                accepted_on,
                investigation_due, investigation_due_provisional, overall_due, overall_due_provisional,
                extended_due_provisional, extension_reason, review_due_provisional, deadline_flag,
                rejection_reason, withdrawal_reason, created_at, updated_at)
            SELECT 'BENCH-' || h.id, h.id, m.id, v.parent_id,
                   (%(stages)s::text[])[1 + h.id %% 5],
                   'application', '', '', false, false, 'window', 'regular', 'none', '', '生活困难',
                   '[]'::jsonb, '[]'::jsonb, %(day)s, %(day)s, %(day)s, %(day)s,
                   %(day)s::date + 10, false, %(day)s::date + 30, false, false, '', false,
                   (ARRAY['', '', 'due_soon', 'overdue'])[1 + h.id %% 4], '', '', now(), now()
            FROM households_household h
            JOIN accounts_orgunit v ON v.id = h.village_id
            JOIN LATERAL (SELECT id FROM households_member
                          WHERE household_id = h.id AND relation = 'applicant' ORDER BY id LIMIT 1) m ON true
            WHERE h.id %% %(step)s = 0
            ORDER BY h.id
            LIMIT %(cases)s
            """,
            {"day": TODAY - timedelta(days=20), "step": step, "cases": cases, "stages": list(OPEN_STAGES)},
        )
        added_cases = cursor.rowcount
        step = max(1, households // max(warnings, 1))
        cursor.execute(
            """
            INSERT INTO monitoring_warning (
                type, severity, household_id, member_id, source_row_id, year, period, assignee_id, town_id,
                raised_on,
                due_on, due_provisional, status, action, feedback, escalated_on, to_civil_affairs,
                to_agriculture, detail, created_at)
            SELECT 'disaster', 'medium', h.id, m.id, NULL, NULL, '', v.parent_id, v.parent_id, %(day)s,
                   %(day)s::date + (h.id %% 40)::int, false, 'open', '', '', NULL, false, false,
                   'BENCH 受灾 ' || h.id, now()
            FROM households_household h
            JOIN accounts_orgunit v ON v.id = h.village_id
            JOIN LATERAL (SELECT id FROM households_member WHERE household_id = h.id ORDER BY id LIMIT 1) m
                 ON true
            WHERE h.id %% %(step)s = 1 %% %(step)s
            ORDER BY h.id
            LIMIT %(warnings)s
            """,
            {"day": TODAY - timedelta(days=20), "step": step, "warnings": warnings},
        )
        added_warnings = cursor.rowcount
        cursor.execute("ANALYZE applications_application")
        cursor.execute("ANALYZE monitoring_warning")
    return {"cases": added_cases, "warnings": added_warnings}


@dataclass
class Targets:
    cookies: dict[str, str]  # who → session cookie header
    village_code: str
    surname: str
    short_name: str
    full_name: str
    household_number: str
    id_number: str


def prepare_targets() -> Targets:
    """A town clerk of the busiest town and a city reviewer, logged in (session cookies); the village with
    the most enrolled households; search terms taken from the data."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.models import OrgUnit, Role, RoleAssignment, User

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.parent_id FROM households_household h JOIN accounts_orgunit v ON v.id = h.village_id "
            "GROUP BY v.parent_id ORDER BY count(*) DESC LIMIT 1"
        )
        town_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT v.code FROM households_enrollment e JOIN households_household h ON h.id = e.household_id "
            "JOIN accounts_orgunit v ON v.id = h.village_id WHERE e.end_date IS NULL "
            "GROUP BY v.code ORDER BY count(DISTINCT e.household_id) DESC LIMIT 1"
        )
        village_code = cursor.fetchone()[0]
        cursor.execute(
            "SELECT m.name, h.household_number, m.id_number FROM households_member m "
            "JOIN households_household h ON h.id = m.household_id "
            "JOIN accounts_orgunit v ON v.id = h.village_id "
            "WHERE v.parent_id = %s AND m.is_active AND char_length(m.name) >= 3 "
            "ORDER BY m.id OFFSET 1000 LIMIT 1",
            [town_id],
        )
        name, number, id_number = cursor.fetchone()
    city = OrgUnit.objects.get(kind="city")
    users = {
        "town_clerk": (Role.TOWN_CLERK, OrgUnit.objects.get(pk=town_id)),
        "city_reviewer": (Role.CIVIL_AFFAIRS_REVIEWER, city),
    }
    cookies = {}
    for who, (role, unit) in users.items():
        user, _ = User.objects.get_or_create(username=f"bench_{who}", defaults={"full_name": who})
        RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit)
        client = Client()
        client.force_login(user)
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return Targets(cookies, village_code, name[:1], name[:2], name, number, id_number)


def start_server(
    *, port: int, workers: int, database_url: str, journal: bool = True
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "JOURNAL_ENABLED": "1" if journal else "0",
    }
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "daye_relief.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/robots.txt")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


@dataclass
class PageResult:
    name: str
    path: str
    latencies: list[float]
    status: int
    size: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def load(*, port: int, path: str, cookie: str, concurrency: int, requests: int) -> PageResult:
    """`requests` GETs of `path` by `concurrency` threads, each on its own keep-alive connection; every
    answer must be 200. Returns the latency of each (seconds, time to the whole body)."""
    latencies: list[float] = []
    statuses: set[int] = set()
    sizes: list[int] = []
    lock = threading.Lock()
    per_thread = [
        requests // concurrency + (1 if n < requests % concurrency else 0) for n in range(concurrency)
    ]

    def worker(count: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Cookie": cookie} if cookie else {}
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.add(response.status)
                sizes.append(len(body))
        connection.close()

    threads = [threading.Thread(target=worker, args=(count,)) for count in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    status = statuses.pop() if len(statuses) == 1 else -1
    return PageResult("", path, latencies, status, int(statistics.median(sizes)))


def _measure(
    *,
    pages: list[tuple[str, str, str]],
    port: int,
    workers: int,
    concurrency: int,
    requests: int,
    database_url: str,
    journal: bool,
) -> list[PageResult]:
    """The pages under the same load, served by a server started with the journal on or off."""
    server = start_server(port=port, workers=workers, database_url=database_url, journal=journal)
    results = []
    try:
        for name, path, cookie in pages:
            load(port=port, path=path, cookie=cookie, concurrency=concurrency, requests=concurrency * 2)
            result = load(port=port, path=path, cookie=cookie, concurrency=concurrency, requests=requests)
            result.name = name
            results.append(result)
            state = "on" if journal else "off"
            stderr(f"lists (journal {state}): {name}: p95 {result.percentile(95) * 1000:.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def search_sql_times(targets: Targets, repeat: int = 5) -> dict[str, float]:
    """The household list's search for a city reviewer, without the page around it: the best of `repeat`
    runs of fetching the first page as the list does (household_page: the count and the page's ids in one
    statement, then its rows), in milliseconds."""
    from accounts.models import User
    from households.selectors.households import HouseholdFilters, household_page

    reviewer = User.objects.get(username="bench_city_reviewer")
    times = {}
    for label, q in (
        (
            "name (3+ characters)",
            targets.full_name if len(targets.full_name) >= 3 else targets.full_name + "%",
        ),
        ("name, 1 character", targets.surname),
        ("name, 2 characters", targets.short_name),
        ("household number", targets.household_number),
        ("full ID number", targets.id_number),
    ):
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            list(household_page(user=reviewer, filters=HouseholdFilters(q=q), number=1))
            best = min(best, time.perf_counter() - started)
        times[label] = best * 1000
    # Before issue 12's prefix rule: a two-character name as a substring (no trigram: a scan of members).
    from households.models import Household, Member

    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        qs = Household.objects.filter(
            pk__in=Member.objects.filter(is_active=True, name__icontains=targets.short_name).values(
                "household_id"
            )
        ).order_by("household_number")
        qs.count()
        list(qs[:25])
        best = min(best, time.perf_counter() - started)
    times["name, 2 characters as a substring (the rule before)"] = best * 1000
    return times


def run(
    *, port: int, workers: int, concurrency: int, requests: int, database_url: str
) -> tuple[list[Measurement], dict[str, Any]]:
    targets = prepare_targets()
    from django.db import connections

    connections.close_all()
    clerk, reviewer = targets.cookies["town_clerk"], targets.cookies["city_reviewer"]
    pages = [
        ("trivial page (base template, no query)", "/bench/trivial/", clerk),
        ("household list, town clerk", "/households/", clerk),
        ("household list, city reviewer", "/households/", reviewer),
        ("household list, city, name search", f"/households/?q={quote(targets.full_name)}", reviewer),
        ("household list, city, 1-character name", f"/households/?q={quote(targets.surname)}", reviewer),
        (
            "household list, city, household number",
            f"/households/?q={quote(targets.household_number)}",
            reviewer,
        ),
        ("household list, city, full ID", f"/households/?q={targets.id_number}", reviewer),
        ("case workbench, town clerk", "/cases/", clerk),
        ("case workbench, city reviewer", "/cases/", reviewer),
        ("public long-term list (largest village)", f"/public/villages/{targets.village_code}/", ""),
        ("warning list, town clerk", "/monitoring/warnings/", clerk),
        ("warning list, city reviewer", "/monitoring/warnings/", reviewer),
    ]
    server = start_server(port=port, workers=workers, database_url=database_url)
    results: list[PageResult] = []
    try:
        for name, path, cookie in pages:
            load(
                port=port, path=path, cookie=cookie, concurrency=concurrency, requests=concurrency * 2
            )  # warm
            result = load(port=port, path=path, cookie=cookie, concurrency=concurrency, requests=requests)
            result.name = name
            results.append(result)
            stderr(
                f"lists: {name}: p50 {result.percentile(50) * 1000:.0f} ms, p95 "
                f"{result.percentile(95) * 1000:.0f} ms, status {result.status}, {result.size:,} bytes"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    journal_pages = [
        ("household list, town clerk", "/households/", clerk),
        ("household list, city, name search", f"/households/?q={quote(targets.full_name)}", reviewer),
    ]
    journal_off = _measure(pages=journal_pages, port=port, workers=workers, concurrency=concurrency,
                           requests=requests, database_url=database_url, journal=False)  # fmt: skip
    searches = search_sql_times(targets)
    base = results[0]
    note = f"{requests} requests, {concurrency} concurrent clients, gunicorn {workers} workers on loopback"
    measurements = [
        Measurement(
            f"lists: {r.name} p95",
            r.percentile(95) * 1000,
            "ms",
            base.percentile(95) * 1000,
            "trivial page p95",
            note=f"{note}; p50 {r.percentile(50) * 1000:.0f} ms; HTTP {r.status}; {r.size:,} bytes",
        )
        for r in results
    ]
    on = {r.name: r for r in results}
    measurements += [
        Measurement(
            f"journal: {r.name} p95, journal on",
            on[r.name].percentile(95) * 1000,
            "ms",
            r.percentile(95) * 1000,
            "the same page with the journal off",
            note=f"{note}; goal: within 10% (issue 21); a search writes one journal row per request",
        )
        for r in journal_off
    ]
    measurements += [
        Measurement(
            f"search SQL: {label}",
            ms,
            "ms",
            100.0,
            "the goal",
            note="best of 5; household_page: count and first page",
        )
        for label, ms in searches.items()
    ]
    details = {
        "pages": [
            {
                "name": r.name,
                "path": r.path,
                "status": r.status,
                "bytes": r.size,
                "p50_ms": r.percentile(50) * 1000,
                "p95_ms": r.percentile(95) * 1000,
                "max_ms": max(r.latencies) * 1000,
                "requests": len(r.latencies),
            }
            for r in results
        ],
        "search_sql_ms": searches,
        "concurrency": concurrency,
        "workers": workers,
    }
    return measurements, details
