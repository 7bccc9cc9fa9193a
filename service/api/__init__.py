"""The HTTP service: a Flask application factory with one blueprint per concern."""
from __future__ import annotations

import logging

from flask import Flask

from ..config import Settings, load_settings
from ..workspace import Workspace
from . import check, errors, health
from .state import Engine
from . import contradictions
from ..web.pages import bp as web_pages

MAX_BODY = 1_000_000  # bytes


def create_app(settings: Settings | None = None, workspace: Workspace | None = None) -> Flask:
    """Build the app. Without ``workspace`` the model and index load in a background thread."""
    settings = settings or load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = Flask("factlint")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["factlint"] = Engine(settings, workspace)
    errors.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(check.bp)
    app.register_blueprint(contradictions.bp)
    app.register_blueprint(web_pages)
    return app
