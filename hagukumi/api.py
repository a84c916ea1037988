"""The JSON API under /api/v1/ (django-ninja). Each app adds its router here.

Every operation needs a logged-in session (`django_auth`); for unsafe methods
ninja's session auth also checks the CSRF token (header X-CSRFToken), as the
web forms do. The Swagger UI at /api/v1/docs and the OpenAPI document at
/api/v1/openapi.json are served by the app itself (ninja's bundled static
files, our page template in templates/ninja/swagger.html), so they work inside
LGWAN with no request to the internet and under the CSP `script-src 'self'`.

The error answers are the same for every operation, so they are documented
centrally (`HagukumiAPI.get_openapi_schema`) rather than on each route: 400
(ApplicationError: {"detail": message, ...}), 401 (not logged in), 403 (CSRF
token missing or wrong, unsafe methods only), 404 (not found or not yours:
AccessDenied) and 422 (ninja's input validation: {"detail": sentence, "errors": [...]},
core.access.install_api_error_handlers). An
operation that declares its own answer for one of these codes keeps it.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from hagukumi.assessments.api import router as assessments_router
from hagukumi.cases.api import router as cases_router
from hagukumi.core.access import install_api_error_handlers
from hagukumi.core.api import router as core_router
from hagukumi.frameworks.api import router as frameworks_router
from hagukumi.people.api import router as people_router
from hagukumi.training.api import router as training_router

UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})
ERROR_SCHEMA = "ErrorOut"
VALIDATION_ERROR_SCHEMA = "ValidationErrorOut"
ERROR_COMPONENTS: dict[str, dict[str, Any]] = {
    ERROR_SCHEMA: {
        "title": ERROR_SCHEMA,
        "type": "object",
        "description": "エラーの説明（400 では項目ごとの補足が加わることがあります）。",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR_SCHEMA: {
        "title": VALIDATION_ERROR_SCHEMA,
        "type": "object",
        "description": "入力の検証エラー: 日本語の説明と項目ごとの誤り（ninja の形）。",
        "properties": {
            "detail": {"title": "Detail", "type": "string"},
            "errors": {
                "title": "Errors",
                "type": "array",
                "items": {"type": "object", "additionalProperties": True},
            },
        },
        "required": ["detail", "errors"],
    },
}
# Integer keys, as ninja writes the declared answers (200 etc.).
ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("入力または操作が受け付けられません。", ERROR_SCHEMA),
    401: ("ログインが必要です。", ERROR_SCHEMA),
    403: ("CSRF トークンがないか正しくありません。", ERROR_SCHEMA),
    404: ("見つかりません（存在しないか、操作中の団体・役割では扱えません）。", ERROR_SCHEMA),
    422: ("入力の形式が正しくありません。", VALIDATION_ERROR_SCHEMA),
}


class HagukumiAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error answers of every operation."""

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, component in ERROR_COMPONENTS.items():
            schemas.setdefault(name, component)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code, (description, schema_name) in ERROR_RESPONSES.items():
                    if code == 403 and method.lower() not in UNSAFE_METHODS:
                        continue
                    responses.setdefault(
                        code,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{schema_name}"}
                                }
                            },
                        },
                    )
        return schema


api = HagukumiAPI(
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
