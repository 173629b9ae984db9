import sys

from review_tui import startup_mode

startup_mode.hold()  # before the imports: see startup_mode.py (cli.main lets go for other commands)

from review_tui.cli import main  # noqa: E402

sys.exit(main())
