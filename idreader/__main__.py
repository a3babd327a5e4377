"""`python -m idreader`: the technician's tool (see idreader.cli for the commands)."""

import logging
import sys

from idreader.cli import main

if __name__ == "__main__":
    # Reader faults reach the technician as printed events or as the one error line, not as log lines.
    logging.getLogger("idreader").setLevel(logging.ERROR)
    sys.exit(main())
