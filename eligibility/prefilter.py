"""The bulk re-evaluation's pre-filter (issue 22 point 2): one PostgreSQL statement decides, for each
enrolled household of a chunk, whether the engine would surely give it the categories it is enrolled in
now. Those households get no proposal, so the Python engine runs only on the others.

The statement is the engine's rules written again in SQL (eligibility.rules: membership, property,
特困 with its supporters, 低保, 边缘, 单人户低保, 刚性支出, monitoring) over the same rows the snapshot is
built from, with the thresholds the engine derives (`rules.base.limits_for`) handed in per region and
hukou type. It answers "same" only when it is sure: a household whose snapshot might not be valid (the
conditions of `selectors._facts_if_surely_valid`), whose region has no parameters in force, or whose
rows it cannot read is left to the engine, which then words the error or the proposal as before. Every
proposal still comes from the engine; an error here could only hide one, which the differential tests
(`tests/eligibility/test_prefilter.py`, and the bench's run with the pre-filter off) hold at zero.

On SQLite (`make run`) there is no pre-filter: every household goes to the engine.

Not yet on by default (settings.REEVALUATION_PREFILTER): on 300,000 generated households it leaves about
a fifth of each chunk to the engine, and its first form (特困's supporters in correlated EXISTS, since
rewritten as the tekun_households CTE) hid no proposal there; but the statement takes 0.37 s a chunk of
2,000, because the planner expects a few rows from each CTE and joins the per-household sums to the
households in a nested loop (2,000 × 1,000 comparisons); the whole run is then slower than without it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection

from households import codes
from households.idnumbers import CHECK_CHARS, WEIGHTS

from .errors import ParametersMissing
from .rules.base import limits_for
from .selectors import ParameterTable


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))


# The ISO 7064 check of the ID number, as `snapshot.identity_surely_clean` computes it.
_CHECKSUM = " + ".join(f"(ascii(substr(m.id_number, {i + 1}, 1)) - 48) * {w}" for i, w in enumerate(WEIGHTS))

_SQL = f"""
WITH lim AS (
    SELECT * FROM unnest(
        %(regions)s::text[], %(hukous)s::text[], %(standard_year)s::numeric[], %(marginal_year)s::numeric[],
        %(monitoring)s::numeric[], %(disposable)s::numeric[], %(ratio)s::numeric[],
        %(financial_dibao)s::numeric[], %(financial_marginal)s::numeric[], %(vehicle_value)s::numeric[],
        %(vehicles_dibao)s::int[], %(dwellings_dibao)s::int[], %(business_dibao)s::boolean[],
        %(vehicles_marginal)s::int[], %(dwellings_marginal)s::int[], %(business_marginal)s::boolean[]
    ) AS l(region_code, hukou_type, s, mg, mo, d, r, fin_d, fin_m, veh_value,
           veh_d, dw_d, bus_d, veh_m, dw_m, bus_m)
),
enrolled AS (
    SELECT e.household_id,
           COALESCE(array_agg(DISTINCT e.category::text) FILTER (WHERE e.category <> 'case_by_case'),
                    '{{}}') AS cats
    FROM households_enrollment e
    WHERE e.household_id BETWEEN %(first)s AND %(last)s
      AND e.start_date <= %(on)s AND (e.end_date IS NULL OR e.end_date > %(on)s)
    GROUP BY e.household_id
),
hh AS (
    SELECT h.id, h.hukou_type, v.code AS region_code, en.cats
    FROM households_household h
    JOIN enrolled en ON en.household_id = h.id
    JOIN accounts_orgunit v ON v.id = h.village_id
    WHERE h.is_active AND h.id BETWEEN %(first)s AND %(last)s
),
incomes AS (
    SELECT i.member_id, SUM(i.annual_amount) AS total
    FROM households_income i
    JOIN households_member m ON m.id = i.member_id
    WHERE m.is_active AND m.household_id BETWEEN %(first)s AND %(last)s
    GROUP BY i.member_id
),
people AS (
    SELECT m.id, m.household_id, m.relation, m.imprisoned, m.labor_capacity, m.parents_status,
           m.serious_illness, m.lives_together, m.shares_finances, m.full_time_student, m.education_level,
           COALESCE(inc.total, 0) AS income,
           %(year)s - extract(year FROM m.birth_date)::int
               - CASE WHEN to_char(m.birth_date, 'MMDD') > %(mmdd)s THEN 1 ELSE 0 END AS age,
           (m.disability_grade IS NOT NULL OR m.disability_type <> '') AS disabled,
           COALESCE(m.disability_grade IN (1, 2)
                    OR (m.disability_grade = 3 AND m.disability_type IN ('intellectual', 'mental')),
                    false) AS severe,
           (length(m.id_number) = 18 AND m.id_number ~ '^[0-9]{{17}}'
            AND substr(m.id_number, 7, 8) = to_char(m.birth_date, 'YYYYMMDD')
            AND m.birth_date >= DATE '1900-01-01' AND m.birth_date <= %(on)s
            AND substr(m.id_number, 18, 1) = substr('{CHECK_CHARS}', ({_CHECKSUM}) %% 11 + 1, 1)) AS clean
    FROM households_member m
    LEFT JOIN incomes inc ON inc.member_id = m.id
    WHERE m.is_active AND m.household_id BETWEEN %(first)s AND %(last)s
),
members AS (
    SELECT p.*,
           CASE
               WHEN p.relation = 'applicant' THEN true
               WHEN p.imprisoned THEN false
               WHEN p.relation = 'spouse' THEN true
               WHEN p.relation = 'child'
                    AND (p.age < 18
                         OR (p.full_time_student
                             AND p.education_level IN ({_quoted(codes.BACHELOR_OR_BELOW)}))
                         OR ((p.disabled OR p.serious_illness) AND p.labor_capacity <> 'full')) THEN true
               WHEN p.relation IN ('parent', 'child', 'grandparent', 'grandchild', 'sibling')
                    AND (p.lives_together OR p.shares_finances) THEN true
               ELSE false
           END AS counts,
           (p.labor_capacity = 'none' OR p.age >= 60 OR p.age < 16 OR p.severe) AS no_labor
    FROM people p
),
sums AS (
    SELECT household_id,
           COUNT(*) FILTER (WHERE counts) AS n,
           COALESCE(SUM(income) FILTER (WHERE counts), 0) AS t,
           bool_and(clean) AS clean,
           COUNT(*) FILTER (WHERE relation = 'applicant') AS applicants,
           bool_or(relation = 'applicant' AND imprisoned) AS applicant_imprisoned,
           bool_or(counts AND (serious_illness OR severe)) AS single_candidate
    FROM members GROUP BY household_id
),
assets AS (
    SELECT household_id,
           COALESCE(SUM(value) FILTER (WHERE kind IN ({_quoted(codes.FINANCIAL_ASSET_KINDS)})), 0) AS fin,
           COUNT(*) FILTER (WHERE kind = 'vehicle') AS vehicles,
           COALESCE(SUM(value) FILTER (WHERE kind = 'vehicle'), 0) AS vehicle_value,
           COUNT(*) FILTER (WHERE kind = 'house') AS houses,
           bool_or(kind = 'business') AS business
    FROM households_asset WHERE household_id BETWEEN %(first)s AND %(last)s GROUP BY household_id
),
expenses AS (
    SELECT household_id,
           COALESCE(SUM(annual_amount) FILTER (WHERE kind IN ('medical', 'education', 'other')), 0) AS total
    FROM households_rigidexpense WHERE household_id BETWEEN %(first)s AND %(last)s GROUP BY household_id
),
decided AS (
    SELECT hh.id, hh.cats, s.t, s.n, l.s, l.mg, l.mo, l.d, l.r,
           (s.clean AND s.applicants = 1 AND NOT s.applicant_imprisoned
            AND NOT EXISTS (
                SELECT 1 FROM households_externalsupporter x
                JOIN households_member sm ON sm.id = x.supports_id AND sm.is_active
                WHERE x.household_id = hh.id AND sm.household_id <> hh.id)) AS valid,
           s.single_candidate,
           s.t < l.s * s.n AS below_standard,
           (COALESCE(a.fin, 0) <= l.fin_d * s.n AND COALESCE(a.vehicles, 0) <= l.veh_d
            AND (NOT (l.veh_d > 0 AND COALESCE(a.vehicles, 0) > 0) OR a.vehicle_value < l.veh_value)
            AND COALESCE(a.houses, 0) <= l.dw_d AND (l.bus_d OR NOT COALESCE(a.business, false)))
               AS property_dibao,
           (COALESCE(a.fin, 0) <= l.fin_m * s.n AND COALESCE(a.vehicles, 0) <= l.veh_m
            AND (NOT (l.veh_m > 0 AND COALESCE(a.vehicles, 0) > 0) OR a.vehicle_value < l.veh_value)
            AND COALESCE(a.houses, 0) <= l.dw_m AND (l.bus_m OR NOT COALESCE(a.business, false)))
               AS property_marginal,
           COALESCE(ex.total, 0) AS expenses
    FROM hh
    JOIN sums s ON s.household_id = hh.id
    JOIN lim l ON l.region_code = hh.region_code AND l.hukou_type = hh.hukou_type
    LEFT JOIN assets a ON a.household_id = hh.id
    LEFT JOIN expenses ex ON ex.household_id = hh.id
),
tekun_households AS (
    SELECT DISTINCT x.household_id
    FROM members x
    JOIN decided d ON d.id = x.household_id
    WHERE d.property_dibao AND x.counts
      AND (x.age >= 60 OR x.disabled OR x.age < 18) AND x.no_labor AND x.income < d.s
      AND NOT (x.relation IN ('grandchild', 'other') AND x.age < 18 AND x.parents_status <> 'unable')
      AND NOT EXISTS (
          SELECT 1 FROM members o
          WHERE o.household_id = x.household_id AND o.id <> x.id
            AND ((x.relation = 'applicant' AND o.relation IN ('spouse', 'child', 'parent'))
                 OR (x.relation = 'spouse' AND o.relation IN ('applicant', 'child'))
                 OR (x.relation = 'child' AND o.relation IN ('applicant', 'spouse'))
                 OR (x.relation = 'parent' AND o.relation IN ('applicant', 'sibling', 'parent'))
                 OR (x.relation = 'sibling' AND o.relation = 'parent')
                 OR (x.relation = 'grandchild' AND x.parents_status = 'unable' AND x.age < 18
                     AND o.relation IN ('applicant', 'spouse')))
            AND NOT (o.imprisoned OR (o.no_labor AND o.income < d.s)))
      AND NOT EXISTS (
          SELECT 1 FROM households_externalsupporter es
          WHERE es.household_id = x.household_id AND es.supports_id = x.id AND es.able_to_support)
),
ruled AS (
    SELECT d.*,
           d.below_standard AND d.property_dibao AS dibao,
           NOT d.below_standard AND d.t <= d.mg * d.n AND d.property_marginal AS marginal,
           th.household_id IS NOT NULL AS tekun
    FROM decided d
    LEFT JOIN tekun_households th ON th.household_id = d.id
),
verdict AS (
    SELECT r.*,
           r.marginal AND r.single_candidate AS dibao_single,
           NOT (r.tekun OR r.dibao OR r.marginal)  -- 单人户低保 only ever comes with 边缘
               AND r.t < r.d * r.n AND r.expenses > r.t * r.r AND r.property_marginal AS rigid_expense,
           r.t < r.mo * r.n AND r.property_marginal AS monitoring
    FROM ruled r
)
SELECT hh.id,
       COALESCE(v.valid
                AND v.cats <@ ARRAY['tekun', 'dibao', 'marginal', 'dibao_single',
                                    'rigid_expense', 'monitoring']
                AND v.tekun = ('tekun' = ANY (v.cats))
                AND v.dibao = ('dibao' = ANY (v.cats))
                AND v.marginal = ('marginal' = ANY (v.cats))
                AND v.dibao_single = ('dibao_single' = ANY (v.cats))
                AND v.rigid_expense = ('rigid_expense' = ANY (v.cats))
                AND v.monitoring = ('monitoring' = ANY (v.cats)), false) AS same
