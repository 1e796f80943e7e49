"""The Socket.IO server object, created unbound here and bound to the app in create_app.

It lives with the live-update code, not with the other extensions, so nothing below the
transports (services, models, the domain) can reach it: services publish events and the
notifier sends them.
"""

from flask_socketio import SocketIO

socketio = SocketIO()
