"""The HTTP service: a Flask application factory with one blueprint per concern."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import Settings, load_settings
from ..workspace import Workspace
from ..web.pages import bp as web_pages
from . import (auth, capacity, check, contradictions, documents, errors, health, logs, metrics, openapi,
               security)
from .schemas import make_schemas
from .state import Engine


def create_app(settings: Settings | None = None, workspace: Workspace | None = None) -> Flask:
    """Build the app. Without ``workspace`` the model and index load in a background thread."""
    settings = settings or load_settings()
    logs.setup()
    # Rooted at this package, with no static folder of its own: only the web page's assets are
    # served (the web blueprint's, from inside the package), never files of the working directory.
    app = Flask(__name__, static_folder=None)
    app.url_map.merge_slashes = False  # /v1//documents is a 404, not an HTML redirect
    app.config["MAX_CONTENT_LENGTH"] = settings.limits.max_body_bytes
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    if settings.server.proxies:  # X-Forwarded-* believed only from the configured number of proxies
        n = settings.server.proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.extensions["factlint"] = Engine(settings, workspace)
    app.extensions["factlint.schemas"] = make_schemas(settings.limits)
    errors.register(app)
    # before_request hooks run in this order, after_request hooks in the reverse one.
    security.register(app, settings.server)
    logs.register(app)
    metrics.register(app)
    capacity.register(app, settings.server)
    auth.register(app, settings.auth)
    app.register_blueprint(health.bp)
    app.register_blueprint(check.bp)
    app.register_blueprint(contradictions.bp)
    app.register_blueprint(web_pages)
    app.register_blueprint(documents.bp)
    app.register_blueprint(openapi.bp)
    return app
