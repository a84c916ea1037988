from django.urls import path

from hagukumi.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_search_view, name="search"),
    path("<int:pk>/", views.case_detail_view, name="detail"),
    path("export/", views.case_export_view, name="export"),
    path("import/", views.case_import_view, name="import"),
    path("saved/", views.saved_search_list_view, name="saved_searches"),
    path("saved/<int:pk>/delete/", views.saved_search_delete_view, name="saved_search_delete"),
    path("saved/<int:pk>/seen/", views.saved_search_seen_view, name="saved_search_seen"),
]
