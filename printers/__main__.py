"""`python -m printers`: the technician's printer tool (see printers.cli)."""

import sys

from printers.cli import main

sys.exit(main())
