"""The import contract (DESIGN §3.6, §5) through `manage.py import_dataset`: formats, headers, IDs, dates,
rejections, idempotence and pool-only matching."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from households.idnumbers import make
from monitoring.models import DatasetImport, SharedRow, Warning
from monitoring.services.imports import IDENTITY_KEYS

from .conftest import Pool, csv_bytes

pytestmark = pytest.mark.django_db


def run(
    tmp_path: Path, dataset: str, content: bytes, period: str = "2026-01", name: str = "data.csv"
) -> tuple[int, dict[str, Any]]:
    path = tmp_path / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_dataset", dataset, str(path), "--period", period, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), json.loads(err.getvalue())
    return 0, json.loads(out.getvalue())


def death_row(member: Any, **extra: Any) -> dict[str, Any]:
    return {"id_number": member.id_number, "name": member.name, "died_on": "2026-01-15", **extra}


def test_utf8_csv_matches_pool_member_stores_row_and_raises_warning(tmp_path: Path, pool: Pool) -> None:
    code, report = run(tmp_path, "death", csv_bytes([death_row(pool.member_a1)]))
    assert code == 0
    assert report["rows"] == 1
    assert report["valid"] == 1
    assert report["matched"] == 1
    assert report["rejected"] == []
    assert report["duplicate_of"] is None
    assert report["warnings_created"] == 1
    assert set(report) == {
        "import_id",
        "dataset",
        "period",
        "duplicate_of",
        "rows",
        "valid",
        "rejected",
        "duplicates",
        "matched",
        "unmatched",
        "warnings_created",
        "name_mismatches",
    }
    warning = Warning.objects.get()
    assert (warning.type, warning.severity, warning.assignee) == ("death", "high", pool.world.town_a)
    assert warning.household == pool.a1
    assert warning.member == pool.member_a1


def test_gbk_csv_with_chinese_headers_in_any_order_and_extra_columns(tmp_path: Path, pool: Pool) -> None:
    content = csv_bytes(
        [
            ["备注", "死亡日期", "姓名", "身份证号"],
            ["无", "2026年1月3日", pool.member_a1.name, pool.member_a1.id_number],
        ],
        encoding="gbk",
    )
    code, report = run(tmp_path, "death", content)
    assert code == 0
    assert report["matched"] == 1
    assert SharedRow.objects.get().row_date == date(2026, 1, 3)


def test_utf8_bom_csv_and_slash_dates(tmp_path: Path, pool: Pool) -> None:
    content = b"\xef\xbb\xbf" + csv_bytes([{**death_row(pool.member_a1), "died_on": "2026/01/31"}])
    code, report = run(tmp_path, "death", content)
    assert code == 0
    assert report["matched"] == 1


def test_gb18030_csv(tmp_path: Path, pool: Pool) -> None:
    code, report = run(tmp_path, "death", csv_bytes([death_row(pool.member_a1)], encoding="gb18030"))
    assert code == 0
    assert report["matched"] == 1


def test_xlsx_first_sheet_with_excel_date_cells(tmp_path: Path, pool: Pool) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["身份证号", "姓名", "结算日期", "总费用", "政策范围内个人自付"])
    sheet.append([pool.member_a1.id_number, pool.member_a1.name, datetime(2026, 1, 5), 1200.5, 300])
    book.create_sheet("other").append(["nothing"])
    buffer = io.BytesIO()
    book.save(buffer)
    code, report = run(tmp_path, "medical_expense", buffer.getvalue(), name="data.xlsx")
    assert code == 0, report
    assert report["matched"] == 1
    row = SharedRow.objects.get()
    assert row.row_date == date(2026, 1, 5)
    assert row.data["total_cost"] == "1200.50"


def test_json_rows(tmp_path: Path, pool: Pool) -> None:
    content = json.dumps([death_row(pool.member_a1)], ensure_ascii=False).encode()
    code, report = run(tmp_path, "death", content, name="data.json")
    assert code == 0
    assert report["matched"] == 1


def test_ids_with_spaces_full_width_digits_and_lower_x(tmp_path: Path, pool: Pool) -> None:
    member = pool.member_a1
    number = make("420281", date(1970, 3, 1), 7)
    while not number.endswith("X"):
        number = make("420281", date(1970, 3, 1), int(number[14:17]) + 2)
    member.id_number = number
    member.save()
    full_width = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in number[:17]) + "x"
    spaced = f" {full_width[:6]} {full_width[6:14]}\u3000{full_width[14:]} "
    code, report = run(tmp_path, "death", csv_bytes([death_row(member, id_number=spaced)]))
    assert code == 0, report
    assert report["matched"] == 1
    assert SharedRow.objects.get().id_number == number


def test_bad_check_digit_rejected_with_row_column_and_reason(tmp_path: Path, pool: Pool) -> None:
    bad = pool.member_a1.id_number[:17] + ("0" if pool.member_a1.id_number[17] != "0" else "1")
    rows = [death_row(pool.member_b1), death_row(pool.member_a1, id_number=bad)]
    code, report = run(tmp_path, "death", csv_bytes(rows))
    assert code == 0
    assert report["rows"] == 2
    assert report["valid"] == 1
    assert report["rejected"] == [
        {"row": 3, "column": "身份证号", "reason": "身份证号码校验位不正确，请核对每一位数字。"}
    ]


def test_missing_required_column_exits_2_and_stores_nothing(tmp_path: Path, pool: Pool) -> None:
    content = csv_bytes([[pool.member_a1.id_number, pool.member_a1.name]], header=["id_number", "name"])
    code, report = run(tmp_path, "death", content)
    assert code == 2
    assert report["code"] == "missing_column"
    assert "死亡日期" in report["message"]
    assert not DatasetImport.objects.exists()
    assert not SharedRow.objects.exists()


def test_empty_file_exits_2(tmp_path: Path, pool: Pool) -> None:
    code, report = run(tmp_path, "death", b"")
    assert code == 2
    assert report["message"] == "文件是空的。"
    code, report = run(tmp_path, "death", "身份证号,姓名,死亡日期\n".encode())
    assert code == 2
    assert report["message"] == "文件没有数据行。"
    assert not DatasetImport.objects.exists()


def test_unknown_dataset_and_bad_period_exit_2(tmp_path: Path, pool: Pool) -> None:
    assert run(tmp_path, "weather", b"x")[0] == 2
    code, report = run(tmp_path, "death", csv_bytes([death_row(pool.member_a1)]), period="2026-13")
    assert code == 2
    assert report["code"] == "bad_period"


def test_undecodable_text_exits_2(tmp_path: Path, pool: Pool) -> None:
    content = "身份证号,姓名,死亡日期\n".encode() + b"\xff\xfe\xfa\x80,\x81\n"
    code, report = run(tmp_path, "death", content)
    assert code == 2
    assert report["code"] == "undecodable"
    assert not SharedRow.objects.exists()


def test_row_dated_after_the_period_rejected(tmp_path: Path, pool: Pool) -> None:
    rows = [death_row(pool.member_a1, died_on="2026-02-01")]
    code, report = run(tmp_path, "death", csv_bytes(rows))
    assert code == 0
    assert report["valid"] == 0
    assert report["rejected"][0]["column"] == "死亡日期"
    assert report["rejected"][0]["reason"].startswith("日期晚于数据期")


def test_money_checks(tmp_path: Path, pool: Pool) -> None:
    base = {"id_number": pool.member_a1.id_number, "name": pool.member_a1.name, "paid_on": "2026-01-02"}
    rows = [
        {**base, "amount": "-1"},
        {**base, "amount": "1.234"},
        {**base, "amount": "abc"},
        {**base, "amount": "1,200.50"},
    ]
    _code, report = run(tmp_path, "illness_relief", csv_bytes(rows))
    assert [r["reason"] for r in report["rejected"]] == [
        "金额不能为负数。",
        "金额最多保留两位小数。",
        "金额“abc”不是数字。",
    ]
    assert report["matched"] == 1
    assert SharedRow.objects.get().assistance_amount == 1200.5


def test_name_mismatch_kept_and_listed(tmp_path: Path, pool: Pool) -> None:
    _code, report = run(tmp_path, "death", csv_bytes([death_row(pool.member_a1, name="别名")]))
    assert report["matched"] == 1
    assert report["name_mismatches"] == [2]
    assert SharedRow.objects.get().name_mismatch


def test_same_file_twice_answers_duplicate_of(tmp_path: Path, pool: Pool) -> None:
    content = csv_bytes([death_row(pool.member_a1)])
    first = run(tmp_path, "death", content)[1]
    code, again = run(tmp_path, "death", content)
    assert code == 0
    assert again["duplicate_of"] == first["import_id"]
    assert (first["matched"], first["warnings_created"]) == (1, 1)
    # This call imported nothing: its counts are 0, the earlier import's figures stand apart.
    assert (again["rows"], again["valid"], again["matched"], again["warnings_created"]) == (0, 0, 0, 0)
    assert again["rejected"] == again["name_mismatches"] == []
    assert again["earlier"] == {key: first[key] for key in first if key not in IDENTITY_KEYS}
    assert again["earlier"]["warnings_created"] == 1
    assert DatasetImport.objects.count() == 1
    assert SharedRow.objects.count() == 1
    assert Warning.objects.count() == 1


def test_same_row_in_two_files_and_twice_in_one_file_stored_once(tmp_path: Path, pool: Pool) -> None:
    row = death_row(pool.member_a1)
    first = run(tmp_path, "death", csv_bytes([row, row]))[1]
    assert (first["matched"], first["duplicates"], first["valid"]) == (1, 1, 2)
    second = run(tmp_path, "death", csv_bytes([row, death_row(pool.member_b1)]), name="other.csv")[1]
    assert second["duplicate_of"] is None
    assert (second["matched"], second["duplicates"], second["warnings_created"]) == (1, 1, 1)
    assert SharedRow.objects.count() == 2
    assert Warning.objects.count() == 2


def test_only_pool_members_matched_others_not_stored(tmp_path: Path, pool: Pool) -> None:
    stranger = make("420281", date(1980, 1, 1), 11)
    rows = [death_row(pool.member_a2), {"id_number": stranger, "name": "路人", "died_on": "2026-01-02"}]
    _code, report = run(tmp_path, "death", csv_bytes(rows))
    assert (report["matched"], report["unmatched"], report["warnings_created"]) == (0, 2, 0)
    assert not SharedRow.objects.exists()


def test_pool_includes_rejected_within_12_months_and_ended_within_24(tmp_path: Path, pool: Pool) -> None:
    from django.utils import timezone

    from households.models import Enrollment

    today = timezone.localdate()
    Enrollment.objects.create(
        household=pool.a2, category="dibao", start_date=date(2015, 1, 1), end_date=today.replace(day=1)
    )
    _code, report = run(tmp_path, "death", csv_bytes([death_row(pool.member_a2)]))
    assert report["matched"] == 1
    Enrollment.objects.filter(household=pool.a2).update(end_date=date(today.year - 3, 1, 1))
    report = run(
        tmp_path, "death", csv_bytes([death_row(pool.member_a2, died_on="2026-01-20")]), name="b.csv"
    )[1]
    assert report["matched"] == 0
    assert report["unmatched"] == 1


def test_orm_path_for_sqlite_gives_the_same_answers(tmp_path: Path, pool: Pool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`make run` on SQLite takes the plain-ORM path instead of COPY: the same counts and rows."""
    monkeypatch.setattr("monitoring.services.fastpath.available", lambda: False)
    stranger = make("420281", date(1980, 1, 1), 13)
    row = death_row(pool.member_a1, name="别名")
    first = run(
        tmp_path,
        "death",
        csv_bytes([row, row, {"id_number": stranger, "name": "路人", "died_on": "2026-01-02"}]),
    )[1]
    assert (first["matched"], first["duplicates"], first["unmatched"], first["name_mismatches"]) == (
        1,
        1,
        1,
        [2, 3],
    )
    second = run(tmp_path, "death", csv_bytes([row, death_row(pool.member_b1)]), name="b.csv")[1]
    assert (second["matched"], second["duplicates"], second["warnings_created"]) == (1, 1, 1)
    assert SharedRow.objects.count() == 2
    assert Warning.objects.count() == 2


