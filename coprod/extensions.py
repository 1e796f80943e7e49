"""Flask extensions, created unbound here and bound to the app in create_app.

The Socket.IO server is one too, but it lives in coprod/realtime/server.py, out of reach of the
services.
"""

from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Pages, styles, scripts and JSON go out compressed: phones load them on a venue's weak signal.
compress = Compress()
