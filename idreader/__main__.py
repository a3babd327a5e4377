"""`python -m idreader`: the technician's tool (see idreader.cli for the commands)."""

import sys

from idreader.cli import main

if __name__ == "__main__":
    sys.exit(main())
