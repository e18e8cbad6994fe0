"""gunicorn entry point: `gunicorn -c deploy/gunicorn.conf.py locations.wsgi:app`."""
from locations import create_app

app = create_app()
