"""/public/apply/ (issue 20 points 1, 2 and 5): a family applies online; the application waits in its own
town's inbox with its documents, changes no stored household, and answers with a number and a code."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from households.models import Household, Member
from journal.codes import Action
from journal.models import Entry
from journal.services import id_hash
from online.codes import Status
from online.models import OnlineApplication
from online.querycode import code_matches
from tests.factories import MemberFactory
from tests.online.forms import APPLICANT_ID, apply_form, not_a_picture, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _receipt(client, response) -> tuple[str, str]:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("online:receipt")
    page = client.get(response["Location"]).content.decode()
    number = re.search(r'id="receipt-number">(\w+)<', page)[1]
    code = re.search(r'id="receipt-code">(\w+)<', page)[1]
    return number, code


def test_an_application_lands_in_its_towns_inbox_with_its_documents_and_a_receipt(client, world):
    response = client.post(
        reverse("online:apply"), {**apply_form(world.village_a1), "doc_id_card": [photo(), photo("户口.jpg")]}
    )
    number, code = _receipt(client, response)
    online = OnlineApplication.objects.get(number=number)
    assert online.town == world.town_a
    assert online.village == world.village_a1
    assert online.status == Status.SUBMITTED
    assert online.applicant_name == "柯秋生"
    assert online.id_number == APPLICANT_ID
    assert [m["name"] for m in online.members] == ["柯秋生", "王桂兰"]
    assert online.members[0]["birth_date"] == "1958-03-14"  # read from the ID number
    assert online.documents.count() == 2
    assert all(d.thumbnail for d in online.documents.all())
    assert len(code) == 6
    assert code_matches(online, code)
    assert code_matches(online, code.lower())
    assert online.hint["categories"]  # the self-check's result, kept as the clerk's hint

    # Shown once: the receipt page does not show the code again.
    assert client.get(reverse("online:receipt")).status_code == 302

    clerk_a, clerk_b = world.users["town_clerk"], _other_towns_clerk(world)
    client.force_login(clerk_a)
    client.get(reverse("online:detail", args=[online.pk]))
    seen = Entry.objects.latest("id")  # the clerk read the typed IDs in full: journaled
    assert (seen.action, seen.object_kind, seen.object_id) == (Action.VIEW_MEMBER_FULL_ID, "online", number)
    assert seen.subject_hash == id_hash(APPLICANT_ID)
    inbox = client.get(reverse("online:inbox")).content.decode()
    assert number in inbox
    assert "柯秋生" in inbox
    workbench = client.get(reverse("applications:workbench")).content.decode()
    assert "待受理的线上申请（1）" in workbench
    assert number in workbench
    client.force_login(clerk_b)
    assert number not in client.get(reverse("online:inbox")).content.decode()
    assert client.get(reverse("online:detail", args=[online.pk])).status_code == 404
    document = online.documents.first()
    assert client.get(reverse("online:document", args=[document.pk, "file"])).status_code == 404
    client.force_login(world.users["village_staff"])
    assert client.get(reverse("online:detail", args=[online.pk])).status_code == 403


def _other_towns_clerk(world):
    from accounts.glossary import Role
    from tests.factories import user_with_role

    return user_with_role(Role.TOWN_CLERK, world.town_b, "clerk_b")


def test_public_input_never_changes_a_stored_household(client, world):
    household = world.household_a1
    stored = MemberFactory(household=household, name="柯秋生旧名", id_number=APPLICANT_ID, relation="spouse")
    before = (Household.objects.get(pk=household.pk).phone, list(Member.objects.values_list("pk", "name")))
    response = client.post(reverse("online:apply"), apply_form(world.village_a1, phone="13900000000"))
    _receipt(client, response)
    stored.refresh_from_db()
    assert stored.name == "柯秋生旧名"
    assert stored.relation == "spouse"
    assert (
        Household.objects.get(pk=household.pk).phone,
        list(Member.objects.values_list("pk", "name")),
    ) == before
    assert Household.objects.count() == 3


def test_errors_are_told_by_field_and_nothing_is_stored(client, world):
    data = apply_form(
        world.village_a1,
        **{"m-1-id_number": "420281196007020000", "commitment_name": "别人", "phone": "12345"},
    )
    response = client.post(reverse("online:apply"), {**data, "doc_illness_proof": not_a_picture()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "联系电话：请填写11位手机号码" in page
    assert "第2位家庭成员·身份证号码：" in page
    assert OnlineApplication.objects.count() == 0
    # The forms right, a commitment signed with another name and a file that is no picture are both told.
    data = apply_form(world.village_a1, commitment_name="别人")
    page = client.post(
        reverse("online:apply"), {**data, "doc_illness_proof": not_a_picture()}
    ).content.decode()
    assert "签名须与申请人姓名（柯秋生）一致。" in page
    assert "「病历.jpg」文件类型不符" in page
    assert "已选择的文件需要重新选择" in page
    assert "自助测算参考" in page  # the hint is shown beside the form even so
    assert OnlineApplication.objects.count() == 0


def test_the_honeypot_refuses_a_script(client, world):
    response = client.post(reverse("online:apply"), apply_form(world.village_a1, homepage="http://spam"))
    assert response.status_code == 400
    assert OnlineApplication.objects.count() == 0


def test_at_most_three_open_online_applications_per_id(client, world):
    for _ in range(3):
        _receipt(client, client.post(reverse("online:apply"), apply_form(world.village_a1)))
    page = client.post(reverse("online:apply"), apply_form(world.village_a1)).content.decode()
    assert "该身份证号码已有3件线上申请正在办理" in page
    assert OnlineApplication.objects.count() == 3


def test_the_apply_page_counts_against_the_self_check_rate(client, world, settings):
    settings.SELF_CHECK_RATE = "2/m"
    client.post(reverse("online:apply"), apply_form(world.village_a1))
    client.post(reverse("self_check"), {})
    assert client.post(reverse("online:apply"), apply_form(world.village_a1)).status_code == 429