@pytest.mark.parametrize("fast", [True, False], ids=["copy", "orm"])
def test_every_fault_of_a_row_is_listed_on_both_paths(
    tmp_path: Path, pool: Pool, monkeypatch, fast: bool
) -> None:  # type: ignore[no-untyped-def]
    """Issue 23.3: a 17-digit ID, the date 2026-11-31 and the amount "abc" in one row are three entries,
    in column order; the good row beside it is imported; the rejected-rows file has the row once."""
    if not fast:
        monkeypatch.setattr("monitoring.services.fastpath.available", lambda: False)
    bad = {
        "id_number": pool.member_a1.id_number[:17],
        "name": "张三",
        "started_on": "2026-11-31",
        "monthly_wage": "abc",
    }
    good = {
        "id_number": pool.member_b1.id_number,
        "name": pool.member_b1.name,
        "started_on": "2026-11-02",
        "monthly_wage": "3000",
    }
    code, report = run(tmp_path, "employment", csv_bytes([bad, good]), period="2026-11")
    assert code == 0
    assert (report["rows"], report["valid"], report["matched"]) == (2, 1, 1)
    assert [(r["row"], r["column"]) for r in report["rejected"]] == [
        (2, "身份证号"),
        (2, "就业日期"),
        (2, "月工资"),
    ]
    assert all(r["reason"] for r in report["rejected"])
    record = DatasetImport.objects.get()
    assert record.rejected == report["rejected"]
    assert len(record.rejected_values) == 1
