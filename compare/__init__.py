"""Parallax: compare, statement by statement, how news outlets tell the same event.

Importing this package is cheap; models and heavy libraries load on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"
