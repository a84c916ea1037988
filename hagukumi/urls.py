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
]
