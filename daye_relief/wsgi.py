import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daye_relief.settings.dev")
application = get_wsgi_application()
