"""Right-to-left text (Arabic) for a renderer that neither shapes nor reorders, like Kivy's
SDL2 text provider: the one place where text is put in display order. Plain Python (no Kivy).

Arabic letters take a form by their neighbours (joined), and a right-to-left line is shown
from right to left with numbers and Latin words inside it left to right. Kivy does neither, and
reshaping a whole text before Kivy wraps it reverses the order of its lines. So:

  lines = display_lines(text, width, measure)   # wrap first (in logical order), then shape
                                                # and reorder each line on its own

`measure(s)` is the width of a string as the renderer draws it; `width` None means no wrapping
(only the text's own line breaks). A text without right-to-left letters comes back unchanged.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def is_rtl_language(lang: str) -> bool:
    return lang.split("-")[0] in RTL_LANGUAGES


def has_rtl(text: str) -> bool:
    return bool(text) and _RTL.search(text) is not None


@lru_cache(maxsize=4096)
def display_line(line: str) -> str:
    """One line in display order with its Arabic letters joined (a line with right-to-left
    letters is a right-to-left paragraph: its numbers and Latin words stay left to right)."""
    if not has_rtl(line):
        return line
    import arabic_reshaper
    # python-bidi's pure-Python algorithm: it also mirrors brackets in right-to-left runs
    # ("(التصاريح)" keeps its brackets facing the word), which its compiled one does not
    from bidi.algorithm import get_display
    return get_display(arabic_reshaper.reshape(line), base_dir="R")


def wrap(text: str, width: float | None, measure: Callable[[str], float]) -> list[str]:
    """Logical lines: the text's own lines, each broken between words so that its display
    form is at most `width` wide (a single word wider than that stays whole)."""
    out: list[str] = []
    for para in text.split("\n"):
        if width is None or measure(display_line(para)) <= width:
            out.append(para)
            continue
        cur = ""
        for word in para.split(" "):
            trial = f"{cur} {word}" if cur else word
            if not cur or measure(display_line(trial)) <= width:
                cur = trial
            else:
                out.append(cur)
                cur = word
        out.append(cur)
    return out


def display_lines(text: str, width: float | None, measure: Callable[[str], float]) -> list[str]:
    """The text wrapped to `width`, then each line shaped and put in display order."""
    if not has_rtl(text):
        return text.split("\n")
    return [display_line(line) for line in wrap(text, width, measure)]
