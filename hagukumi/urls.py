"""Root URLs: each app owns its own URL module."""

from django.urls import include, path

from hagukumi.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("hagukumi.core.urls")),
    path("orgs/", include("hagukumi.orgs.urls")),
    path("frameworks/", include("hagukumi.frameworks.urls")),
    path("cases/", include("hagukumi.cases.urls")),
    path("people/", include("hagukumi.people.urls")),
    path("users/", include("hagukumi.accounts.urls")),
    path("training/", include("hagukumi.training.urls")),
    path("assessments/", include("hagukumi.assessments.urls")),
]

# Django's default 400/403/404 handlers render templates/400.html, 403.html and
# 404.html (Japanese, in the design); the 500 page must survive a broken database
# or static manifest, so it has its own handler.
handler500 = "hagukumi.core.error_views.server_error"
