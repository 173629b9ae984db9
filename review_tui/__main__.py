import sys

from review_tui import startup_gc

startup_gc.hold()  # before the imports: see startup_gc.py (cli.main lets go for other commands)

from review_tui.cli import main  # noqa: E402

sys.exit(main())
