"""Live updates over Socket.IO: connect-time identity, thin handlers, and the notifier.

Handlers register on the shared SocketIO object when `coprod.realtime.handlers` is first imported.
"""

from .notifier import Notifier

__all__ = ["Notifier"]
