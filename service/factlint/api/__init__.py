"""The HTTP service: a Flask application factory with one blueprint per concern."""
from __future__ import annotations

from flask import Flask

from ..config import Settings, load_settings
from ..workspace import Workspace
from ..web.pages import bp as web_pages
from . import auth, check, contradictions, documents, errors, health, logs, metrics, openapi
from .schemas import make_schemas
from .state import Engine


def create_app(settings: Settings | None = None, workspace: Workspace | None = None) -> Flask:
    """Build the app. Without ``workspace`` the model and index load in a background thread."""
    settings = settings or load_settings()
    logs.setup()
    app = Flask("factlint")
    app.config["MAX_CONTENT_LENGTH"] = settings.limits.max_body_bytes
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["factlint"] = Engine(settings, workspace)
    app.extensions["factlint.schemas"] = make_schemas(settings.limits)
    errors.register(app)
    # before_request hooks run in this order, after_request hooks in the reverse one.
    logs.register(app)
    metrics.register(app)
    auth.register(app, settings.auth)
    app.register_blueprint(health.bp)
    app.register_blueprint(check.bp)
    app.register_blueprint(contradictions.bp)
    app.register_blueprint(web_pages)
    app.register_blueprint(documents.bp)
    app.register_blueprint(openapi.bp)
    return app
