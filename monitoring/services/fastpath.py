# ruff: noqa: S608 - SQL composed from the dataset declarations and module constants; values are parameters
"""The PostgreSQL path of an import (DESIGN §3.6, issue 10 "fast path", issue 12 goal 5).

1. The file's cells go, as text, into a temporary table: a plain CSV (no quotes, one header line) is
   handed to PostgreSQL's own COPY parser as it is (GB18030 transcoded to UTF-8 on the way); any other file
   (XLSX, JSON, quoted or ragged CSV) is read by `parsing.read_rows` and its rows written with COPY in
   chunks. Python holds one block or one chunk at a time.
2. One statement checks every cell with strict patterns that accept only what `parsing.clean_row` accepts,
   and gives the very values it would give; the rows it does not accept (a blank row, a rejected row, an
   unusual but valid spelling such as `2026年1月3日` or a full-width digit) are read back and decided by
   `clean_row` itself, so every rejection keeps its row number, column and Chinese reason.
3. The checked rows are matched by normalised ID against a temporary table of the pool's members (built
   once per import) and the new rows inserted set-wise, ON CONFLICT DO NOTHING on the row identity.

SQLite (`make run`) uses the ORM path in imports.py.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import psycopg
from django.db import IntegrityError, connection, transaction

from households.models import Household, Member

from ..datasets import DATE, ENUM, INT, MONEY, PERCENT, Column, Dataset
from ..models import DatasetImport, SharedRow
from ..parsing import (
    SNIFF_BYTES,
    CleanRow,
    FileUnusable,
    Rejection,
    cell_text,
    clean_row,
    detect_kind,
    header_positions,
    read_rows,
)

STAGE = "monitoring_import_stage"
RAW = "monitoring_import_raw"
POOL = "monitoring_import_pool"
NEW = "monitoring_import_new"  # the rows this import stored, for the warning rules (rules.warnings_sql)
CHUNK_ROWS = 5000
BLOCK_BYTES = 1 << 20
# Every character str.strip() removes: a cell that begins or ends with one is left to clean_row.
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_WS_LITERAL = (
    "U&'" + "".join(f"\\{ord(c):04x}" if ord(c) < 0x10000 else f"\\+{ord(c):06x}" for c in WHITESPACE) + "'"
)
UNDECODABLE = "文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV，或 XLSX。"

MATCH_SQL = (
    "SELECT count(p.id), count(*) FILTER (WHERE p.id IS NULL), "
    "coalesce(array_agg(s.row_number ORDER BY s.row_number) "
    "FILTER (WHERE p.id IS NOT NULL AND p.name <> s.name), '{}') "
    f"FROM {STAGE} s LEFT JOIN {POOL} p ON p.id_number = s.id_number"
)
# The first of equal rows in the file wins (DISTINCT ON keeps the lowest row number). The rows go in the
# unique index's order, the order DISTINCT ON already gives, not the file's: each index page is then
# filled once instead of visited at random (issue 22: 20.2 s -> 14.6 s for 500,000 stored rows). The ids
# therefore follow (ID, date, amount), not the file; what needs the file's order reads row_number.
INSERT_SQL = (
    f"WITH stored AS (INSERT INTO {SharedRow._meta.db_table} "
    "(dataset_import_id, dataset, period, row_number, id_number, name, row_date, amount_key, data, "
    "household_id, member_id, name_mismatch, assistance_amount) "
    "SELECT %s, %s, %s, f.* FROM ("
    "SELECT DISTINCT ON (s.id_number, s.row_date, s.amount_key) "
    "s.row_number, s.id_number, s.name, s.row_date, s.amount_key, s.data, p.household_id, "
    "p.id, p.name <> s.name, s.assistance "
    f"FROM {STAGE} s JOIN {POOL} p ON p.id_number = s.id_number "
    "ORDER BY s.id_number, s.row_date, s.amount_key, s.row_number) f "
    "ON CONFLICT (dataset, id_number, row_date, amount_key) DO NOTHING "
    "RETURNING id, household_id, member_id, row_date, data) "
    f"INSERT INTO {NEW} SELECT * FROM stored"
)


def available() -> bool:
    return connection.vendor == "postgresql"


def prepare(*, pool_sql: str, pool_params: tuple[Any, ...]) -> None:
    """The staging table and the pool's members, for this transaction only."""
    with connection.cursor() as cursor:
        for table in (STAGE, POOL, RAW, NEW):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        # The sorts of a large file's rows stay in memory.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # The import's statements run once each over sets whose size the planner misjudges (the rows just
        # inserted have no statistics yet): compiling them costs more than it saves.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            f"CREATE TEMP TABLE {NEW} (id bigint, household_id bigint, member_id bigint, row_date date, "
            "data jsonb) ON COMMIT DROP"
        )
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} (row_number integer, id_number varchar(18), name varchar(50), "
            "row_date date, amount_key varchar(20), data jsonb, assistance numeric(14, 2)) ON COMMIT DROP"
        )
        cursor.execute(
            f"CREATE TEMP TABLE {POOL} ON COMMIT DROP AS "
            "SELECT m.id, m.id_number, m.name, m.household_id FROM households_member m "
            f"WHERE m.is_active AND m.household_id IN ({pool_sql})",
            pool_params,
        )
        cursor.execute(f"CREATE INDEX ON {POOL} (id_number)")
        cursor.execute(f"ANALYZE {POOL}")


