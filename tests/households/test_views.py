from datetime import date

import pytest
from django.urls import reverse

from accounts.models import OrgUnit
from households.models import Enrollment, Household, Member

from ..factories import HouseholdFactory, MemberFactory, valid_id
from ..queries import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client, world):
    client.force_login(world.users["town_clerk"])
    return client


def test_search_by_name_and_by_id_number(clerk, world):
    page = clerk.get(reverse("households:list"), {"q": "陈小"}).content.decode()
    assert "陈小河" in page
    assert "柯大山" not in page
    number = world.household_a1.members.get().id_number
    page = clerk.get(reverse("households:list"), {"q": number.lower()}).content.decode()
    assert "柯大山" in page
    assert "陈小河" not in page
    assert "共 1 户" in page


def test_filters_by_village_and_category(clerk, world):
    page = clerk.get(reverse("households:list"), {"village": world.village_a2.pk}).content.decode()
    assert "陈小河" in page
    assert "柯大山" not in page
    Enrollment.objects.create(household=world.household_a1, category="dibao", start_date=date(2025, 1, 1))
    page = clerk.get(reverse("households:list"), {"category": "dibao"}).content.decode()
    assert "柯大山" in page
    assert "陈小河" not in page
    assert '<span class="tag">低保</span>' in page


def test_filter_on_a_village_out_of_scope_is_refused_with_a_message(clerk, world):
    response = clerk.get(reverse("households:list"), {"village": world.village_b1.pk})
    page = response.content.decode()
    assert "选择一个有效的选项" in page
    assert "尹老松" not in page


def test_list_query_count_does_not_grow_with_rows(clerk, world):
    def add_rows():
        for n in range(20):
            household = HouseholdFactory(village=world.village_a1, household_number=f"420281104201-9{n:03d}")
            MemberFactory(household=household, name=f"新户主{n}")
            Enrollment.objects.create(household=household, category="monitoring", start_date=date(2025, 1, 1))
        return [f"420281104201-9{n:03d}" for n in range(20)] + ["新户主0", "新户主19"]

    assert_flat_queries(lambda: clerk.get(reverse("households:list")), add_rows)


def test_create_household_then_member_with_errors_beside_the_field(clerk, world):
    response = clerk.post(
        reverse("households:create"), {"village": world.village_a1.pk, "hukou_type": "rural", "address": ""}
    )
    assert response.status_code == 200
    assert "该字段是必填项。" in response.content.decode()
    response = clerk.post(
        reverse("households:create"),
        {"village": world.village_a1.pk, "hukou_type": "rural", "address": "东湖村5组"},
    )
    household = Household.objects.get(address="东湖村5组")
    assert response.url == reverse("households:member_create", args=[household.pk])

    bad = clerk.post(
        reverse("households:member_create", args=[household.pk]),
        {
            "name": "张三",
            "id_number": "420281199001010011",
            "relation": "applicant",
            "labor_capacity": "full",
        },
    )
    page = bad.content.decode()
    assert '<p class="error" id="id_id_number-error">身份证号码校验位不正确，请核对每一位数字。</p>' in page
    assert 'value="张三"' in page  # what was valid is kept
    good_id = valid_id(date(1990, 1, 1))
    ok = clerk.post(
        reverse("households:member_create", args=[household.pk]),
        {"name": "张三", "id_number": good_id, "relation": "applicant", "labor_capacity": "full"},
    )
    assert ok.status_code == 302
    member = Member.objects.get(id_number=good_id)
    assert member.birth_date == date(1990, 1, 1)
    detail = clerk.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "张三" in detail
    assert "1990-01-01" in detail


