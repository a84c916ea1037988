"""The root URLconf plus frameworks' pages and API, until hagukumi/urls.py and
hagukumi/api.py include them (then this is the root URLconf unchanged)."""

from django.urls import include, path
from ninja import NinjaAPI
from ninja.security import django_auth

from hagukumi.api import api as root_api
from hagukumi.core.access import install_api_error_handlers
from hagukumi.frameworks.api import router
from hagukumi.urls import urlpatterns as root_patterns

urlpatterns = list(root_patterns)

if not any(getattr(p, "namespace", None) == "frameworks" for p in root_patterns):
    urlpatterns.append(path("frameworks/", include("hagukumi.frameworks.urls")))

if not any(mounted is router for _, mounted in root_api._routers):
    _api = NinjaAPI(urls_namespace="api-v1-frameworks", auth=django_auth)
    install_api_error_handlers(_api)
    _api.add_router("/frameworks", router)
    urlpatterns.append(path("api/v1/", _api.urls))