FROM hh LEFT JOIN verdict v ON v.id = hh.id
ORDER BY hh.id
"""  # noqa: S608  (constant text: the codes and weights are ours, the values are parameters)

_PAIRS_SQL = """
SELECT DISTINCT v.code, h.hukou_type
FROM households_household h JOIN accounts_orgunit v ON v.id = h.village_id
WHERE h.id BETWEEN %s AND %s
"""

_LIMIT_FIELDS = (
    "standard_year",
    "marginal_year",
    "monitoring",
    "disposable",
    "ratio",
    "financial_dibao",
    "financial_marginal",
    "vehicle_value",
)


def _limits(table: ParameterTable, on: date, first_id: int, last_id: int) -> dict[str, list[Any]]:
    """The thresholds of each (region, hukou type) of the chunk's households, as the engine derives them;
    a region without parameters in force is left out (its households go to the engine)."""
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "regions",
            "hukous",
            *_LIMIT_FIELDS,
            "vehicles_dibao",
            "dwellings_dibao",
            "business_dibao",
            "vehicles_marginal",
            "dwellings_marginal",
            "business_marginal",
        )
    }
    with connection.cursor() as cursor:
        cursor.execute(_PAIRS_SQL, [first_id, last_id])
        pairs = cursor.fetchall()
    for region_code, hukou_type in pairs:
        try:
            limits = limits_for(table.in_force(region_code, on), hukou_type)
        except ParametersMissing:
            continue
        columns["regions"].append(region_code)
        columns["hukous"].append(hukou_type)
        for name in _LIMIT_FIELDS:
            columns[name].append(getattr(limits, name))
        for level in ("dibao", "marginal"):
            vehicles, dwellings, business = limits.allowed[level]
            columns[f"vehicles_{level}"].append(vehicles)
            columns[f"dwellings_{level}"].append(dwellings)
            columns[f"business_{level}"].append(business)
    return columns


def households_to_evaluate(
    *, on: date, first_id: int, last_id: int, table: ParameterTable
) -> tuple[int, list[int]] | None:
    """(the number of enrolled households whose pk lies between the bounds, the ids of those the engine
    must evaluate), or None where there is no pre-filter (not PostgreSQL): then every one goes."""
    if connection.vendor != "postgresql":
        return None
    params: dict[str, Any] = {
        **_limits(table, on, first_id, last_id),
        "first": first_id,
        "last": last_id,
        "on": on,
        "year": on.year,
        "mmdd": on.strftime("%m%d"),
    }
    with connection.cursor() as cursor:
        cursor.execute(_SQL, params)
        rows = cursor.fetchall()
    return len(rows), [household_id for household_id, same in rows if not same]
