"""WSGI entry point, served by gunicorn (`openpcn serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.web.site.settings")
application = get_wsgi_application()

from openpcn.web.site.start_up import warm_before_fork  # noqa: E402 - needs the settings above

warm_before_fork()
