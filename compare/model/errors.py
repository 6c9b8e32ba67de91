"""Exceptions a user can cause, each with a message that says what to do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compare.model.documents import Problem


class ParallaxError(Exception):
    """Base class for errors caused by input, configuration or environment."""


class InputError(ParallaxError):
    """An input file or value cannot be read; the message names it."""


class UnreadableRowsError(InputError):
    """Rows of a saved analysis read after it was opened, where they are used (a block of its texts), cannot be
    read: the store is damaged there."""


class ModelError(ParallaxError):
    """An embedding model cannot be loaded."""


class StoreError(ParallaxError):
    """The embedded store cannot be opened or is of an incompatible version."""


class NothingToCompareError(ParallaxError):
    """The inputs give nothing to analyse (no readable article); ``problems`` says why, input by input."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class OutputError(ParallaxError):
    """An output file or folder cannot be written; the message names it and says why."""
