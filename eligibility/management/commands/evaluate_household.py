import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from eligibility.evaluation import EvaluationRefused, evaluate_submitted


class Command(BaseCommand):
    help = (
        "Evaluates a household snapshot (schema household-snapshot/1) and prints the evaluation as JSON. "
        "FILE is a path or - for standard input. Exit status 2 when the snapshot is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="snapshot JSON file, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._refuse([{"path": "$", "code": "unreadable", "message": f"无法读取 {name}：{exc}"}])
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._refuse([{"path": "$", "code": "invalid_json", "message": f"不是有效的JSON：{exc}"}])
        try:
            evaluation = evaluate_submitted(data)
        except EvaluationRefused as exc:
            self._refuse(exc.errors)
        self.stdout.write(json.dumps(evaluation.to_json(), ensure_ascii=False, indent=2))

    def _refuse(self, errors: list[dict[str, str]]) -> None:
        self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        sys.exit(2)
