"""Reads of the online intake: the family's progress (DESIGN §3.12: the stage in plain words, the dates, the
deadline, the notice period; nothing else) and the town's inbox of online applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import household_read_filter, scope_of
from applications.glossary import OPEN_STAGES, Stage
from households.idnumbers import normalize
from households.models import Household, Member
from publicity.models import NoticeItem

from .codes import PUBLIC_STAGE, STAGE_WORDS, SUBMITTED_WORDS, Status
from .models import OnlineApplication
from .querycode import code_matches, normalize_code


@dataclass(frozen=True)
class Progress:
    number: str
    stage: str
    stage_label: str
    submitted_on: date
    accepted_on: date | None
    notice_from: date | None
    notice_to: date | None
    decided_on: date | None
    deadline: date | None
    office: str
    office_phone: str

    @property
    def decided(self) -> bool:
        return self.stage in (Stage.APPROVED, Stage.REJECTED)

    def to_json(self) -> dict[str, Any]:
        iso = lambda day: day.isoformat() if day else None  # noqa: E731
        return {
            "number": self.number,
            "stage": self.stage,
            "stage_label": self.stage_label,
            "dates": {
                "submitted": iso(self.submitted_on),
                "accepted": iso(self.accepted_on),
                "notice_from": iso(self.notice_from),
                "notice_to": iso(self.notice_to),
                "decided": iso(self.decided_on),
            },
            "deadline": iso(self.deadline),
            "office": self.office,
            "office_phone": self.office_phone,
        }


def _progress(online: OnlineApplication) -> Progress:
    case = online.application
    submitted_on = timezone.localdate(online.submitted_at)
    office, phone = f"{online.town.name}社会事务办", online.town.contact_phone
    if case is None:
        return Progress(
            online.number,
            Stage.SUBMITTED,
            SUBMITTED_WORDS,
            submitted_on,
            None,
            None,
            None,
            None,
            None,
            office,
            phone,
        )
    stage = PUBLIC_STAGE.get(Stage(case.stage), Stage(case.stage))
    item = (
        NoticeItem.objects.filter(application=case, notice__posted_on__isnull=False)
        .select_related("notice")
        .order_by("-added_at")
        .first()
    )
    notice = item.notice if item is not None else None
    return Progress(
        number=online.number,
        stage=str(stage),
        stage_label=STAGE_WORDS[Stage(case.stage)],
        submitted_on=submitted_on,
        accepted_on=case.accepted_on,
        notice_from=notice.posted_on if notice else None,
        notice_to=notice.closes_on if notice else None,
        decided_on=case.decided_on if stage in (Stage.APPROVED, Stage.REJECTED) else None,
        deadline=case.final_due if case.stage in OPEN_STAGES else None,
        office=office,
        office_phone=phone,
    )


def _found(candidates: QuerySet[OnlineApplication], code: str) -> Progress | None:
    """The first candidate whose code matches. Every candidate's code is computed, matching or not, so that
    the time taken says nothing of which was right."""
    code = normalize_code(code)
    found = None
    for online in candidates.select_related("town", "application"):
        if code_matches(online, code) and found is None:
            found = online
    return _progress(found) if found is not None else None


def progress(*, number: str = "", id_number: str = "", code: str) -> Progress | None:
    """The progress of the application with this number (or of this applicant ID) and this code; None alike
    for a wrong code and an unknown number. A spam-marked application is not found."""
    visible = OnlineApplication.objects.exclude(status=Status.SPAM)
    number = "".join(number.split()).upper()
    if number:
        return _found(visible.filter(number=number)[:1], code)
    if id_number:
        return _found(visible.filter(id_number=normalize(id_number)).order_by("-submitted_at")[:10], code)
    return None


# The clerk's side ----------------------------------------------------------------------------------


def inbox(*, user: Any, status: str = Status.SUBMITTED) -> QuerySet[OnlineApplication]:
    """The online applications of the towns this user handles (a town clerk's own town)."""
    towns = sorted(scope_of(user).write_towns)
    return (
        OnlineApplication.objects.filter(town_id__in=towns, status=status)
        .select_related("village", "town")
        .prefetch_related("documents")
        .order_by("submitted_at", "pk")
    )


def stored_matches(onlines: list[OnlineApplication], *, user: Any) -> dict[int, Member]:
    """For each online application, the stored member (active) whose ID is the applicant's or a typed
    member's, in a household this user may read: the household it may join. One query for the whole list.
    A person registered in another town is not shown (the member's own check says so, without where)."""
    numbers = {m.get("id_number") for o in onlines for m in o.members if m.get("id_number")}
    found = {
        m.id_number: m
        for m in Member.objects.filter(
            household_read_filter(user, prefix="household__"), id_number__in=sorted(numbers), is_active=True
        ).select_related("household__village__parent")
    }
    matches: dict[int, Member] = {}
    for online in onlines:
        for typed in online.members:
            member = found.get(typed.get("id_number", ""))
            if member is not None:
                matches[online.pk] = member
                break
    return matches


def stored_household(online: OnlineApplication, *, user: Any) -> Household | None:
    member = stored_matches([online], user=user).get(online.pk)
    return member.household if member is not None else None


def open_in_inbox(town_id: int) -> int:
    return OnlineApplication.objects.filter(town_id=town_id, status=Status.SUBMITTED).count()


def receipt_facts(number: str) -> dict[str, Any]:
    """What the receipt prints beside the number and code: the day, the town's office and its phone."""
    online = OnlineApplication.objects.select_related("town", "village").get(number=number)
    return {
        "submitted_at": online.submitted_at,
        "village": online.village.name,
        "office": f"{online.town.name}社会事务办",
        "office_phone": online.town.contact_phone,
        "documents": online.documents.count(),
    }
