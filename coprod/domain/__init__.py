"""coprod's rules in plain Python.

Nothing here imports Flask, SQLAlchemy or Socket.IO (a test enforces it), so every rule can be
tested fast and alone, and every transport shares the same rules through the services.
"""
