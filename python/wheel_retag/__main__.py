"""``python -m wheel_retag``: the same as the ``wheel-retag`` command."""

import sys

from . import main

sys.exit(main())
