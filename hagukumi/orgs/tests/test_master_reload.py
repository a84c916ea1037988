"""The master survives `flush` (transactional and browser tests flush after each test)."""

import pytest
from django.core.management import call_command

from hagukumi.orgs.models import Organization, OrganizationKind


@pytest.mark.django_db(transaction=True)
def test_flush_reloads_the_master() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert Organization.objects.filter(kind=OrganizationKind.PREFECTURE).count() == 47
    assert Organization.objects.filter(kind=OrganizationKind.NATIONAL, name="総務省").exists()


@pytest.mark.django_db
def test_master_present_in_ordinary_tests() -> None:
    assert Organization.objects.get(code="011002").name == "札幌市"
