"""The access journal (issue 21 points 1–3): one row per act that shows a family's data, with the right
action and object; searches keep no ID in clear; a changed or deleted row breaks the chain; no one edits
or deletes rows; each reader sees the rows of their scope."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.glossary import Role
from evidence.services import document_upload
from households.idnumbers import make
from journal.chain import verify, verify_and_alert
from journal.codes import Action
from journal.models import AppendOnly, ChainBreak, Entry
from journal.services import id_hash
from tests.applications.cases import accept
from tests.evidence.files import pdf
from tests.factories import HouseholdFactory, MemberFactory, user_with_role
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _rows(**filters):
    return list(Entry.objects.filter(**filters).order_by("id"))


def test_viewing_a_household_leaves_one_row_with_its_object(client, world):
    clerk = world.users["town_clerk"]
    client.force_login(clerk)
    before = Entry.objects.count()
    household = world.household_a1
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 200
    rows = list(Entry.objects.order_by("id")[before:])
    assert [(r.action, r.object_kind, r.object_id, r.household_id) for r in rows] == [
        (Action.VIEW_HOUSEHOLD, "household", str(household.pk), household.pk)
    ]
    row = rows[0]
    assert row.username == "clerk_a"
    assert row.user_id == clerk.pk
    assert row.roles == Role.TOWN_CLERK
    assert row.org_units == str(world.town_a.pk)
    assert row.town_id == world.town_a.pk
    assert row.client == "127.0.0.1"
    assert row.detail["full_ids"] is True


def test_a_members_full_id_a_document_an_export_and_a_print_each_leave_one_row(client, world):
    clerk = world.users["town_clerk"]
    client.force_login(clerk)
    household = world.household_a1
    member = household.members.get()
    start = Entry.objects.count()

    def new_rows():
        nonlocal start
        rows = list(Entry.objects.order_by("id")[start:])
        start += len(rows)
        return [(r.action, r.object_kind, r.object_id) for r in rows]

    client.get(reverse("households:member_edit", args=[household.pk, member.pk]))
    assert new_rows() == [(Action.VIEW_MEMBER_FULL_ID, "member", str(member.pk))]
    assert Entry.objects.latest("id").subject_hash == id_hash(member.id_number)

    document = document_upload(
        household=household, kind="hukou", source=pdf(name="户口簿.pdf"), name="户口簿.pdf", acting_user=clerk
    )
    client.get(reverse("evidence:download", args=[document.pk]))
    assert new_rows() == [(Action.DOWNLOAD_DOCUMENT, "document", str(document.pk))]
    client.get(reverse("evidence:download", args=[document.pk]) + "?inline=1")
    assert new_rows() == [(Action.VIEW_DOCUMENT, "document", str(document.pk))]

    response = client.get(reverse("desk:export", args=["households"]))
    assert response.status_code == 200
    assert new_rows() == [(Action.EXPORT_LIST, "export", "households")]
    export = Entry.objects.latest("id")
    assert export.detail["rows"] == 2  # the town's two households
    assert export.detail["full_ids"] is True

    case = accept(world, accepted_on=date(2026, 11, 2))
    new_rows()
    assert client.get(reverse("applications:print", args=[case.pk, "materials"])).status_code == 200
    assert new_rows() == [(Action.PRINT_FORM, "case", str(case.pk))]
    assert Entry.objects.latest("id").household_id == household.pk


def test_a_search_by_id_keeps_no_clear_id_and_the_list_stays_flat(client, world):
    clerk = world.users["town_clerk"]
    client.force_login(clerk)
    searched = world.household_a1.members.get().id_number
    client.get(reverse("households:list"), {"q": searched})
    row = Entry.objects.latest("id")
    assert row.action == Action.SEARCH
    assert row.subject_hash == id_hash(searched)
    assert row.detail == {"filters": {"q_kind": "id_number"}, "rows": 1}
    stored = " ".join(str(value) for value in Entry.objects.values_list())
    assert searched not in stored
    assert searched[6:14] not in stored

    def add_rows():
        names = []
        for n in range(12):
            household = HouseholdFactory(
                village=world.village_a2, household_number=f"{world.village_a2.code}-{n + 10:04d}"
            )
            names.append(MemberFactory(household=household, name=f"冯家{n}号").name)
        return names

    assert_flat_queries(
        lambda: client.get(reverse("households:list"), {"village": world.village_a2.pk}), add_rows
    )
    assert Entry.objects.filter(action=Action.SEARCH).count() >= 3


def test_a_changed_or_deleted_row_breaks_the_chain_and_alerts_the_administrator(client, world):
    client.force_login(world.users["town_clerk"])
    for _ in range(4):
        client.get(reverse("households:detail", args=[world.household_a1.pk]))
    assert verify().intact
    rows = _rows(action=Action.VIEW_HOUSEHOLD)
    Entry.objects.filter(pk=rows[1].pk).update(username="someone_else")
    result = verify_and_alert()
    assert result.broken == [rows[1].pk]
    alert = ChainBreak.objects.get()
    assert alert.first_id == rows[1].pk
    Entry.objects.filter(pk=rows[1].pk).update(username="clerk_a")
    assert verify().intact
    Entry.objects.filter(pk=rows[2].pk).delete()
    assert verify().broken == [rows[3].pk]  # the next row's link is broken

    client.force_login(world.users["administrator"])
    page = client.get(reverse("home")).content.decode()
    assert "留痕链校验发现异常" in page


def test_no_one_edits_or_deletes_a_row(client, world):
    client.force_login(world.users["town_clerk"])
    client.get(reverse("households:detail", args=[world.household_a1.pk]))
    row = Entry.objects.latest("id")
    row.username = "x"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    admin = world.users["administrator"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    change = client.get(reverse("admin:journal_entry_change", args=[row.pk])).content.decode()
    assert 'name="_save"' not in change
    assert (
        client.post(reverse("admin:journal_entry_change", args=[row.pk]), {"username": "x"}).status_code
        == 403
    )
    assert client.get(reverse("admin:journal_entry_delete", args=[row.pk])).status_code == 403
    assert client.get(reverse("admin:journal_entry_add")).status_code == 403
    assert Entry.objects.get(pk=row.pk).username == "clerk_a"


def test_sign_in_failure_and_sign_out_are_journaled(client, world):
    client.post(reverse("login"), {"username": "clerk_a", "password": "wrong-password"})
    failed = Entry.objects.latest("id")
    assert failed.action == Action.SIGN_IN_FAILED
    assert failed.username == "clerk_a"
    assert "wrong-password" not in str(failed.detail)
    client.post(reverse("login"), {"username": "clerk_a", "password": "pw-for-tests-only"})
    assert Entry.objects.latest("id").action == Action.SIGN_IN
    client.post(reverse("logout"))
    assert Entry.objects.latest("id").action == Action.SIGN_OUT


def test_each_reader_sees_the_rows_of_their_scope(client, world):
    client.force_login(world.users["town_clerk"])
    client.get(reverse("households:detail", args=[world.household_a1.pk]))
    clerk_b = user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")
    client.force_login(clerk_b)
    client.get(reverse("households:detail", args=[world.household_b1.pk]))
    page = client.get(reverse("audit:journal")).content.decode()
    assert world.household_b1.household_number in page
    assert world.household_a1.household_number not in page
    client.force_login(world.users["civil_affairs_reviewer"])
    page = client.get(reverse("audit:journal")).content.decode()
    assert world.household_a1.household_number in page
    assert world.household_b1.household_number in page
    by_id = client.get(reverse("audit:journal"), {"id_number": world.household_a1.members.get().id_number})
    assert by_id.status_code == 200
    client.force_login(world.users["village_staff"])
    assert client.get(reverse("audit:journal")).status_code == 403
    # The household page shows who looked at it, to the roles that read its journal.
    client.force_login(world.users["town_clerk"])
    household_page = client.get(reverse("households:detail", args=[world.household_a1.pk])).content.decode()
    readers = household_page.split('id="household-readers"')[1].split("</section>")[0]
    assert "clerk_a" in readers
    assert "查看家庭档案" in readers


def test_the_journal_export_is_itself_journaled(client, world):
    client.force_login(world.users["administrator"])
    client.get(reverse("households:detail", args=[world.household_a1.pk]))
    shown = Entry.objects.count()  # the roles given to the world's users, and the household view
    response = client.get(reverse("audit:journal_export"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    row = Entry.objects.latest("id")
    assert row.action == Action.EXPORT_LIST
    assert row.object_id == "journal"
    assert row.detail["rows"] == shown


def test_an_unknown_id_number_in_the_filter_is_told(client, world):
    client.force_login(world.users["administrator"])
    page = client.get(reverse("audit:journal"), {"id_number": make("420281", date(1970, 1, 1), 1)[:-1] + "0"})
    assert "身份证号码" in page.content.decode()


def _row(at, action=Action.SIGN_IN, username="clerk_a"):
    return {
        "at": at,
        "user_id": None,
        "username": username,
        "roles": "",
        "org_units": "",
        "client": "10.0.0.1",
        "action": action,
        "object_kind": "user",
        "object_id": "",
        "household_id": None,
        "town_id": None,
        "subject_hash": "",
        "detail": {},
    }


def test_rows_past_their_retention_move_to_a_file_and_the_chain_goes_on(world, settings):
    import gzip
    import hashlib
    import json
    from datetime import timedelta

    from django.utils import timezone

    from journal.archive import archive_old_rows
    from journal.services import write

    settings.JOURNAL_RETENTION_DAYS = 30  # below the floor: 180 days are kept all the same
    now = timezone.now()
    from journal.models import Head

    Entry.objects.all().delete()  # the world's role rows (and the chain's head): the test counts its own
    Head.objects.update(last_hash="", last_id=0)
    write([_row(now - timedelta(days=400)), _row(now - timedelta(days=200))])
    write([_row(now - timedelta(days=100)), _row(now - timedelta(days=1))])
    assert verify().intact
    archive = archive_old_rows(now=now)
    assert archive is not None
    assert archive.count == 2
    assert Entry.objects.count() == 2
    content = archive.file.read()
    assert hashlib.sha256(content).hexdigest() == archive.sha256
    lines = [json.loads(line) for line in gzip.decompress(content).decode().splitlines()]
    assert [line["hash"] for line in lines][-1] == archive.last_hash
    assert verify().intact  # the chain goes on from the archive's last hash
    assert archive_old_rows(now=now) is None  # twice: nothing more
    write([_row(now)])
    assert verify().intact


def test_the_chain_can_be_sm3_where_openssl_has_it_and_a_missing_hash_stops_the_write(world, settings):
    import hashlib

    from journal.services import write

    settings.JOURNAL_HASH_ALGORITHM = "sm3"
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3")
    from django.utils import timezone

    write([_row(timezone.now())])
    assert Entry.objects.latest("id").algorithm == "sm3"
    settings.JOURNAL_HASH_ALGORITHM = "sha256"
    write([_row(timezone.now())])
    assert verify().intact  # rows of both hashes in one chain
    settings.JOURNAL_HASH_ALGORITHM = "no-such-hash"
    with pytest.raises(RuntimeError, match="JOURNAL_HASH_ALGORITHM"):
        write([_row(timezone.now())])


def test_unusual_reading_is_counted_on_the_bureaus_desk(client, world, settings):
    from datetime import datetime, timedelta

    from django.utils import timezone

    from journal.selectors import unusual
    from journal.services import write

    settings.JOURNAL_HOUSEHOLDS_PER_DAY = 3
    now = timezone.now()
    views = []
    for n in range(4):
        row = _row(now, action=Action.VIEW_HOUSEHOLD, username="clerk_a")
        row["household_id"] = 1000 + n
        views.append(row)
    night = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), datetime.min.time())
    )
    late = _row(night.replace(hour=23), action=Action.VIEW_MEMBER_FULL_ID)
    export = _row(now, action=Action.EXPORT_LIST)
    export["detail"] = {"export": "households", "rows": 25, "full_ids": True}
    write([*views, late, export])
    report = unusual(since=timezone.localdate() - timedelta(days=6), limit=3)
    assert [(who, n) for who, _day, n in report.many_households] == [("clerk_a", 4)]
    assert report.off_hours_full_ids == 1
    assert report.full_id_exports == 1
    client.force_login(world.users["civil_affairs_reviewer"])
    desk = client.get(reverse("home")).content.decode().split('id="journal-desk"')[1].split("</section>")[0]
    assert "近7天异常访问" in desk
    assert '<strong class="todo-count">3</strong>' in desk
    page = client.get(reverse("audit:unusual")).content.decode()
    assert "clerk_a" in page


def test_the_api_reads_of_households_and_members_are_journaled(client, world):
    client.force_login(world.users["town_clerk"])
    member = world.household_a1.members.get()
    before = Entry.objects.count()
    assert client.get("/api/v1/households/").status_code == 200
    assert client.get(f"/api/v1/members/{member.pk}/").status_code == 200
    rows = list(Entry.objects.order_by("id")[before:])
    assert [(r.action, r.object_kind, r.object_id) for r in rows] == [
        (Action.API_READ, "list", "households"),
        (Action.VIEW_MEMBER_FULL_ID, "member", str(member.pk)),
    ]
    assert rows[0].detail["rows"] == 2
    assert rows[1].subject_hash == id_hash(member.id_number)
    assert client.get("/api/v1/members/999999/").status_code == 404


def test_an_unfiltered_household_list_leaves_one_row_with_its_count(client, world):
    client.force_login(world.users["town_clerk"])
    before = Entry.objects.count()
    client.get(reverse("households:list"))
    rows = list(Entry.objects.order_by("id")[before:])
    assert [(r.action, r.object_id, r.detail) for r in rows] == [
        (Action.SEARCH, "households", {"filters": {}, "rows": 2})
    ]
