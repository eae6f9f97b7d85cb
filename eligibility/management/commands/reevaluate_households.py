from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from eligibility.models import ReevaluationRun
from eligibility.services import reevaluation_execute


class Command(BaseCommand):
    help = (
        "Re-evaluates every enrolled household with the parameters in force on a date and lists, as "
        "proposals for the bureau, the households whose categories would change. Changes no enrollment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD, default today"
        )
        parser.add_argument("--reason", default="命令行发起")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        run = ReevaluationRun.objects.create(as_of=as_of, reason=options["reason"])
        run = reevaluation_execute(run_id=run.pk)
        self.stdout.write(
            f"Run {run.pk} on {as_of}: {run.households_evaluated} households evaluated, "
            f"{run.proposals_count} would change category, {run.errors_count} could not be evaluated."
        )
