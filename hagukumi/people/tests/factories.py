"""factory_boy factories for staff records."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.models import Staff


class StaffFactory(DjangoModelFactory):
    class Meta:
        model = Staff

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"{n + 1:06d}")
    name = factory.Faker("name", locale="ja_JP")
    name_kana = "テスト\u3000タロウ"
    position = "主事"
    grade = 1
    job_type = "一般事務"
    employment = "正規"
    recruitment = "一般"
    hired_on = dt.date(2020, 4, 1)
