"""The project's own pages: the home page, the health check and the error pages."""

import hmac

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from outbox.models import SyncRecord
from support import connect_api


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "support/home.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Up or down for anyone; the parts (database, Connect, pending sync) for staff or a
    monitor holding HEALTHZ_TOKEN, since they tell an outsider how the site is built."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "error"
    body: dict = {"status": "ok" if database == "ok" else "error"}
    if _may_see_health_details(request):
        body |= {
            "database": database,
            "connect": {
                "backend": connect_api.backend(),
                "client": connect_api.client_state(),
                # Empty until the first connect_publish: web calls are refused meanwhile.
                "web_ingress_flow": "set" if settings.CONNECT_WEB_INGRESS_FLOW_ID else "not set",
            },
            "dynamodb": {"pending": _pending_sync() if database == "ok" else None},
        }
    return JsonResponse(body, status=200 if database == "ok" else 503)


def _may_see_health_details(request: HttpRequest) -> bool:
    token = settings.HEALTHZ_TOKEN
    if token:
        scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(offered.encode(), token.encode()):
            return True
    # With the database down there is no session to read; the answer stays up/down.
    try:
        return request.user.is_authenticated and request.user.is_staff
    except DatabaseError:
        return False


def _pending_sync() -> int:
    """Changes saved here but not yet in DynamoDB (health checks make no DynamoDB calls)."""
    return SyncRecord.objects.filter(status=SyncRecord.Status.PENDING).count()


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the error may be the database itself.
    return HttpResponse(loader.render_to_string("500.html"), status=500)
