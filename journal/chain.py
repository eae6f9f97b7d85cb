"""Verifying the journal's chain (DESIGN §3.13): every row's hash recomputed from its fields and the hash
before it. An edited row fails its own hash; a deleted row breaks the next row's link; a deleted last row
no longer meets the chain's head."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .models import Archive, ChainBreak, Entry, Head
from .services import row_hash

CHUNK = 5000


@dataclass
class Verification:
    checked: int = 0
    broken: list[int] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.broken


FIELDS = (
    "id",
    "at",
    "user_id",
    "username",
    "roles",
    "org_units",
    "client",
    "action",
    "object_kind",
    "object_id",
    "household_id",
    "town_id",
    "subject_hash",
    "detail",
    "algorithm",
    "prev_hash",
    "hash",
)


def verify() -> Verification:
    result = Verification()
    # Rows archived (journal.archive) left the table: the chain goes on from the last archived row's hash.
    archived = Archive.objects.order_by("-last_id").values_list("last_hash", "last_id").first()
    previous, last_id = archived if archived else ("", 0)
    for row in Entry.objects.order_by("id").values(*FIELDS).iterator(chunk_size=CHUNK):
        result.checked += 1
        if row["prev_hash"] != previous or row_hash(row, name=row["algorithm"]) != row["hash"]:
            result.broken.append(row["id"])
        previous, last_id = row["hash"], row["id"]
    head = Head.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        result.broken.append(last_id + 1 if head.last_id > last_id else last_id)
    return result


@transaction.atomic
def verify_and_alert() -> Verification:
    """The daily job: verifies, and records an alert for the administrator's desk when the chain breaks."""
    result = verify()
    if result.broken:
        ChainBreak.objects.create(
            first_id=result.broken[0], count=len(result.broken), ids=result.broken[:100]
        )
    return result
