import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection

from eligibility.evaluation import MAX_BODY_BYTES, EvaluationRefused, evaluate_submitted, parse_submitted

NOT_MIGRATED = (
    "数据库尚未初始化（缺少政策参数表）：请先运行 python manage.py migrate。\n"
    "The database has not been migrated (no policy parameter table): run `python manage.py migrate` first."
)


class Command(BaseCommand):
    help = (
        "Evaluates a household snapshot (schema household-snapshot/1) and prints the evaluation as JSON. "
        "FILE is a path or - for standard input. Exit status 2 when the snapshot is refused, 1 when the "
        "database is not ready (run migrate)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="snapshot JSON file, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            if name == "-":
                raw: bytes = sys.stdin.buffer.read(MAX_BODY_BYTES + 1)
            else:
                with Path(name).open("rb") as handle:
                    raw = handle.read(MAX_BODY_BYTES + 1)
        except OSError as exc:
            self._refuse([{"path": "$", "code": "unreadable", "message": f"无法读取 {name}：{exc}"}])
        try:
            data = parse_submitted(raw)
        except EvaluationRefused as exc:
            self._refuse(exc.problems)
        self._require_migrated()
        try:
            evaluation = evaluate_submitted(data)
        except EvaluationRefused as exc:
            self._refuse(exc.problems)
        self.stdout.write(json.dumps(evaluation.to_json(), ensure_ascii=False, indent=2))

    def _require_migrated(self) -> None:
        """A database that was never migrated (or cannot be reached) is a setup problem, not a crash."""
        try:
            tables = connection.introspection.table_names()
        except DatabaseError as exc:
            self.stderr.write(f"无法连接数据库 / cannot reach the database: {exc}")
            sys.exit(1)
        if "eligibility_policyparameter" not in tables:
            self.stderr.write(NOT_MIGRATED)
            sys.exit(1)

    def _refuse(self, errors: list[dict[str, str]]) -> NoReturn:
        self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        sys.exit(2)
