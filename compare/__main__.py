"""Entry point for ``python -m compare``."""

import sys

try:
    from compare.cli import main
except KeyboardInterrupt:  # Ctrl-C while the libraries load (a second or two): one line, as later on
    print("error: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