def serialize_dataset(dataset_key: str) -> None:
    """Imports of the same dataset store their rows and raise their warnings one after the other (until
    this transaction ends). Two files holding the same rows in different orders would otherwise take the
    unique index's row locks in opposite orders and deadlock; reading and checking still run side by side."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext('monitoring.import'), hashtext(%s))", [dataset_key]
        )


# Counting what the file held --------------------------------------------------------------------------


@dataclass
class Loaded:
    """What loading the file found: the rows read (blank rows not counted), and the rejections with the
    cells of each rejected row, in row order."""

    rows: int
    rejected: list[tuple[list[Rejection], dict[str, Any]]]


def load(
    *,
    dataset: Dataset,
    binary: IO[bytes],
    file_name: str,
    last_day: date,
    progress: Callable[[int], None],
) -> Loaded:
    """Reads the file into the staging table of checked rows (see the module's docstring)."""
    plan = _direct_plan(binary, dataset, file_name)
    binary.seek(0)
    loaded: Loaded | None = None
    if plan is not None:
        try:
            with transaction.atomic():
                loaded = _load_direct(plan, dataset, binary, last_day=last_day, progress=progress)
        except (_NotPlain, psycopg.Error):
            loaded = None  # PostgreSQL's parser and Python's would not agree on this file: Python reads it
        binary.seek(0)
    if loaded is None:
        # FileUnusable at once for an empty file, an unreadable one or a required column missing.
        columns, rows = read_rows(binary, dataset, file_name=file_name)
        loaded = _load_streamed(dataset, columns, rows, last_day=last_day, progress=progress)
    return loaded


@dataclass(frozen=True)
class _Plan:
    width: int  # cells in the header row
    columns: list[Column]
    positions: dict[str, int]
    encoding: str  # "utf-8" (sent as it is) or "gb18030" (transcoded)


class _NotPlain(Exception):
    """The file holds something only Python's csv reader reads as the contract says (a quote, `\\.`)."""


def _direct_plan(binary: IO[bytes], dataset: Dataset, file_name: str) -> _Plan | None:
    """A CSV whose first record is its header can go to COPY as it is."""
    head = binary.read(SNIFF_BYTES)
    if detect_kind(head, file_name) != "csv":
        return None
    encoding = "utf-8"
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "gb18030"
        text = codecs.getincrementaldecoder("gb18030")(errors="replace").decode(head, final=False)
    if '"' in text:
        return None
    first = next(csv.reader(io.StringIO(text)), None)
    if not first or all(cell_text(c) == "" for c in first):
        return None
    try:
        found, positions = header_positions(dataset, first)
    except FileUnusable:
        return None
    return _Plan(width=len(first), columns=found, positions=positions, encoding=encoding)


def _create_raw(width: int) -> None:
    cells = ", ".join(f"c{i} text" for i in range(width))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
        cursor.execute(
            f"CREATE TEMP TABLE {RAW} (rn integer GENERATED BY DEFAULT AS IDENTITY, {cells}) ON COMMIT DROP"
        )


def _blocks(binary: IO[bytes], encoding: str) -> Iterator[bytes]:
    """The file as UTF-8 blocks; a quote or a backslash-period anywhere stops the direct path."""
    decoder = codecs.getincrementaldecoder("gb18030")() if encoding == "gb18030" else None
    tail = b""
    while True:
        block = binary.read(BLOCK_BYTES)
        if decoder is not None:
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError:
                raise FileUnusable(UNDECODABLE, code="undecodable") from None
            data = text.encode("utf-8")
        else:
            data = block
        if b'"' in data or b"\\." in tail + data[:1] or b"\\." in data:
            raise _NotPlain
        if data:
            tail = data[-1:]
            yield data
        if not block:
            return


def _load_direct(
    plan: _Plan,
    dataset: Dataset,
    binary: IO[bytes],
    *,
    last_day: date,
    progress: Callable[[int], None],
) -> Loaded:
    _create_raw(plan.width)
    raw = connection.connection
    assert raw is not None
    cells = ", ".join(f"c{i}" for i in range(plan.width))
    lines = 0
    statement = f"COPY {RAW} ({cells}) FROM STDIN WITH (FORMAT csv, HEADER true)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for data in _blocks(binary, plan.encoding):
            copy.write(data)
            lines += data.count(b"\n")
            progress(lines)
    return _check(dataset, plan.columns, plan.positions, plan.width, last_day=last_day, direct=True)


def _load_streamed(
    dataset: Dataset,
    columns: list[Column],
    rows: Iterator[tuple[int, dict[str, Any]]],
    *,
    last_day: date,
    progress: Callable[[int], None],
) -> Loaded:
    """Rows read by Python: text rows go to the raw table to be checked in SQL; a row with a typed cell
    (an Excel date or number, a JSON number) is checked here."""
    keys = [c.key for c in columns]
    positions = {key: index for index, key in enumerate(keys)}
    _create_raw(len(keys))
    raw = connection.connection
    assert raw is not None
    count = 0
    rejected: list[tuple[list[Rejection], dict[str, Any]]] = []
    names = ", ".join(["rn", *(f"c{i}" for i in range(len(keys)))])
    while True:
        text_rows: list[tuple[Any, ...]] = []
        checked: list[CleanRow] = []
        for number, values in rows:
            count += 1
            if all(type(v) is str for v in values.values()):
                text_rows.append((number - 1, *(values.get(key, "") for key in keys)))
            else:
                result = clean_row(number, values, dataset, columns, last_day=last_day)
                if isinstance(result, list):
                    rejected.append((result, values))
                else:
                    checked.append(result)
            if len(text_rows) + len(checked) >= CHUNK_ROWS:
                break
        if not text_rows and not checked:
            break
        with raw.cursor() as cursor:
            if text_rows:
                with cursor.copy(f"COPY {RAW} ({names}) FROM STDIN") as copy:
                    for row in text_rows:
                        copy.write_row(row)
            if checked:
                _copy_checked(cursor, dataset, checked)
        progress(count)
    loaded = _check(dataset, columns, positions, len(keys), last_day=last_day, direct=False)
    loaded.rows += count
    loaded.rejected = sorted(loaded.rejected + rejected, key=lambda item: item[0][0].row)
    return loaded


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return None if value is None else str(value)


def _copy_checked(cursor: Any, dataset: Dataset, rows: list[CleanRow]) -> None:
    columns = "row_number, id_number, name, row_date, amount_key, data, assistance"
    with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
        for row in rows:
            data = {k: _json_value(v) for k, v in row.values.items() if k not in ("id_number", "name")}
            assistance = row.values.get(dataset.assistance) if dataset.assistance else None
            copy.write_row(
                (
                    row.row,
                    row.id_number,
                    row.name,
                    row.row_date,
                    row.amount_key,
                    json.dumps(data, ensure_ascii=False),
                    assistance,
                )
            )


# Checking cells in SQL --------------------------------------------------------------------------------


class _Sql:
    """A statement with its parameters, built from the dataset's declaration."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def lit(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


# PostgreSQL's regular expressions cost microseconds a cell: the patterns below are translate(), length()
# and substr() tests, each guarded by a CASE so that a cast only ever sees digits.
DIGITS = "0123456789"
# The day exists in its month (integer arithmetic: extract() on dates is slow numeric work).
_DAY_OK = (
    "{d} <= CASE {m} WHEN 2 THEN CASE WHEN ({y} %% 4 = 0 AND {y} %% 100 <> 0) OR {y} %% 400 = 0 "
    "THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# The ID cell as bytea, a column of the check statement's subquery (OFFSET 0 keeps it computed once).
ID_OCTETS = "r.id_octets"


def _id_ok(x: str, octets: str) -> str:
    """The GB 11643 number exactly as households.idnumbers.parse accepts it, already normalised: 17 digits
    and a digit or X, a real birth date from 1900, the MOD 11-2 check character. `octets` is the cell as
    bytea (convert_to, once per row): get_byte reads a digit for a third of what ascii(substr()) costs."""
    total = " + ".join(f"(get_byte({octets}, {i}) - 48) * {w}" for i, w in enumerate(_ID_WEIGHTS))
    y, m, d = f"substr({x}, 7, 4)::int", f"substr({x}, 11, 2)::int", f"substr({x}, 13, 2)::int"
    # 18 one-byte characters, only digits or digits and one X, the 18th (88 is "X"); a CASE, not an AND,
    # so that get_byte only ever sees 18 bytes.
    shape = (
        f"CASE WHEN octet_length({x}) <> 18 THEN false ELSE CASE translate({x}, '{DIGITS}', '') "
        f"WHEN '' THEN true WHEN 'X' THEN get_byte({octets}, 17) = 88 ELSE false END END"
    )
    return (
        f"CASE WHEN {shape} THEN "
        f"CASE WHEN substr({x}, 7, 4) >= '1900' AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND 31 "
        f"THEN ({_DAY_OK.format(y=y, m=m, d=d)}) "
        f"AND substr('10X98765432', ({total}) %% 11 + 1, 1) = substr({x}, 18, 1) ELSE false END "
        "ELSE false END"
    )


def _date_ok(x: str) -> str:
    """YYYY-MM-DD with two-digit month and day, a real date, year from 1000."""
    y, m, d = f"substr({x}, 1, 4)::int", f"substr({x}, 6, 2)::int", f"substr({x}, 9, 2)::int"
    return (
        f"CASE WHEN octet_length({x}) = 10 AND translate({x}, '{DIGITS}', '') = '--' "
        f"AND substr({x}, 5, 1) = '-' AND substr({x}, 8, 1) = '-' AND left({x}, 1) <> '0' THEN "
        f"CASE WHEN {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND 31 THEN {_DAY_OK.format(y=y, m=m, d=d)} "
        "ELSE false END ELSE false END"
    )


def _decimal_ok(x: str, integer_digits: int, decimals: int) -> str:
    """Plain digits, at most `integer_digits` before an optional point and 1..`decimals` after it, no
    leading zero (so the text is the number as Decimal writes it)."""
    point = f"strpos({x}, '.')"
    return (
        f"CASE translate({x}, '{DIGITS}', '') "
        f"WHEN '' THEN octet_length({x}) <= {integer_digits} AND ({x} = '0' OR left({x}, 1) <> '0') "
        f"WHEN '.' THEN {point} BETWEEN 2 AND {integer_digits + 1} "
        f"AND octet_length({x}) - {point} BETWEEN 1 AND {decimals} "
        f"AND ({point} = 2 OR left({x}, 1) <> '0') ELSE false END"
    )


def _money_text(x: str) -> str:
    """The amount with two decimals, as str(Decimal.quantize(0.01))."""
    return (
        f"CASE octet_length({x}) - strpos({x}, '.') WHEN octet_length({x}) THEN {x} || '.00' "
        f"WHEN 1 THEN {x} || '0' ELSE {x} END"
    )


def _trimmed(x: str, longest: int) -> str:
    return f"(char_length({x}) <= {longest} AND btrim({x}, {_WS_LITERAL}) = {x})"


@dataclass
class _Cell:
    ok: str  # true when the cell is one clean_row accepts with the value below
    text: str | None  # the value as the stored JSON text (NULL for an empty optional cell)


def _cell(sql: _Sql, column: Column, x: str) -> _Cell:
    empty = f"({x} IS NULL OR {x} = '')"
    if column.key == "id_number":
        strict, value = _id_ok(x, ID_OCTETS), x
    elif column.key == "name":
        strict, value = _trimmed(x, 50), x
    elif column.type == DATE:
        strict, value = _date_ok(x), x
    elif column.type == MONEY:
        strict, value = _decimal_ok(x, 12, 2), _money_text(x)
    elif column.type == PERCENT:
        strict, value = _decimal_ok(x, 2, 6), x
    elif column.type == INT:
        strict, value = _decimal_ok(x, 9, 0), x
    elif column.type == ENUM:
        keys = ", ".join(sql.lit(k) for k in column.choices)
        strict = f"{x} IN ({keys})"
        whens = " ".join(f"WHEN {sql.lit(k)} THEN {sql.lit(v)}" for k, v in column.choices.items())
        value = f"CASE {x} {whens} END"
    else:
        strict, value = _trimmed(x, 200), x
    ok = f"CASE WHEN {empty} THEN {'false' if column.required else 'true'} ELSE {strict} END"
    return _Cell(ok=ok, text=f"CASE WHEN {empty} THEN NULL ELSE {value} END")


def _check(
    dataset: Dataset,
    columns: list[Column],
    positions: dict[str, int],
    width: int,
    *,
    last_day: date,
    direct: bool,
) -> Loaded:
    """Moves the rows the strict patterns accept from the raw table to the staging table, then lets
    clean_row decide the rest."""
    sql = _Sql()
    cells = {c.key: _cell(sql, c, f"r.c{positions[c.key]}") for c in columns}
    date_key = dataset.date_column
    oks = [cell.ok for cell in cells.values()]
    # An optional date column left empty, or absent, dates the row on the period's last day (clean_row).
    last_param = sql.lit(last_day)
    if date_key in positions:
        x = f"r.c{positions[date_key]}"
        row_date = f"CASE WHEN {x} IS NULL OR {x} = '' THEN {last_param}::date ELSE {x}::date END"
    else:
        row_date = f"{last_param}::date"
    oks.append(f"{row_date} <= {last_param}")  # only read once every cell above is sound
    data_keys = [c.key for c in columns if c.key not in ("id_number", "name")]
    data = "jsonb_build_object(" + ", ".join(f"{sql.lit(k)}, {cells[k].text}" for k in data_keys) + ")"
    amount = f"coalesce({cells[dataset.amount].text}, '')" if dataset.amount in cells else "''"
    assistance = f"({cells[dataset.assistance].text})::numeric" if dataset.assistance in cells else "NULL"
    offset = 1  # the spreadsheet's row number: the header is row 1
    statement = (
        f"INSERT INTO {STAGE} (row_number, id_number, name, row_date, amount_key, data, assistance) "
        f"SELECT r.rn + {offset}, r.c{positions['id_number']}, r.c{positions['name']}, {row_date}, "
        f"{amount}, {data}, {assistance} "
        f"FROM (SELECT *, convert_to(c{positions['id_number']}, 'UTF8') AS id_octets FROM {RAW} OFFSET 0) r "
        f"WHERE CASE WHEN {' AND '.join(f'({ok})' for ok in oks[:-1])} THEN {oks[-1]} ELSE false END"
    )
    raw = connection.connection
    assert raw is not None
    rejected: list[tuple[list[Rejection], dict[str, Any]]] = []
    with raw.cursor() as cursor:
        cursor.execute(statement, sql.params)
        cursor.execute(f"SELECT count(*) FROM {RAW}")
        (total,) = cursor.fetchone() or (0,)
        cursor.execute(
            f"CREATE TEMP TABLE monitoring_import_doubt ON COMMIT DROP AS SELECT r.* FROM {RAW} r "
            f"WHERE NOT EXISTS (SELECT FROM {STAGE} s WHERE s.row_number = r.rn + {offset})"
        )
        last = -1
        cells_sql = ", ".join(f"c{i}" for i in range(width))
        while True:
            cursor.execute(
                f"SELECT rn, {cells_sql} FROM monitoring_import_doubt WHERE rn > %s ORDER BY rn LIMIT %s",
                (last, CHUNK_ROWS),
            )
            batch = cursor.fetchall()
            if not batch:
                break
            last = batch[-1][0]
            checked: list[CleanRow] = []
            for rn, *raw_cells in batch:
                texts = [cell_text("" if c is None else c) for c in raw_cells]
                if direct and all(t == "" for t in texts):
                    total -= 1  # a blank row: skipped, not counted (parsing.read_rows)
                    continue
                values = {key: texts[index] for key, index in positions.items()}
                result = clean_row(rn + offset, values, dataset, columns, last_day=last_day)
                if isinstance(result, list):
                    rejected.append((result, values))
                else:
                    checked.append(result)
            if checked:
                _copy_checked(cursor, dataset, checked)
        cursor.execute("DROP TABLE monitoring_import_doubt")
    return Loaded(rows=total if direct else 0, rejected=rejected)


# Matching and storing ---------------------------------------------------------------------------------


def store(record: DatasetImport) -> tuple[int, int, list[int], int]:
    """Matches the staged rows against the pool and inserts the new ones. Returns (matched rows, unmatched
    rows, name-mismatch row numbers, rows stored now)."""
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute(f"ANALYZE {STAGE}")
        # The table names are this module's constants and the pool's SQL Django's own: no user input.
        cursor.execute(MATCH_SQL)
        matched, unmatched, mismatches = cursor.fetchone() or (0, 0, [])
        cursor.execute(INSERT_SQL, (record.pk, record.dataset, record.period))
        stored = cursor.rowcount
        cursor.execute(f"ANALYZE {NEW}")
    references_lock()
    return matched, unmatched, list(mismatches), stored


def references_lock() -> None:
    """What the foreign keys of the stored rows would check at commit, set-wise (SharedRow's references
    carry no database constraint): every household and member the rows name still exists, and stays so
    until this transaction ends (FOR KEY SHARE, the lock PostgreSQL's own check takes). A member deleted
    since the pool was read raises IntegrityError, so the whole import is rolled back."""
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        for column, model in (("household_id", Household), ("member_id", Member)):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT (SELECT count(DISTINCT {column}) FROM {NEW}), (SELECT count(*) FROM ("
                f"SELECT FROM {table} t WHERE t.id IN (SELECT {column} FROM {NEW}) FOR KEY SHARE OF t) k)"
            )
            named, found = cursor.fetchone() or (0, 0)
            if named != found:
                raise IntegrityError(f"{named - found} rows of {table} named by the import no longer exist")
