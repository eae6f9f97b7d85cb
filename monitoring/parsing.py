"""Reading a delivered file (DESIGN §3.6): CSV in UTF-8 (± BOM) or GBK/GB18030, XLSX (first sheet), JSON;
headers in English or Chinese in any order; every row checked, a rejected row named by the row number a
spreadsheet shows (the header is row 1), its column and a Chinese reason.

Rows are streamed: nothing here holds more than one row of the file (JSON excepted, which the API sends
small), so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from daye_relief.errors import DomainError
from households.idnumbers import InvalidIdNumber
from households.idnumbers import parse as parse_id

from .datasets import DATE, ENUM, INT, MONEY, PERCENT, Column, Dataset

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
_DATE_DASHED = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DATE_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + n): str(n) for n in range(10)}, "Ｘ": "X", "ｘ": "X"})
SNIFF_BYTES = 1 << 16


class FileUnusable(DomainError):
    """The file cannot be imported at all (DESIGN §5: exit 2 / HTTP 400, nothing stored)."""

    code = "file_unusable"


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(frozen=True)
class CleanRow:
    row: int
    id_number: str
    name: str
    values: dict[str, Any]
    row_date: date
    amount_key: str


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a period "YYYY-MM", or FileUnusable."""
    match = PERIOD.match(period or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise FileUnusable(
            f"数据期“{period}”格式不对，应为 YYYY-MM，如 2026-01。", code="bad_period", field="period"
        )
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when that day does not exist)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def normalize_id(raw: str) -> str:
    """Spaces removed (full-width too), full-width digits and Ｘ made half-width, x upper-cased."""
    return "".join(str(raw).translate(_FULL_WIDTH).split()).upper()


# Readers --------------------------------------------------------------------------------------------


def cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def detect_kind(head: bytes, file_name: str) -> str:
    name = file_name.lower()
    if head.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".json") or stripped[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def _text_stream(binary: IO[bytes]) -> IO[str]:
    """UTF-8 (with or without BOM) when the start decodes as UTF-8, else GB18030 (a superset of GBK)."""
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "gb18030"
    return io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline="")


