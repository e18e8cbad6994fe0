"""gunicorn entry point: `gunicorn -c deploy/gunicorn.conf.py bookings.wsgi:app`."""
from bookings import create_app

app = create_app()
