"""``python -m kliping.cli``: the ``kliping`` command."""

import sys

from kliping.cli import main

sys.exit(main())
