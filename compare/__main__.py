"""Entry point for ``python -m compare`` and the ``parallax`` console script."""

import sys


def run() -> int:
    """The CLI, with a Ctrl-C while its libraries load (a second or two) one line, as later on."""
    try:
        from compare.cli import main
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    raise SystemExit(run())
