from django.urls import path

from hagukumi.core import job_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("select-organization/", views.select_organization, name="organization_switch"),
    path("password/", views.password_change_view, name="password_change"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export.csv", views.audit_export_csv, name="audit_export"),
    path("healthz/", views.health, name="health"),
    path("jobs/<int:pk>/", job_views.job_view, name="job"),
    path("jobs/<int:pk>/confirm/", job_views.job_confirm_view, name="job_confirm"),
    path("jobs/<int:pk>/rerun/", job_views.job_rerun_view, name="job_rerun"),
]
