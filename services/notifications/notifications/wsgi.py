"""gunicorn entry point: `gunicorn -c deploy/gunicorn.conf.py notifications.wsgi:app`."""
from notifications import create_app

app = create_app()
