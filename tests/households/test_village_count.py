"""The per-village count of active households (households.VillageCount), which the household list reads
when nothing is searched, stays equal to a count of the households whoever writes them."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.test import Client

from households.models import Household, VillageCount
from households.services.households import household_create, household_update

from ..conftest import World
from ..factories import HouseholdFactory


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
