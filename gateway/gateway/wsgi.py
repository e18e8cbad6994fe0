"""Entry point for gunicorn (`gateway.wsgi:app`): the app is built here, its connections on first use."""
from gateway import create_app

app = create_app()
