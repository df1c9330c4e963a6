from django.apps import AppConfig


class ConnectLocalConfig(AppConfig):
    name = "connectlocal"
    verbose_name = "Local Amazon Connect stand-in"
