"""gunicorn's entry point: ``gunicorn -c config/gunicorn.conf.py factlint.wsgi:app``.

Imported in each worker after the fork (no --preload), so torch and its thread pool are created
inside the worker: a torch pool created before fork() is not fork-safe.
"""
from factlint.api import create_app

app = create_app()
