"""Photos whose time and place are the evidence (DESIGN §3.11): a visit's, sent with the visit form from a
phone's camera, and the notice on the village board (公示留痕), kept in each case the notice shows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.glossary import Role
from applications.glossary import Stage
from evidence.models import Document
from monitoring.models import Visit
from publicity import services as notices
from tests.applications.cases import accept, advance
from tests.factories import MemberFactory, user_with_role

from . import files

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _visit_form(**extra):  # type: ignore[no-untyped-def]
    data = {"visited_on": timezone.localdate().isoformat(), "method": "home", "visitors": "柯主任"}
    for key in ("food", "clothing", "education", "medical", "housing", "water"):
        data[key], data[f"{key}_note"] = "secure", ""
    data.update(extra)
    return data


def test_a_visit_is_saved_with_its_photos_and_a_refused_one_is_named(world) -> None:
    client = login(world.users["village_staff"])
    url = f"/monitoring/households/{world.household_a1.pk}/visits/new/"
    form = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert 'name="photo" accept="image/*" capture="environment" multiple' in form
    answer = client.post(
        url, _visit_form(photo=[files.jpeg(gps=True, name="IMG_1.jpg"), files.script_as_jpg()]), follow=True
    )
    page = answer.content.decode()
    visit = Visit.objects.get()
    assert "已保存巡访记录，六项均有保障。" in page
    assert "「photo.jpg」文件类型不符" in page
    assert "已保存 1 张走访照片。" in page
    photo = Document.objects.get()
    assert (photo.visit, photo.kind, photo.household) == (visit, "visit_photo", world.household_a1)
    assert photo.location  # a visit photo keeps its place
    assert "走访照片" in page
    assert f"位置 {photo.location}" in page
    assert f"/documents/{photo.pk}/file/?inline=1" in page
    # The household's town reads it on the visit's page; another town's clerk cannot read the file.
    assert (
        f"/documents/{photo.pk}/file/"
        in login(world.users["town_clerk"]).get(f"/monitoring/visits/{visit.pk}/").content.decode()
    )
    other_town = user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")
    assert login(other_town).get(f"/documents/{photo.pk}/file/").status_code == 404


def test_a_visit_without_photos_shows_no_photo_section(world) -> None:
    client = login(world.users["village_staff"])
    client.post(f"/monitoring/households/{world.household_a1.pk}/visits/new/", _visit_form())
    page = client.get(f"/monitoring/visits/{Visit.objects.get().pk}/").content.decode()
    assert "巡访记录" in page
    assert "走访照片" not in page
    assert not Document.objects.exists()


@pytest.fixture
def notice(world):  # type: ignore[no-untyped-def]
    first = advance(world, accept(world), Stage.PUBLICIZING)
    other = world.household_a1.__class__.objects.create(
        household_number="420281104201-0002", village=world.village_a1, address="东湖村2组"
    )
    MemberFactory(household=other, name="柯二妹")
    second = advance(world, accept(world, household=other), Stage.PUBLICIZING)
    made = notices.notice_create(
        village=world.village_a1, applications=[first, second], acting_user=world.users["village_staff"]
    )
    return made, first, second


def test_the_board_photo_is_kept_in_each_case_of_a_posted_notice(world, notice) -> None:
    made, first, second = notice
    client = login(world.users["village_staff"])
    page = client.get(f"/notices/{made.pk}/").content.decode()
    assert "/photo/" not in page  # not posted yet: nothing to photograph
    notices.notice_post(notice=made, acting_user=world.users["village_staff"])
    page = client.get(f"/notices/{made.pk}/").content.decode()
    assert f'action="/documents/notices/{made.pk}/photo/"' in page
    assert 'accept="image/*" capture="environment"' in page
    answer = client.post(
        f"/documents/notices/{made.pk}/photo/",
        {"file": files.jpeg(gps=True, name="公示栏.jpg"), "next": f"/notices/{made.pk}/"},
        follow=True,
    )
    page = answer.content.decode()
    assert "已保存公示照片「公示栏.jpg」，存入 2 个案件的材料。" in page
    photos = list(Document.objects.filter(kind="notice_photo").order_by("application_id"))
    assert [p.application_id for p in photos] == sorted([first.pk, second.pk])
    assert len({p.sha256 for p in photos}) == 1
    assert photos[0].location
    assert page.count('<img class="thumb"') == 1  # one photo, though each case keeps a copy
    assert f"位置 {photos[0].location}" in page
    # Each case's own page holds its copy; the public notice shows no document at all.
    case_page = login(world.users["town_clerk"]).get(f"/cases/{first.pk}/").content.decode()
    assert "公示张贴照片" in case_page
    public = Client().get(f"/public/notices/{made.pk}/")
    assert public.status_code == 200
    assert "/documents/" not in public.content.decode()


def test_only_the_notice_village_and_its_town_add_a_board_photo(world, notice) -> None:
    made, _, _ = notice
    notices.notice_post(notice=made, acting_user=world.users["village_staff"])
    other_village = login(user_with_role(Role.VILLAGE_STAFF, world.village_a2, "village_a2")).post(
        f"/documents/notices/{made.pk}/photo/", {"file": files.jpeg()}
    )
    assert other_village.status_code == 404
    other_town = login(user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")).post(
        f"/documents/notices/{made.pk}/photo/", {"file": files.jpeg()}
    )
    assert other_town.status_code == 404
    assert not Document.objects.filter(kind="notice_photo").exists()
    refused = login(world.users["village_staff"]).post(
        f"/documents/notices/{made.pk}/photo/", {"file": files.zip_as_jpg()}, follow=True
    )
    assert "文件类型不符" in refused.content.decode()
    assert not Document.objects.filter(kind="notice_photo").exists()
