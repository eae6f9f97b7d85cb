"""The per-village count of active households (households.VillageCount), which the household list reads
when nothing is searched, stays equal to a count of the households whoever writes them."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test import Client

from households.models import Enrollment, Household, VillageCount
from households.selectors.households import HOUSEHOLD_PAGE, HouseholdFilters, household_list, household_page
from households.services.households import household_create, household_update

from ..conftest import World
from ..factories import HouseholdFactory, MemberFactory


def counted() -> dict[int, int]:
    return {
        row["village_id"]: row["n"]
        for row in Household.objects.filter(is_active=True).values("village_id").annotate(n=Count("pk"))
    }


def kept() -> dict[int, int]:
    return dict(VillageCount.objects.exclude(households=0).values_list("village_id", "households"))


def test_the_count_follows_every_writer(world: World) -> None:
    assert kept() == counted() != {}
    household_create(village=world.village_a2, hukou_type="rural", address="西村1组")
    HouseholdFactory.create_batch(3, village=world.village_b1)  # the ORM directly, as the admin does
    Household.objects.bulk_create(
        [Household(household_number=f"B-{n}", village=world.village_a1, address="东村") for n in range(4)]
    )
    assert kept() == counted()
    household_update(household=world.household_a1, data={"village": world.village_b1})
    Household.objects.filter(village=world.village_a2).update(is_active=False)
    assert kept() == counted()
    Household.objects.filter(village=world.village_a2).update(is_active=True, note="回到在册")
    Household.objects.filter(household_number__startswith="B-").delete()
    copy_sql = (
        "COPY households_household (household_number, village_id, hukou_type, address, phone, is_active,"
        " note, created_at, updated_at) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:  # as the benchmark loads them
        for n in range(5):
            copy.write_row((f"C-{n}", world.village_b1.pk, "rural", "沼山村", "", True, "", "now", "now"))
    assert kept() == counted()
    assert kept()[world.village_b1.pk] == 1 + 3 + 1 + 5


def test_the_lists_count_is_the_households_count(world: World) -> None:
    HouseholdFactory.create_batch(30, village=world.village_a1)
    expected = {"town_clerk": 32, "civil_affairs_reviewer": 33, "village_staff": 31}
    for who, total in expected.items():
        client = Client()
        client.force_login(world.users[who])
        assert f"共 {total} 户" in client.get("/households/").content.decode()
    client = Client()
    client.force_login(world.users["civil_affairs_reviewer"])
    assert "共 31 户" in client.get(f"/households/?village={world.village_a1.pk}").content.decode()
    assert "共 1 户" in client.get(f"/households/?town={world.town_b.pk}").content.decode()


def test_every_page_is_the_plain_paginators_page(world: World) -> None:
    """The list's shortcuts (the count table, the villages' indexes, a search's window count) answer the
    very count, page number and rows that a plain Paginator over household_list answers, for every
    filter and for page numbers in range, past the end, below 1 and not numbers at all."""
    for n in range(60):
        household = HouseholdFactory(village=(world.village_a1, world.village_a2, world.village_b1)[n % 3])
        name = ("张" if n % 2 else "李") + f"{n:02d}号"
        MemberFactory(household=household, name=name, relation="applicant")
    Enrollment.objects.create(household=world.household_a1, category="dibao", start_date=date(2026, 1, 1))
    filters = [
        HouseholdFilters(),
        HouseholdFilters(q="张"),
        HouseholdFilters(q="张1"),
        HouseholdFilters(q="号"),
        HouseholdFilters(q="T-0"),
        HouseholdFilters(q="无此人"),
        HouseholdFilters(town=world.town_a.pk),
        HouseholdFilters(village=world.village_b1.pk, q="李"),
        HouseholdFilters(category="dibao"),
    ]
    for who in ("civil_affairs_reviewer", "town_clerk", "village_staff"):
        user = world.users[who]
        for chosen in filters:
            for number in (None, "1", "2", "3", "99", "0", "-1", "x", ""):
                page = household_page(user=user, filters=chosen, number=number)
                plain = Paginator(household_list(user=user, filters=chosen), HOUSEHOLD_PAGE).get_page(number)
                counted = (page.paginator.count, page.number)
                assert counted == (plain.paginator.count, plain.number), (who, chosen, number)
                assert [h.pk for h in page] == [h.pk for h in plain], (who, chosen, number)
