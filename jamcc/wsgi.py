"""WSGI entry point (runserver locally, Zappa's handler on AWS)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamcc.settings")

application = get_wsgi_application()
