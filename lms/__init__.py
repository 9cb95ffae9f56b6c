"""Evergreen: create_app builds the Flask app (settings, extensions, blueprints, catalog)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from lms import assets, catalog_store, commands, errors, front, pages, security
from lms.config import ROOT, check_production, load_settings
from lms.extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS = str(Path(__file__).with_name("migrations"))


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. No migrations, no network, no files written: commands do that."""
    instance = Path(os.environ.get("LMS_INSTANCE_PATH", ROOT / "instance")).resolve()
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    settings = load_settings(instance, config)
    app.config.update(settings)
    check_production(app.config)
    if not app.config["SECRET_KEY"]:
        # No key yet (`lms run` writes one): this process gets a random one of its own.
        app.config["SECRET_KEY"] = os.urandom(32).hex()

    db.init_app(app)
    # First of the request hooks: a kept page is served before the CSRF and rate-limit checks,
    # which have nothing to do on these GET pages, and before the ORM loads the user (most are
    # served earlier still, by lms/front.py).
    pages.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from lms.auth import services as auth_services
    from lms.certificates import models as _certificate_models  # noqa: F401 - the tables
    from lms.progress import models as _progress_models  # noqa: F401
    from lms.reminders import models as _reminder_models  # noqa: F401
    from lms.trainer import models as _trainer_models  # noqa: F401

    login_manager.user_loader(auth_services.load_session_user)

    from lms.admin.views import bp as admin_bp
    from lms.auth import account_views, reset_views  # noqa: F401 - account and reset routes
    from lms.auth.views import bp as auth_bp
    from lms.campaigns import cycle_views  # noqa: F401 - adds the cycle routes
    from lms.campaigns.views import bp as campaigns_bp
    from lms.campaigns.views import join_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.learn import quiz_views, search_views  # noqa: F401 - quiz and search routes
    from lms.learn.views import bp as learn_bp
    from lms.reminders.views import bp as reminders_bp
    from lms.routing import IdConverter
    from lms.trainer.views import bp as trainer_bp

    app.url_map.converters["id"] = IdConverter

    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(campaigns_bp)
    app.register_blueprint(join_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(trainer_bp)

    commands.register(app)
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    catalog_store.init_app(app)
    front.init_app(app)
    return app
