"""InstantTransition: the screen manager switches screens before the next frame is drawn.

Kivy's NoTransition still runs an animation of zero length, which ends on the next clock tick:
the frame drawn in between holds both screens, the one left and the one entered (measured: the
reasons screen drawn over the smiley question, then a second full frame to show it alone). On
the software renderer each of those frames costs 20-60 ms. Here the animation is completed
at once, inside the assignment to `ScreenManager.current`: the old screen is removed, and
`on_leave`/`on_enter` are dispatched, before anything is drawn. Labels changed while the screen
was hidden are rendered now too (screens/textures.py).
"""
from __future__ import annotations

from kivy.uix.screenmanager import NoTransition

from screens import textures


class InstantTransition(NoTransition):
    def start(self, manager):
        textures.entering(self.screen_in)   # labels changed while it was hidden render now
        super().start(manager)
        anim = self._anim
        if anim is not None:
            anim.stop(self)   # fires on_complete now: screen_out removed, on_enter/on_leave sent
