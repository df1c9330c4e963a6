from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.live_support, name="live"),
    path("call/", views.call_start, name="call_start"),
    path("calls/<uuid:public_id>/", views.call_status, name="call_status"),
    path("calls/<uuid:public_id>/status/", views.call_status_fragment, name="call_status_fragment"),
]
