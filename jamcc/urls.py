from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from mozilla_django_oidc.views import OIDCLogoutView

from instance import views as instance_views
from jamcc import oidc, views

if settings.AUTH_MODE == "oidc":
    # Cognito is the only way in: the names "login" and "logout" (and the admin's own) lead
    # to its sign-in and sign-out, and no password form exists.
    auth_urls = [
        path("oidc/", include("mozilla_django_oidc.urls")),
        path(
            "accounts/login/",
            RedirectView.as_view(pattern_name="oidc_authentication_init", query_string=True),
            name="login",
        ),
        path("accounts/logout/", OIDCLogoutView.as_view(), name="logout"),
        path("admin/login/", oidc.admin_login),
        path("admin/logout/", OIDCLogoutView.as_view()),
    ]
else:
    auth_urls = [
        path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
        path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    ]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    *auth_urls,
    path("i18n/", include("django.conf.urls.i18n")),
    path("support/", include("support.urls")),
    # The call simulator is an admin page of its own (no model), behind the admin's sign-in.
    path(
        "admin/simulator/",
        admin.site.admin_view(instance_views.call_simulator),
        name="call_simulator",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "JAM Contact Center"
admin.site.site_title = "JAM Contact Center admin"

handler400 = "jamcc.views.bad_request"
handler403 = "jamcc.views.permission_denied"
handler404 = "jamcc.views.page_not_found"
handler500 = "jamcc.views.server_error"
