"""Error pages (400/403/404/500) in Japanese, in the project's design.

Django's own handlers render templates/400.html, 403.html and 404.html with the
request's context (the page shell with its navigation). The 500 page must come
out even when the database, a context processor or the static manifest is what
failed: it renders templates/500.html without a request, and falls back to a
plain Japanese page when even that fails. Wired in hagukumi/urls.py.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# The last resort: no template, no static file, no database.
FALLBACK_500_HTML = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
    "<title>システムエラー | はぐくみ</title></head><body>"
    "<h1>システムエラーが発生しました</h1>"
    "<p>しばらくたってから、もう一度お試しください。"
    "続く場合は、システム管理者にお問い合わせください。</p>"
    '<p><a href="/">ホームへ戻る</a></p></body></html>'
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: templates/500.html without context, or FALLBACK_500_HTML."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        logger.exception("the 500 page itself failed; serving the plain fallback")
        body = FALLBACK_500_HTML
    return HttpResponseServerError(body, content_type="text/html; charset=utf-8")
