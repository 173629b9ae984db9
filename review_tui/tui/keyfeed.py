"""Keys one at a time: the next key is routed only once the last one has settled.

Textual routes a key to the focused widget when the key is read, not when the keys before
it have done their work. Typed fast (or arriving in one read over SSH, or pasted), "c1" sends
both keys to the transcript before the "c" has opened the code picker, so the digit is lost;
an Enter meant for the next dialog reaches the one closing. The feed holds the keys in
order and hands each to Textual's own routing only when every message pump of the app and
its active screen has worked through what the previous key started, and the screen and the
focus have stopped changing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual import events

SETTLE_ROUNDS = 24  # a key's messages rarely travel further than the focus chain is deep
ROUND_TIMEOUT_S = 2.0


class KeyFeed:
    def __init__(self, app, route: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        self.route = route
        self.keys: asyncio.Queue[events.Key] = asyncio.Queue()
        self.task: asyncio.Task | None = None

    def put(self, key: events.Key) -> None:
        self.keys.put_nowait(key)
        if self.task is None:
            self.task = asyncio.create_task(self._run(), name="key feed")

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    @property
    def idle(self) -> bool:
        return self.keys.empty()

    async def _run(self) -> None:
        while True:
            key = await self.keys.get()
            try:
                before = self._state()
                await self.route(key)
                await self._settle(before)
            except Exception:  # noqa: BLE001 — end as Textual ends on an error: with the traceback shown
                from rich.traceback import Traceback  # ~30 ms of imports, wanted only here

                self.app.panic(Traceback())
                return

    def _state(self) -> tuple | None:
        if not self.app.is_running:
            return None
        screen = self.app.screen
        return (screen, screen.focused, len(self.app.screen_stack))

    async def _settle(self, before: tuple | None = None) -> None:
        """Round after round, wait for the app, the screen and the focus chain to run a
        callback queued behind what is already there. A message the key started (an Input's
        Submitted, say) travels one pump per round on its way up, so the rounds go on at
        least as long as that way, and until the screen and the focus hold still for a round.
        ``before``: the screen and focus before the key; a key that changed neither (a seek)
        needs no round through every widget of the screen, whose wake-ups would hold up the
        screen update the key asked for."""
        last = before
        quiet = 0
        for done in range(SETTLE_ROUNDS):
            if not self.app.is_running:
                return
            screen = self.app.screen
            focused = screen.focused
            state = (screen, focused, len(self.app.screen_stack))
            chain = list(focused.ancestors_with_self) if focused is not None else [screen, self.app]
            quiet = quiet + 1 if state == last else 0
            if quiet >= 1 and done >= len(chain):
                return
            # A screen just pushed is still mounting its widgets: wait for all of them.
            pumps = chain if state == last else [self.app, *screen.walk_children(with_self=True)]
            last = state
            await asyncio.gather(*(self._round_trip(pump) for pump in pumps))

    @staticmethod
    async def _round_trip(pump) -> None:
        done = asyncio.get_running_loop().create_future()

        def arrived() -> None:
            if not done.done():
                done.set_result(None)

        if not pump.call_later(arrived):
            return  # closed: nothing more will happen there
        try:
            await asyncio.wait_for(done, ROUND_TIMEOUT_S)
        except asyncio.TimeoutError:
            pass
