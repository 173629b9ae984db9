"""The review's state and rules, apart from any screen: what is selected and marked, which
tags are shown, which range the next tag covers, which suggestions are still open.

Nothing here imports Textual: the app holds one ReviewState and asks these functions, and
tests ask them too without starting a UI.
"""
