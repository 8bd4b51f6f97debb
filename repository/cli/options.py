"""Options shared by the command modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def file_option(flag: str, name: str, help: str) -> Callable[[Any], Any]:
    """An optional ``--flag FILE`` (a file, not a folder, given to the command as a Path or None)."""
    return click.option(flag, name, type=click.Path(dir_okay=False, path_type=Path), default=None, help=help)
