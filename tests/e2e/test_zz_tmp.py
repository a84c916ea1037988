def test_master_survives(db):
    from hagukumi.orgs.models import Organization
    assert Organization.objects.filter(kind="prefecture").count() == 47