def test_clerk_cannot_create_a_household_in_another_towns_village(clerk, world):
    response = clerk.post(
        reverse("households:create"),
        {"village": world.village_b1.pk, "hukou_type": "rural", "address": "沼山村1组"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Household.objects.filter(address="沼山村1组").exists()


def test_income_and_asset_records(clerk, world):
    member = world.household_a1.members.get()
    url = reverse("households:record_create", args=[world.household_a1.pk, "income"])
    bad = clerk.post(url, {"member": member.pk, "kind": "wages", "annual_amount": "-5"})
    assert "金额不能为负数。" in bad.content.decode()
    clerk.post(url, {"member": member.pk, "kind": "wages", "annual_amount": "12000.50"})
    clerk.post(
        reverse("households:record_create", args=[world.household_a1.pk, "asset"]),
        {"kind": "vehicle", "value": "35000"},
    )
    page = clerk.get(reverse("households:detail", args=[world.household_a1.pk])).content.decode()
    assert "工资性收入" in page
    assert "12000.50 元" in page
    assert "机动车辆" in page


def test_income_cannot_name_a_member_of_another_household(clerk, world):
    stranger = world.household_a2.members.get()
    response = clerk.post(
        reverse("households:record_create", args=[world.household_a1.pk, "income"]),
        {"member": stranger.pk, "kind": "wages", "annual_amount": "100"},
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not stranger.incomes.exists()


def test_list_names_whom_a_member_level_category_belongs_to(clerk, world):
    household = world.household_a1
    member = household.members.get()
    spouse = MemberFactory(household=household, relation="spouse", name="柯二娘")
    start = date(2025, 1, 1)
    Enrollment.objects.create(household=household, category="marginal", start_date=start)
    Enrollment.objects.create(household=household, member=member, category="dibao_single", start_date=start)
    Enrollment.objects.create(household=household, member=spouse, category="dibao_single", start_date=start)
    Enrollment.objects.create(household=household, member=spouse, category="tekun", start_date=start)
    page = clerk.get(reverse("households:list")).content.decode()
    row = page[page.index("420281104201-0001") :].split("</tr>")[0]
    assert (
        '<span class="tag">低保边缘</span><span class="tag">特困：柯二娘</span>'
        '<span class="tag">单人户低保：柯大山、柯二娘</span>'
    ) in row
    assert ">低保<" not in row
    detail = clerk.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert '<span class="tag">单人户低保：柯大山、柯二娘</span>' in detail


def test_over_long_text_is_refused_beside_its_field_not_stored(clerk, world):
    household = world.household_a1
    response = clerk.post(
        reverse("households:edit", args=[household.pk]),
        {"village": world.village_a1.pk, "hukou_type": "rural", "address": "东湖村1组", "note": "长" * 501},
    )
    assert response.status_code == 200
    assert "不超过 500 字符 (目前字符数 501)" in response.content.decode()
    record = clerk.post(
        reverse("households:record_create", args=[household.pk, "asset"]),
        {"kind": "deposit", "value": "100", "note": "长" * 201},
    )
    assert "不超过 200 字符 (目前字符数 201)" in record.content.decode()
    search = clerk.get(reverse("households:list"), {"q": "柯" * 5000})
    assert search.status_code == 200
    assert "不超过 50 字符 (目前字符数 5000)" in search.content.decode()
    household.refresh_from_db()
    assert household.note == ""


def test_over_long_text_in_the_api_is_a_400_naming_the_field(clerk, world):
    response = clerk.patch(
        f"/api/v1/households/{world.household_a1.pk}/",
        {"address": "长" * 201},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "address" in response.json()
    member = clerk.post(
        "/api/v1/members/",
        {
            "household": world.household_a1.pk,
            "name": "名" * 51,
            "id_number": valid_id(),
            "relation": "spouse",
        },
        content_type="application/json",
    )
    assert member.status_code == 400
    assert "name" in member.json()


def test_service_refuses_an_over_long_note_as_a_domain_error(world):
    from daye_relief.errors import InvalidInput
    from households.services import households as services

    with pytest.raises(InvalidInput) as excinfo:
        services.household_update(household=world.household_a1, data={"note": "长" * 501})
    assert excinfo.value.field == "note"


def test_name_search_counts_each_member_once(clerk, world):
    """Searching a common surname must not multiply the 人口 column (issue 12): a household of 5 with 4
    members named 曹 shows 5."""
    household = HouseholdFactory(village=world.village_a1, household_number="420281104201-0777")
    for name, relation in (("曹一", "applicant"), ("曹二", "spouse"), ("曹三", "child"), ("曹四", "child")):
        MemberFactory(household=household, name=name, relation=relation)
    MemberFactory(household=household, name="王五", relation="parent")
    page = clerk.get(reverse("households:list"), {"q": "曹"}).content.decode()
    assert "共 1 户" in page
    row = page[page.index("420281104201-0777") :]
    row = row[: row.index("</tr>")]
    assert "<td>5</td>" in row
    assert "<td>20</td>" not in row


@pytest.mark.parametrize("q", ["", "柯", "420281104201"])
def test_list_query_count_is_the_same_at_two_page_sizes(clerk, world, q):
    def add_rows():
        for n in range(30):  # more than a page (25)
            household = HouseholdFactory(village=world.village_a1, household_number=f"420281104201-8{n:03d}")
            MemberFactory(household=household, name="柯某")
            Enrollment.objects.create(household=household, category="monitoring", start_date=date(2025, 1, 1))
        return ["420281104201-8000", "柯某"]

    assert_flat_queries(lambda: clerk.get(reverse("households:list"), {"q": q}), add_rows)


def test_a_towns_list_pages_in_household_number_order_across_its_villages(clerk, world):
    """The town's list takes each page from its villages' indexes: the same households, in the same order,
    as one query over the town, page after page; inactive households and other towns stay out."""
    for n in range(30):  # numbers interleave between the two villages; every fifth household left the list
        village = world.village_a1 if n % 2 else world.village_a2
        household = HouseholdFactory(village=village, household_number=f"T-{n:03d}", is_active=n % 5 != 4)
        MemberFactory(household=household, name=f"序{n:02d}")
    HouseholdFactory(village=world.village_b1, household_number="T-000a")  # another town's
    expected = list(
        Household.objects.filter(village__parent=world.town_a, is_active=True)
        .order_by("household_number")
        .values_list("household_number", flat=True)
    )
    shown = []
    for page in (1, 2):
        content = clerk.get(reverse("households:list"), {"page": page}).content.decode()
        assert f"共 {len(expected)} 户" in content
        shown += [number for number in expected if f">{number}</a>" in content]
        assert "T-000a" not in content
    assert shown == expected
    first = clerk.get(reverse("households:list")).content.decode()
    positions = [first.index(f">{number}</a>") for number in expected[:25]]
    assert positions == sorted(positions)


def test_the_search_forms_selects_are_djangos_own_html(world):
    """The search form writes its selects in Python (hundreds of villages); the HTML is what Django's
    Select writes, for each field, with a choice made and without."""
    from django import forms

    from households.forms.households import HouseholdSearchForm
    from households.glossary import Category

    towns = OrgUnit.objects.filter(pk=world.town_a.pk)
    villages = OrgUnit.objects.filter(parent=world.town_a).select_related("parent").order_by("code")
    for data in (None, {"town": world.town_a.pk, "village": world.village_a2.pk, "category": "dibao"}):
        form = HouseholdSearchForm(data, towns=towns, villages=villages, categories=Category.choices)
        for name in ("town", "village", "category"):
            field = form.fields[name]
            plain = forms.Select(choices=field.choices)
            bound = form[name]
            expected = plain.render(bound.html_name, bound.value(), {"id": bound.auto_id})
            assert field.widget.render(bound.html_name, bound.value(), {"id": bound.auto_id}) == expected
    page = str(HouseholdSearchForm(None, towns=towns, villages=villages, categories=Category.choices))
    assert '<option value="" selected>全部村(居)</option>' in page
    assert f'<option value="{world.village_a1.pk}">还地桥镇 东湖村</option>' in page


def test_the_panels_follow_the_one_order(clerk, world):
    """Issue 18.7: the household page's panels come in households.panels.PANEL_ORDER."""
    from households.panels import PANEL_ORDER, _panels

    assert sorted(_panels, key=PANEL_ORDER.index) == list(PANEL_ORDER)
    page = clerk.get(reverse("households:detail", args=[world.household_a1.pk])).content.decode()
    shown = [
        key
        for key in ("cases", "assistance", "visits", "social-needs", "checks")
        if f'<section id="{key}">' in page
    ]
    assert len(shown) >= 3
    positions = [page.index(f'<section id="{key}">') for key in shown]
    assert positions == sorted(positions)
