"""factory_boy factories: the org tree, users with roles, households and members with valid ID numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from accounts.glossary import OrgKind
from accounts.models import OrgUnit, RoleAssignment, User
from households.idnumbers import make
from households.models import Asset, Household, Income, Member

PASSWORD = "pw-for-tests-only"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrgKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


def user_with_role(role: str, org_unit: OrgUnit, username: str | None = None) -> User:
    user = UserFactory(**({"username": username} if username else {}))
    RoleAssignment.objects.create(user=user, role=role, org_unit=org_unit)
    return user


_id_sequence = iter(range(1, 10**6))


def valid_id(birth: date = date(1960, 5, 17), male: bool = True) -> str:
    """A fresh valid ID number with the given birth date (unique within a test run)."""
    n = next(_id_sequence)
    seq = (n * 2 + (1 if male else 0)) % 1000
    region = f"4202{81 + n // 500:02d}"
    return make(region, birth, seq)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    household_number = factory.Sequence(lambda n: f"T-{n:05d}")
    hukou_type = "rural"
    address = factory.Sequence(lambda n: f"测试村{n}组")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    birth_date = date(1960, 5, 17)
    id_number = factory.LazyAttribute(lambda m: valid_id(m.birth_date))
    sex = "male"
    relation = "applicant"
    labor_capacity = "full"


class IncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Income

    member = factory.SubFactory(MemberFactory)
    kind = "farming"
    annual_amount = Decimal("6000.00")


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    kind = "deposit"
    value = Decimal("1000.00")
