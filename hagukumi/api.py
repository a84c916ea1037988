"""The JSON API under /api/v1/ (django-ninja). Each app adds its router here.

Every operation needs a logged-in session (`django_auth`); for unsafe methods
ninja's session auth also checks the CSRF token (header X-CSRFToken), as the
web forms do. The Swagger UI at /api/v1/docs and the OpenAPI document at
/api/v1/openapi.json are served by the app itself (ninja's bundled static
files), so they work inside LGWAN with no request to the internet.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from hagukumi.core.api import router as core_router

api = NinjaAPI(
    title="はぐくみ API",
    version="1",
    description="自治体のデジタル人材育成・確保を支える Hagukumi の JSON API です。",
    urls_namespace="api-v1",
    auth=django_auth,
)

api.add_router("/", core_router)
