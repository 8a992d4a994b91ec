"""Commands: browse (being built)."""

from .base import app  # noqa: F401
