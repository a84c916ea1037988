from django.urls import path

from hagukumi.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_search_view, name="search"),
    path("<int:pk>/", views.case_detail_view, name="detail"),
    path("export/", views.case_export_view, name="export"),
    path("import/", views.case_import_view, name="import"),
]
