"""The one place a warning row is inserted from Python (the shared-data rules in Python, the half-yearly
check, a visit's concern; the SQL rules insert in monitoring.rules.warnings_sql): each draft gets its
household's town (Warning.town), then the batch is inserted, the unique constraints keeping each once."""

from __future__ import annotations

from collections.abc import Sequence

from households.models import Household

from ..models import Warning


def warnings_raise(drafts: Sequence[Warning], *, batch_size: int = 2000) -> None:
    """Inserts the drafts (ON CONFLICT DO NOTHING); one query for the towns of their households."""
    if not drafts:
        return
    towns: dict[int, int] = dict(
        Household.objects.filter(pk__in={draft.household_id for draft in drafts}).values_list(
            "pk", "village__parent_id"
        )  # type: ignore[arg-type]  # a village always has its town
    )
    for draft in drafts:
        draft.town_id = towns[draft.household_id]
    Warning.objects.bulk_create(drafts, ignore_conflicts=True, batch_size=batch_size)


def warnings_follow_household(household: Household) -> None:
    """A household moved to another town (households.events): its warnings are that town's now."""
    Warning.objects.filter(household=household).update(town_id=household.village.parent_id)
