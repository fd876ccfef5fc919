"""``python -m studyapp`` and the ``studyapp`` console script."""

from __future__ import annotations

import sys

from studyapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
