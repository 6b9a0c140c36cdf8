"""tyopaja: an offline workshop kit for associations' good practices."""

__version__ = "0.1.0"
