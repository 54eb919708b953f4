"""`python -m etl` is the `newskg` command."""

import sys

from etl.cli import main

sys.exit(main())
