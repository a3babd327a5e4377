"""`python -m hall`: the hall's command line (hall.cli)."""

import sys

from hall.cli import main

sys.exit(main())
