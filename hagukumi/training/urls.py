from django.urls import path

from hagukumi.training import views

app_name = "training"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("templates/adopt/", views.template_adopt_view, name="template_adopt"),
    path("programs/<int:pk>/", views.program_detail_view, name="program_detail"),
    path("programs/<int:pk>/cohorts/new/", views.cohort_create_view, name="cohort_create"),
    path("courses/<int:pk>/audience/", views.course_audience_view, name="course_audience"),
    path("cohorts/<int:pk>/", views.cohort_detail_view, name="cohort_detail"),
    path("cohorts/<int:pk>/start/", views.cohort_start_view, name="cohort_start"),
    path("cohorts/<int:pk>/appoint/", views.cohort_appoint_view, name="cohort_appoint"),
    path("cohorts/<int:pk>/apply/", views.cohort_apply_view, name="cohort_apply"),
    path("cohorts/<int:pk>/groups/", views.cohort_groups_view, name="cohort_groups"),
    path("cohorts/<int:pk>/completions/", views.cohort_completions_view, name="cohort_completions"),
    path("apply/", views.apply_view, name="apply"),
    path("approvals/", views.approvals_view, name="approvals"),
    path("recommend/", views.recommend_view, name="recommend"),
    path("enrollments/<int:pk>/approve/", views.enrollment_approve_view, name="enrollment_approve"),
    path("enrollments/<int:pk>/reject/", views.enrollment_reject_view, name="enrollment_reject"),
    path("enrollments/<int:pk>/cancel/", views.enrollment_cancel_view, name="enrollment_cancel"),
    path("sessions/<int:pk>/attendance/", views.attendance_sheet_view, name="attendance_sheet"),
    path("attendance/upload/", views.attendance_upload_view, name="attendance_upload"),
    path("lms-mappings/", views.lms_mappings_view, name="lms_mappings"),
]
