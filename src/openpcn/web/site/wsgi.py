"""WSGI entry point, served by gunicorn (`openpcn serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.web.site.settings")
application = get_wsgi_application()
