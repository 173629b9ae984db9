"""The app's features as thin actions on a ReviewHost (tui/host.py): each module maps action
names (as the bindings and the palette name them) to functions of the host, in ``ACTIONS``.
tui/actions.py gathers them for the app."""
