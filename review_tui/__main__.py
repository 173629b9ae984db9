import sys

from review_tui.cli import main

sys.exit(main())
