"""factory_boy factories for 団体 and 所属."""

import factory
from factory.django import DjangoModelFactory

from hagukumi.orgs.codes import with_check_digit
from hagukumi.orgs.models import Organization, OrganizationKind, Unit


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    # Fictitious codes (9xxxx + check digit) outside the master's range keep tests
    # independent of it, yet pass validate_organization_code.
    code = factory.Sequence(lambda n: with_check_digit(f"9{n % 10000:04d}"))
    name = factory.Sequence(lambda n: f"テスト市{n}")
    name_kana = factory.Sequence(lambda n: f"テストシ{n}")
    kind = OrganizationKind.CITY
    is_demo = False


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"テスト課{n}")
    kind = "課"
    valid_from_fy = 2020
