"""Flask extensions, created unbound here and bound to the app in create_app.

The Socket.IO server is one too, but it lives in coprod/realtime/server.py, out of reach of the
services.
"""

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
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
# Counts wrong join codes and failed sign-ins (coprod/services/throttle.py decides what counts).
# No limit applies to a route by itself: pages, socket events and phones that joined are never
# slowed. Moving windows: a count never resets all at once at a minute's turn.
limiter = Limiter(key_func=get_remote_address, strategy="moving-window")
