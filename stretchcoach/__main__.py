"""`python -m stretchcoach`."""

from stretchcoach.cli import script

if __name__ == "__main__":
    script()
