"""assessments URLs (mounted at /assessments/, namespace "assessments")."""

from django.urls import path

from hagukumi.assessments import views

app_name = "assessments"

urlpatterns = [
    path("certificates/<int:pk>/", views.certificate_view, name="certificate"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf_view, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/badge.json", views.certificate_badge_view, name="certificate_badge"
    ),
]
