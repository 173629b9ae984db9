"""Probing, decoding, sound and the player: every media operation goes through ffmpeg.

ffmpeg-python is imported here, before any module of this package imports it, with a stand-in
for the one name it takes from the `future` package's Python 2 layer (lean_import.py).
"""

from review_tui.lean_import import import_lean, past_builtins_stand_in

import_lean("ffmpeg", stand_ins=past_builtins_stand_in())
