from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict[str, object]:
    """Give templates the request's CSP nonce under the name django-htmx reads.

    django-csp 4 names it `CSP_NONCE`; django-htmx's {% htmx_script %} reads `csp_nonce` (the
    name Django 6's own CSP support uses). The nonce stays lazy: only a page that uses it puts
    it in the header.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
