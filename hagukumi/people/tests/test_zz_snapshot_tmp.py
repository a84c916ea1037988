import json, os
import pytest
from hagukumi.frameworks import demo as frameworks_demo
from hagukumi.orgs import demo as orgs_demo
from hagukumi.people import demo
from hagukumi.people.models import Assignment, Designation, Staff, StaffQualification

pytestmark = pytest.mark.django_db


def test_snapshot():
    orgs_demo.load()
    frameworks_demo.load()
    demo.load()
    out = {
        "staff": [
            [s.number, s.name, s.name_kana, s.unit.code if s.unit else "", s.position, s.grade, s.job_type, s.employment,
             s.recruitment, str(s.term_ends_on), s.career_model, s.special_department, s.user.username if s.user else ""]
            for s in Staff.objects.order_by("number").select_related("unit", "user")
        ],
        "dates": [[s.number, str(s.birth_date), str(s.hired_on)] for s in Staff.objects.order_by("number")],
        "assignments": [[a.staff.number, a.unit.code, a.position, a.grade, str(a.starts_on), str(a.ends_on)]
                        for a in Assignment.objects.order_by("staff__number", "starts_on").select_related("staff", "unit")],
        "quals": [[q.staff.number, q.qualification.code, str(q.obtained_on), q.exam_fee, q.course_fee]
                  for q in StaffQualification.objects.order_by("staff__number", "obtained_on", "qualification__code").select_related("staff", "qualification")],
        "designations": [[d.staff.number, d.talent_type_code, d.method, d.role, d.from_fy, d.status]
                         for d in Designation.objects.order_by("staff__number").select_related("staff")],
    }
    with open(os.environ["SNAP"], "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
