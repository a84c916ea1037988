"""The JSON API under /api/v1/ (django-ninja). Each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="はぐくみ API",
    version="1",
    description="自治体のデジタル人材育成・確保を支える Hagukumi の JSON API です。",
    urls_namespace="api-v1",
)
