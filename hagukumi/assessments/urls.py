"""assessments URLs (mounted at /assessments/, namespace "assessments")."""

from django.urls import path

from hagukumi.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.sheet_list_view, name="sheets"),
    path("sheets/<int:pk>/", views.sheet_detail_view, name="sheet"),
    path(
        "windows/<int:window_pk>/staff/<int:staff_pk>/<str:kind>/",
        views.assessment_form_view,
        name="assessment_form",
    ),
    path("windows/<int:window_pk>/heatmap/", views.heatmap_view, name="heatmap"),
    path("candidates/", views.candidates_view, name="candidates"),
    path("candidates/certify/", views.certify_view, name="certify"),
    path("certificates/<int:pk>/", views.certificate_view, name="certificate"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf_view, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/badge.json", views.certificate_badge_view, name="certificate_badge"
    ),
    path("practice/", views.practice_list_view, name="practice_list"),
    path("practice/new/", views.practice_new_view, name="practice_new"),
    path("practice/<int:pk>/edit/", views.practice_edit_view, name="practice_edit"),
    path("practice/<int:pk>/confirm/", views.practice_confirm_view, name="practice_confirm"),
]
