"""Allow ``python -m presskit``."""

from presskit.cli import run

run()