def _csv_rows(binary: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(_text_stream(binary))
    try:
        yield from enumerate(reader, start=1)
    except UnicodeDecodeError:
        raise FileUnusable(
            "文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV，或 XLSX。", code="undecodable"
        ) from None
    except csv.Error as error:
        raise FileUnusable(f"CSV 格式有误：{error}", code="bad_csv") from None


def _xlsx_rows(binary: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except Exception:
        raise FileUnusable("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿。", code="bad_xlsx") from None
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        book.close()


def _json_rows(binary: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    try:
        data = json.loads(binary.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FileUnusable("JSON 无法解析：应为 UTF-8 编码的对象数组。", code="bad_json") from None
    if isinstance(data, dict):
        data = data.get("rows")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise FileUnusable('JSON 应为对象数组，或 {"rows": [...]}。', code="bad_json")
    headers: list[str] = list(dict.fromkeys(key for item in data for key in item))
    yield 1, list(headers)
    for number, item in enumerate(data, start=2):
        yield number, [item.get(key) for key in headers]


def header_positions(dataset: Dataset, header: list[Any]) -> tuple[list[Column], dict[str, int]]:
    """The dataset's columns a header row names (English key or Chinese header, any order; the first of
    two cells naming the same column wins) and each one's position, or FileUnusable when a required
    column is missing."""
    by_name: dict[str, Column] = {}
    for column in dataset.all_columns:
        by_name[column.key.lower()] = column
        by_name[column.header] = column
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = str(cell_text(cell)).lstrip("\ufeff").strip()
        found_column = by_name.get(text) or by_name.get(text.lower())
        if found_column is not None and found_column.key not in positions:
            positions[found_column.key] = index
    missing = [c for c in dataset.all_columns if c.required and c.key not in positions]
    if missing:
        names = "、".join(f"{c.header}（{c.key}）" for c in missing)
        raise FileUnusable(f"缺少必填列：{names}。", code="missing_column")
    return [c for c in dataset.all_columns if c.key in positions], positions


def read_rows(
    binary: IO[bytes], dataset: Dataset, *, file_name: str = ""
) -> tuple[list[Column], Iterator[tuple[int, dict[str, Any]]]]:
    """The columns found and an iterator of (row number, key → cell) for the non-blank data rows.

    Raises FileUnusable at once for an empty file, an unreadable one or a required column missing.
    """
    head = binary.read(8)
    binary.seek(0)
    if not head:
        raise FileUnusable("文件是空的。", code="empty_file")
    kind = detect_kind(binary.read(SNIFF_BYTES), file_name)
    binary.seek(0)
    rows = {"xlsx": _xlsx_rows, "json": _json_rows, "csv": _csv_rows}[kind](binary)
    header: list[Any] | None = None
    for _number, cells in rows:
        if any(cell_text(c) != "" for c in cells):
            header = cells
            break
    if header is None:
        raise FileUnusable("文件没有表头行。", code="empty_file")
    found, positions = header_positions(dataset, header)

    def iterate() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, cells in rows:
            values = {
                key: cell_text(cells[index]) if index < len(cells) else "" for key, index in positions.items()
            }
            if all(v == "" for v in values.values()) and all(cell_text(c) == "" for c in cells):
                continue
            yield number, values

    return found, iterate()


# Cells ----------------------------------------------------------------------------------------------


class _Bad(ValueError):
    pass


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE_DASHED.match(text) or _DATE_CHINESE.match(text)
    if not match:
        raise _Bad(f"日期“{text}”格式不对，应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日。")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise _Bad(f"日期“{text}”不存在。") from None


def parse_money(value: Any) -> Decimal:
    text = str(value).strip().replace(",", "").replace("，", "")
    if isinstance(value, float):
        text = repr(value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _Bad(f"金额“{value}”不是数字。") from None
    if not amount.is_finite():
        raise _Bad(f"金额“{value}”不是数字。")
    if amount < 0:
        raise _Bad("金额不能为负数。")
    if amount != amount.quantize(Decimal("0.01")):
        raise _Bad("金额最多保留两位小数。")
    if amount >= Decimal("1e12"):
        raise _Bad("金额过大。")
    return amount.quantize(Decimal("0.01"))


def _parse_cell(column: Column, value: Any) -> Any:
    if column.type == DATE:
        return parse_date(value)
    if column.type == MONEY:
        return parse_money(value)
    if column.type == PERCENT:
        text = str(value).strip().rstrip("%％")
        try:
            ratio = Decimal(text)
        except InvalidOperation:
            raise _Bad(f"比例“{value}”不是数字。") from None
        if not ratio.is_finite() or not 0 <= ratio <= 100:
            raise _Bad("比例应在 0 到 100 之间。")
        return ratio
    if column.type == INT:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise _Bad(f"“{value}”不是整数。") from None
        if number < 0:
            raise _Bad(f"{column.header}不能为负数。")
        return number
    if column.type == ENUM:
        text = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()
        code = column.choices.get(text) or column.choices.get(text.upper())
        if code is None:
            allowed = "、".join(k for k in column.choices if not k.isascii() or len(k) <= 2)
            raise _Bad(f"“{text}”不是有效的{column.header}，可填：{allowed}。")
        return code
    text = str(value).strip()
    if len(text) > 200:
        raise _Bad(f"{column.header}过长（最多200字）。")
    return text


def _column_order(columns: list[Column], header: str) -> int:
    return next((index for index, column in enumerate(columns) if column.header == header), len(columns))


def clean_row(
    number: int, raw: dict[str, Any], dataset: Dataset, columns: list[Column], *, last_day: date
) -> CleanRow | list[Rejection]:
    """One row checked: a CleanRow, or every fault of the row, one Rejection per column in column order
    (staff fix them all at once instead of learning of the next one at each upload)."""
    values: dict[str, Any] = {}
    faults: list[Rejection] = []
    for column in columns:
        cell = raw.get(column.key, "")
        if cell == "" or cell is None:
            if column.required:
                faults.append(Rejection(number, column.header, f"{column.header}不能为空。"))
            values[column.key] = None
            continue
        if column.key == "id_number":
            try:
                values["id_number"] = parse_id(normalize_id(str(cell))).number
            except InvalidIdNumber as error:
                faults.append(Rejection(number, column.header, str(error)))
            continue
        try:
            values[column.key] = _parse_cell(column, cell)
        except _Bad as error:
            faults.append(Rejection(number, column.header, str(error)))
    if values.get("name") is not None and len(values["name"]) > 50:
        faults.append(Rejection(number, "姓名", "姓名过长。"))
    date_key = dataset.date_column
    # An optional date column left empty dates the row on the period's last day (economic_check).
    row_date = values.get(date_key) or last_day
    if row_date > last_day:
        header = next(c.header for c in columns if c.key == date_key)
        faults.append(
            Rejection(
                number, header, f"日期晚于数据期（{row_date.isoformat()} 晚于 {last_day.isoformat()}）。"
            )
        )
    if faults:
        return sorted(faults, key=lambda fault: _column_order(columns, fault.column))
    amount = values.get(dataset.amount) if dataset.amount else None
    return CleanRow(
        row=number,
        id_number=values["id_number"],
        name=values["name"],
        values=values,
        row_date=row_date,
        amount_key="" if amount is None else str(amount),
    )
