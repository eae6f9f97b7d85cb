"""The PostgreSQL path (COPY, checks and warning rules in SQL) answers exactly as the row-by-row ORM path
(SQLite) on files full of unusual cells: the same report, the same stored rows, the same warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from households.idnumbers import make
from monitoring.models import DatasetImport, SharedRow, Warning

from ..factories import MemberFactory
from .conftest import Pool, csv_bytes
from .test_imports import run

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _state() -> tuple[list[Any], list[Any]]:
    rows = sorted(
        SharedRow.objects.values_list(
            "row_number",
            "id_number",
            "name",
            "row_date",
            "amount_key",
            "data",
            "member_id",
            "name_mismatch",
            "assistance_amount",
        )
    )
    warnings = sorted(
        Warning.objects.values_list(
            "type",
            "severity",
            "household_id",
            "member_id",
            "source_row__row_number",
            "year",
            "assignee_id",
            "due_on",
            "detail",
            "status",
        )
    )
    return rows, warnings


def _both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset: str, files: list[bytes]) -> list[Any]:
    """The reports of the files imported in turn on PostgreSQL's path, once they equal the ORM path's."""
    answers = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr("monitoring.services.fastpath.available", lambda: False)
        reports = []
        for number, content in enumerate(files):
            _code, report = run(tmp_path, dataset, content, name=f"f{number}.csv")
            report.pop("import_id")
            reports.append(report)
        answers.append((reports, _state()))
        Warning.objects.all().delete()
        SharedRow.objects.all().delete()
        DatasetImport.objects.all().delete()
    monkeypatch.undo()
    assert answers[0] == answers[1]
    return list(answers[0][0])


def test_medical_assistance_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: Pool) -> None:
    a, b = pool.member_a1, pool.member_b1
    wide = a.id_number.translate(FULL_WIDTH)
    rows = [
        ["身份证号", "姓名", "救助日期", "金额", "救助比例", "备注"],
        [a.id_number, a.name, "2026-01-03", "500", "50", "x"],
        [a.id_number, a.name, "2026-01-03", "500.00", "50", "same row again"],
        [wide, a.name, "2026/1/4", "1,000", "69.5%", ""],
        [f" {a.id_number[:6]} {a.id_number[6:]} ", f" {a.name} ", "2026年1月5日", "7.5", "70", ""],
        [a.id_number.lower(), "别名", "2026-01-06", "0.5", "69.50", ""],
        [b.id_number, b.name, "2026-01-07", "1e3", "100", ""],
        [b.id_number, b.name, "2026-01-08", "007", "59.999", ""],
        ["", "", "", "", "", ""],
        [b.id_number, b.name, "2026-02-01", "10", "", ""],  # after the period
        [b.id_number[:17] + ("0" if b.id_number[17] != "0" else "1"), b.name, "2026-01-09", "10", "", ""],
        [b.id_number, b.name, "2026-01-32", "10", "", ""],
        [b.id_number, b.name, "2026-01-10", "-5", "", ""],
        [b.id_number, b.name, "2026-01-10", "1.234", "", ""],
        [b.id_number, b.name, "2026-01-10", "5", "101", ""],
        [b.id_number, "", "2026-01-10", "5", "", ""],
        [pool.member_a2.id_number, pool.member_a2.name, "2026-01-11", "5", "10", ""],
    ]
    plain = csv_bytes(rows[:3] + rows[5:8] + rows[9:], encoding="gbk")
    quoted = csv_bytes(rows, encoding="utf-8-sig").replace(b"500.00", b'"500.00"')
    _both(tmp_path, monkeypatch, "medical_assistance", [plain, quoted])


def test_enum_and_text_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: Pool) -> None:
    a = pool.member_a1
    member = a
    member.disability_grade, member.disability_type = 3, "physical"
    member.save()
    housing = csv_bytes(
        [
            {"id_number": a.id_number, "name": a.name, "rated_on": "2026-01-03", "rating": "C"},
            {"id_number": a.id_number, "name": a.name, "rated_on": "2026-01-04", "rating": "d"},
            {"id_number": a.id_number, "name": a.name, "rated_on": "2026-01-05", "rating": "D级"},
            {"id_number": a.id_number, "name": a.name, "rated_on": "2026-01-06", "rating": "B"},
            {"id_number": a.id_number, "name": a.name, "rated_on": "2026-01-07", "rating": "E"},
        ]
    )
    _both(tmp_path, monkeypatch, "housing", [housing])
    disability = csv_bytes(
        [
            {
                "id_number": a.id_number,
                "name": a.name,
                "certified_on": "2026-01-03",
                "kind": "精神",
                "grade": "三级",
            },
            {
                "id_number": a.id_number,
                "name": a.name,
                "certified_on": "2026-01-04",
                "kind": "physical",
                "grade": "2",
            },
            {
                "id_number": a.id_number,
                "name": a.name,
                "certified_on": "2026-01-05",
                "kind": "physical",
                "grade": "3",
            },
        ]
    )
    _both(tmp_path, monkeypatch, "disability", [disability])
    legal = csv_bytes(
        [
            {"id_number": a.id_number, "name": a.name, "aided_on": "2026-01-03", "matter": " 劳动争议\u3000"},
            {"id_number": a.id_number, "name": a.name, "aided_on": "2026-01-04", "matter": "x" * 201},
            {"id_number": a.id_number, "name": "名" * 51, "aided_on": "2026-01-05", "matter": "y"},
        ]
    )
    _both(tmp_path, monkeypatch, "legal_aid", [legal])


def test_medical_burden_and_always_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: Pool) -> None:
    a, b = pool.member_a1, pool.member_b1

    def row(member: Any, day: str, total: str, paid: str) -> dict[str, str]:
        return {
            "id_number": member.id_number,
            "name": member.name,
            "settled_on": day,
            "total_cost": total,
            "self_paid": paid,
        }

    earlier = csv_bytes([row(a, "2025-01-31", "100", "6000"), row(b, "2025-02-28", "100", "9000")])
    later = csv_bytes(
        [
            row(a, "2026-01-20", "200", "3000"),
            row(a, "2026-01-10", "300", "4000"),
            row(b, "2026-01-31", "200", "1000"),
            row(b, "2026-01-02", "300", "500"),
        ]
    )
    _both(tmp_path, monkeypatch, "medical_expense", [earlier, later])
    death = csv_bytes([{"id_number": a.id_number, "name": a.name, "died_on": "2026-01-03"}])
    disaster = csv_bytes(
        [
            {
                "id_number": b.id_number,
                "name": b.name,
                "occurred_on": "2026-01-03",
                "loss_amount": "5000",
                "aid_amount": "",
            }
        ]
    )
    _both(tmp_path, monkeypatch, "death", [death])
    _both(tmp_path, monkeypatch, "disaster", [disaster])


def test_economic_check_with_and_without_its_optional_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: Pool
) -> None:
    a, b = pool.member_a1, pool.member_b1
    base = {"annual_income": "1000", "financial_assets": "0", "vehicle_value": "0", "dwellings": "1"}
    dated = csv_bytes(
        [
            {
                "id_number": a.id_number,
                "name": a.name,
                "checked_on": "",
                "vehicles": "0",
                "business": "否",
                **base,
            },
            {
                "id_number": b.id_number,
                "name": b.name,
                "checked_on": "2026-01-09",
                "vehicles": "-1",
                "business": "是",
                **base,
            },
            {
                "id_number": b.id_number,
                "name": b.name,
                "checked_on": "2026-01-10",
                "vehicles": "2",
                "business": "Y",
                **base,
            },
        ]
    )
    undated = csv_bytes(
        [
            {
                "id_number": a.id_number,
                "name": a.name,
                "vehicles": "1",
                "business": "no",
                **base,
                "annual_income": "90000",
            }
        ]
    )
    first, second = _both(tmp_path, monkeypatch, "economic_check", [dated, undated])
    assert (first["matched"], len(first["rejected"]), second["matched"]) == (2, 1, 1), (first, second)


def test_id_number_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: Pool) -> None:
    """The ID check in SQL (shape, birth date, check character) rejects exactly what parse rejects, with
    the same message, over numbers that pass or fail each step."""
    from datetime import date

    from households.idnumbers import WEIGHTS, check_char, make

    with_x = next(
        number
        for number in (make("420281", date(1980, 5, 6), seq) for seq in range(1000))
        if number.endswith("X")
    )
    first17 = with_x[:17]
    # An X inside the number, its check character what the sum gives with X read as the byte it is.
    inner_x = first17[:5] + "X" + first17[6:]
    a = pool.member_a1
    shapes = [
        a.id_number,
        with_x,
        with_x.lower(),
        inner_x + "10X98765432"[sum((ord(c) - 48) * w for c, w in zip(inner_x, WEIGHTS, strict=True)) % 11],
        first17,  # 17 characters
        with_x + "1",  # 19 characters
        "X" * 18,
        "4202811980050612X" + "X",
        first17[:16] + "a" + "1",
        first17[:6] + "18991231" + first17[14:] + check_char(first17[:6] + "18991231" + first17[14:]),
        first17[:6] + "20230229" + first17[14:] + check_char(first17[:6] + "20230229" + first17[14:]),
        first17[:6] + "20240229" + first17[14:] + check_char(first17[:6] + "20240229" + first17[14:]),
        first17[:6] + "19801301" + first17[14:] + check_char(first17[:6] + "19801301" + first17[14:]),
        first17[:6] + "19800431" + first17[14:] + check_char(first17[:6] + "19800431" + first17[14:]),
        first17 + ("0" if with_x[17] != "0" else "1"),  # wrong check character
        a.id_number[:17] + "X" if a.id_number[17] != "X" else a.id_number[:17] + "0",
        "４２０２８１" + with_x[6:],  # full-width digits
        "４２０２８１" + with_x[6:],
        "42028１" + with_x[6:],
    ]
    rows = [[number, a.name, "2026-01-03", str(100 + index), "10"] for index, number in enumerate(shapes)]
    header = ["身份证号", "姓名", "结算日期", "总费用", "政策范围内个人自付"]
    reports = _both(tmp_path, monkeypatch, "medical_expense", [csv_bytes([header, *rows])])
    rejected = {item["row"]: item["column"] for item in reports[0]["rejected"]}
    # The member's number, one ending in X (also written x), 29 February 2024 and full-width digits pass.
    assert set(rejected).isdisjoint({2, 3, 4, 13, 18, 19, 20}), reports[0]["rejected"]
    assert set(rejected) == {5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17}, reports[0]["rejected"]
    assert set(rejected.values()) == {"身份证号"}
    assert reports[0]["matched"] == 1


def test_medical_burden_on_one_day_names_the_first_row_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: Pool
) -> None:
    """Two members of one household settle on the same day and together reach the alert: the warning
    names the row that comes first in the file, though its ID number sorts after the other's (the
    PostgreSQL path stores rows in ID order, so its ids no longer follow the file)."""
    first = pool.member_a1
    second = MemberFactory(
        household=pool.a1, name="柯小山", id_number=make("420281", date(1930, 1, 1), 1), relation="child"
    )
    assert second.id_number < first.id_number

    def row(member: Any, paid: str) -> dict[str, str]:
        return {
            "id_number": member.id_number,
            "name": member.name,
            "settled_on": "2026-01-15",
            "total_cost": "100",
            "self_paid": paid,
        }

    content = csv_bytes([row(first, "8000"), row(second, "8000")])
    _both(tmp_path, monkeypatch, "medical_expense", [content])  # the ORM path stores row by row
    run(tmp_path, "medical_expense", content, name="again.csv")  # PostgreSQL's path, to look at
    warning = Warning.objects.get(type="medical_burden")
    assert (warning.member_id, warning.source_row.row_number) == (first.pk, 2)
