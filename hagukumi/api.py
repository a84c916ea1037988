"""The JSON API under /api/v1/ (django-ninja). Each app adds its router here.

Every operation needs a logged-in session (`django_auth`); for unsafe methods
ninja's session auth also checks the CSRF token (header X-CSRFToken), as the
web forms do. The Swagger UI at /api/v1/docs and the OpenAPI document at
/api/v1/openapi.json are served by the app itself (ninja's bundled static
files, our page template in templates/ninja/swagger.html), so they work inside
LGWAN with no request to the internet and under the CSP `script-src 'self'`.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from hagukumi.assessments.api import router as assessments_router
from hagukumi.cases.api import router as cases_router
from hagukumi.core.access import install_api_error_handlers
from hagukumi.core.api import router as core_router
from hagukumi.frameworks.api import router as frameworks_router
from hagukumi.people.api import router as people_router
from hagukumi.training.api import router as training_router

api = NinjaAPI(
    title="はぐくみ API",
    version="1",
    description="自治体のデジタル人材育成・確保を支える Hagukumi の JSON API です。",
    urls_namespace="api-v1",
    auth=django_auth,
)
# AccessDenied → 404 (never 403: no existence leaks), ApplicationError → 400.
install_api_error_handlers(api)

api.add_router("/", core_router)
api.add_router("/cases", cases_router)
api.add_router("/frameworks", frameworks_router)
api.add_router("/", people_router)
api.add_router("/training", training_router)
api.add_router("/", assessments_router)
