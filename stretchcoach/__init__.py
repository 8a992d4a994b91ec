"""stretchcoach: a terminal stretch coach for people who sit at a desk all day."""

__version__ = "0.1.0"
