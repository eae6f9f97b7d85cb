"""The access journal's one writer (DESIGN §3.13). A page notes what it showed where it calls the selector
(`note`); the rows of a request are collected and written once, after the response, in one INSERT
(journal.middleware); outside a request (a task, a command) a row is written at once. Each row's hash
covers its fields and the previous row's hash: SHA-256, or SM3 where the deployment's OpenSSL has it
(settings.JOURNAL_HASH_ALGORITHM)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.access import scope_of
from daye_relief.clients import client_address

from .models import Entry, Head

PENDING = "_journal_pending"


def algorithm() -> str:
    """The configured chain hash, refused at once when this OpenSSL lacks it (SM3 is optional)."""
    name = getattr(settings, "JOURNAL_HASH_ALGORITHM", "sha256")
    if name not in hashlib.algorithms_available:
        raise RuntimeError(f"JOURNAL_HASH_ALGORITHM={name!r}: this OpenSSL has no such hash")
    return name


def id_hash(id_number: str) -> str:
    """A keyed hash of an ID number: "who searched for or looked at this ID" can be asked, the ID is not
    kept. The key is settings.JOURNAL_ID_KEY (by default derived from SECRET_KEY)."""
    key = (getattr(settings, "JOURNAL_ID_KEY", "") or f"journal-id:{settings.SECRET_KEY}").encode()
    return hmac.new(key, "".join(id_number.split()).upper().encode(), hashlib.sha256).hexdigest()


def _actor(request: HttpRequest | None, user: Any) -> dict[str, Any]:
    who = user if user is not None else getattr(request, "user", None)
    authenticated = bool(getattr(who, "is_authenticated", False))
    assignments = scope_of(who).assignments if authenticated else ()
    return {
        "user_id": getattr(who, "pk", None) if authenticated else None,
        "username": (getattr(who, "username", "") or str(who)) if authenticated else "",
        "roles": ",".join(sorted({role for role, _ in assignments})),
        "org_units": ",".join(str(unit) for unit in sorted({unit for _, unit in assignments})),
        "client": client_address(request) if request is not None else "",
    }


def note(
    request: HttpRequest | None,
    action: str,
    *,
    object_kind: str = "",
    object_id: Any = "",
    household_id: int | None = None,
    town_id: int | None = None,
    id_number: str = "",
    detail: dict[str, Any] | None = None,
    user: Any = None,
    username: str = "",
) -> None:
    """Records one act of this request (written after its response), or at once outside a request."""
    if not getattr(settings, "JOURNAL_ENABLED", True):
        return
    row = {
        **_actor(request, user),
        "at": timezone.now(),
        "action": action,
        "object_kind": object_kind,
        "object_id": str(object_id or ""),
        "household_id": household_id,
        "town_id": town_id,
        "subject_hash": id_hash(id_number) if id_number else "",
        "detail": detail or {},
    }
    if username and not row["username"]:
        row["username"] = username[:150]
    pending = getattr(request, PENDING, None) if request is not None else None
    if pending is None:
        write([row])
    else:
        pending.append(row)


def begin(request: HttpRequest) -> None:
    setattr(request, PENDING, [])


def flush(request: HttpRequest) -> None:
    rows = getattr(request, PENDING, None) or []
    setattr(request, PENDING, [])
    if rows:
        write(rows)


def row_hash(fields: dict[str, Any], *, name: str) -> str:
    """The hash of one row: its fields in a fixed form, then the previous row's hash (in `prev_hash`)."""
    at = fields["at"].astimezone(UTC).isoformat(timespec="microseconds")
    payload = json.dumps(
        [
            at,
            fields["user_id"],
            fields["username"],
            fields["roles"],
            fields["org_units"],
            fields["client"],
            fields["action"],
            fields["object_kind"],
            fields["object_id"],
            fields["household_id"],
            fields["town_id"],
            fields["subject_hash"],
            fields["detail"],
            name,
            fields["prev_hash"],
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.new(name, payload.encode()).hexdigest()


@transaction.atomic
def write(rows: Iterable[dict[str, Any]]) -> list[Entry]:
    """Chains and inserts the rows in one statement, holding the chain's head so that writers queue."""
    name = algorithm()
    # The migration makes the head; a test database flushed between tests has none until the first write.
    head = Head.objects.select_for_update().filter(pk=1).first() or Head.objects.create(pk=1)
    entries = []
    previous = head.last_hash
    for row in rows:
        fields = {**row, "prev_hash": previous}
        fields["hash"] = row_hash(fields, name=name)
        entries.append(Entry(**fields, algorithm=name))
        previous = fields["hash"]
    created = Entry.objects.bulk_create(entries)
    head.last_hash = previous
    head.last_id = created[-1].pk or head.last_id + len(created)
    head.save(update_fields=["last_hash", "last_id"])
    return created
