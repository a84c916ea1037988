from django.urls import path

from hagukumi.frameworks import views

app_name = "frameworks"

_draft = "<int:pk>/draft/"
_type = _draft + "types/<slug:type_code>/"
_level = _type + "levels/<slug:level_code>/"
_competency = _draft + "competencies/<slug:code>/"

urlpatterns = [
    path("", views.framework_index, name="index"),
    path("new/", views.framework_create, name="create"),
    path("adopt/", views.framework_adopt, name="adopt"),
    path("compare/", views.framework_compare, name="compare"),
    path("<int:pk>/", views.framework_detail, name="detail"),
    path("<int:pk>/diff/", views.framework_diff, name="diff"),
    path("<int:pk>/skill-map/", views.skill_map, name="skill_map"),
    path("<int:pk>/skill-map.xlsx", views.skill_map_download, name="skill_map_xlsx"),
    path("<int:pk>/skill-map/upload/", views.skill_map_upload, name="skill_map_upload"),
    path(_draft, views.draft_edit, name="draft"),
    path("<int:pk>/new-draft/", views.draft_new, name="draft_new"),
    path(_draft + "publish/", views.draft_publish, name="draft_publish"),
    path(_draft + "types/new/", views.talent_type_form, name="type_add"),
    path(_type + "edit/", views.talent_type_form, name="type_edit"),
    path(_type + "delete/", views.talent_type_delete, name="type_delete"),
    path(_type + "levels/new/", views.individual_level_form, name="level_add"),
    path(_level + "edit/", views.individual_level_form, name="level_edit"),
    path(_level + "delete/", views.individual_level_delete, name="level_delete"),
    path(_level + "move/", views.individual_level_move, name="level_move"),
    path(_draft + "competencies/new/", views.competency_form, name="competency_add"),
    path(_competency + "edit/", views.competency_form, name="competency_edit"),
    path(_competency + "delete/", views.competency_delete, name="competency_delete"),
    path(_competency + "levels/new/", views.competency_level_form, name="competency_level_add"),
    path(
        _competency + "levels/<int:level>/edit/",
        views.competency_level_form,
        name="competency_level_edit",
    ),
    path(
        _competency + "levels/<int:level>/delete/",
        views.competency_level_delete,
        name="competency_level_delete",
    ),
]
