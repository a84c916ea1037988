from django.urls import path

from hagukumi.orgs import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create_view, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit_view, name="unit_edit"),
    path("units/<int:pk>/close/", views.unit_close_view, name="unit_close"),
    path("units/import/", views.unit_import_view, name="unit_import"),
]
