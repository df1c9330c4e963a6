from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from support import views as support_views

urlpatterns = [
    path("", support_views.home, name="home"),
    path("healthz", support_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("support/", include("support.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "JAM Contact Center"
admin.site.site_title = "JAM Contact Center admin"

handler400 = "support.views.bad_request"
handler403 = "support.views.permission_denied"
handler404 = "support.views.page_not_found"
handler500 = "support.views.server_error"
