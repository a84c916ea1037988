from django.urls import path

from hagukumi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.users_view, name="users"),
    path("new/", views.user_new_view, name="user_new"),
    path("import/", views.users_import_view, name="users_import"),
    path("import/template/", views.users_import_template_view, name="users_import_template"),
    path("export/", views.users_export_view, name="users_export"),
    path("initial-passwords/", views.initial_passwords_view, name="initial_passwords"),
    path("<int:pk>/", views.user_detail_view, name="user_detail"),
    path("<int:pk>/edit/", views.user_edit_view, name="user_edit"),
    path("<int:pk>/deactivate/", views.user_deactivate_view, name="user_deactivate"),
    path("<int:pk>/reactivate/", views.user_reactivate_view, name="user_reactivate"),
    path("<int:pk>/unlock/", views.user_unlock_view, name="user_unlock"),
    path("<int:pk>/password/", views.user_password_reset_view, name="user_password_reset"),
    path("<int:pk>/roles/", views.membership_add_view, name="membership_add"),
    path("<int:pk>/staff/", views.user_staff_link_view, name="user_staff_link"),
    path("roles/<int:pk>/end/", views.membership_end_view, name="membership_end"),
]
