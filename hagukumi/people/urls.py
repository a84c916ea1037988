from django.urls import path

from hagukumi.people import views

app_name = "people"

urlpatterns = [
    path("leaders/", views.leaders_view, name="leaders"),
    path("me/", views.my_profile_view, name="my_profile"),
    path("<int:pk>/", views.staff_detail_view, name="staff_detail"),
    path("search/", views.search_view, name="search"),
    path("search/export/", views.search_export_view, name="search_export"),
    path("designations/", views.designations_view, name="designations"),
    path("roster/", views.roster_upload_view, name="roster_upload"),
    path("roster/template/", views.roster_template_view, name="roster_template"),
    path("challenges/", views.challenges_view, name="challenges"),
    path("challenges/new/", views.challenge_new_view, name="challenge_new"),
    path("challenges/<int:pk>/", views.challenge_detail_view, name="challenge_detail"),
    path("challenges/<int:pk>/apply/", views.challenge_apply_view, name="challenge_apply"),
    path(
        "applications/<int:pk>/withdraw/",
        views.application_withdraw_view,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/opinion/", views.application_opinion_view, name="application_opinion"
    ),
    path("applications/<int:pk>/decide/", views.application_decide_view, name="application_decide"),
    # 異動・任用の記録 (issue 13)
    path("assignments/", views.assignments_view, name="assignments"),
    path("<int:pk>/assignments/", views.staff_assignments_view, name="staff_assignments"),
    path("assignments/<int:pk>/edit/", views.assignment_edit_view, name="assignment_edit"),
    path("transfers/", views.transfers_upload_view, name="transfers_upload"),
    path("transfers/template/", views.transfers_template_view, name="transfers_template"),
    path("fiscal-year/", views.fiscal_year_view, name="fiscal_year"),
    path("fiscal-year/switch/", views.fiscal_year_switch_view, name="fiscal_year_switch"),
]
