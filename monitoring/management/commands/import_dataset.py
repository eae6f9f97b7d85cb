"""`manage.py import_dataset DATASET FILE --period YYYY-MM` (DESIGN §5): prints the import's JSON; exit 0
when the file was read (rejected rows or not), exit 2 with a message and nothing stored when it cannot be
used."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.models import OrgUnit

from ...glossary import ImportChannel
from ...parsing import FileUnusable, period_bounds
from ...services.imports import dataset_for, dataset_import_now


class Command(BaseCommand):
    help = "导入一个部门共享数据文件（CSV/XLSX/JSON），输出导入结果 JSON。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset")
        parser.add_argument("file")
        parser.add_argument("--period", required=True, help="数据期 YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            dataset = dataset_for(options["dataset"])
            period_bounds(options["period"])
            path = Path(options["file"])
            if not path.is_file():
                raise FileUnusable(f"找不到文件：{path.name}", code="no_file")
            department = OrgUnit.objects.filter(code=dataset.department).first()
            if department is None:
                raise FileUnusable(f"没有部门 {dataset.department}，请先建立机构。", code="no_department")
            with path.open("rb") as binary:
                outcome = dataset_import_now(
                    dataset_key=dataset.key,
                    period=options["period"],
                    binary=binary,
                    file_name=path.name,
                    department=department,
                    channel=ImportChannel.COMMAND,
                )
        except FileUnusable as error:
            self.stderr.write(json.dumps(error.as_json(), ensure_ascii=False))
            sys.exit(2)
        self.stdout.write(json.dumps(outcome.report(), ensure_ascii=False))
