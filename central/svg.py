"""Small server-side SVG charts (no script, nothing fetched): bars with an optional line."""
from __future__ import annotations

from html import escape

PALETTE = ["#1b6ca8", "#e07b00", "#2e8540", "#a4343a", "#6f42c1", "#00838f", "#795548", "#546e7a"]


def bars(labels: list[str], values: list[float | None], *, title: str, unit: str = "",
         vmax: float | None = None, line: list[float | None] | None = None, line_max: float | None = None,
         width: int = 720, height: int = 240, color: str = PALETTE[0]) -> str:
    """Vertical bars (left axis) and an optional line (right axis, own scale)."""
    pad_l, pad_r, pad_t, pad_b = 48, 48, 28, 44
    w, h = width - pad_l - pad_r, height - pad_t - pad_b
    n = max(len(labels), 1)
    top = vmax or max([v for v in values if v is not None] + [1])
    step = w / n
    out = [f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<title>{escape(title)}</title>',
           f'<text x="{pad_l}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
           f'<line x1="{pad_l}" y1="{pad_t + h}" x2="{pad_l + w}" y2="{pad_t + h}" stroke="#333"/>',
           f'<text x="{pad_l - 6}" y="{pad_t + 4}" font-size="11" text-anchor="end">{_fmt(top)}{unit}</text>',
           f'<text x="{pad_l - 6}" y="{pad_t + h}" font-size="11" text-anchor="end">0</text>']
    every = max(1, n // 12)
    for i, (lab, v) in enumerate(zip(labels, values)):
        x = pad_l + i * step
        if v is not None:
            bh = h * min(v / top, 1) if top else 0
            out.append(f'<rect class="bar" x="{x + step * 0.15:.1f}" y="{pad_t + h - bh:.1f}" '
                       f'width="{step * 0.7:.1f}" height="{bh:.1f}" fill="{color}">'
                       f'<title>{escape(lab)}: {_fmt(v)}{unit}</title></rect>')
        if i % every == 0:
            out.append(f'<text x="{x + step / 2:.1f}" y="{pad_t + h + 16}" font-size="10" '
                       f'text-anchor="middle">{escape(lab)}</text>')
    if line:
        lm = line_max or max([v for v in line if v is not None] + [1])
        pts = [f"{pad_l + (i + 0.5) * step:.1f},{pad_t + h - h * min(v / lm, 1):.1f}"
               for i, v in enumerate(line) if v is not None]
        if pts:
            out.append(f'<polyline class="line" points="{" ".join(pts)}" fill="none" stroke="{PALETTE[1]}" '
                       'stroke-width="2.5"/>')
            out.append(f'<text x="{pad_l + w + 6}" y="{pad_t + 4}" font-size="11" fill="{PALETTE[1]}">'
                       f'{_fmt(lm)}</text>')
    out.append("</svg>")
    return "".join(out)


def hbars(items: list[tuple[str, float]], *, title: str, width: int = 720, color: str = PALETTE[2]) -> str:
    """Horizontal bars, one row per item (label, value)."""
    row, pad_l, pad_t = 22, 200, 28
    height = pad_t + row * max(len(items), 1) + 10
    top = max([v for _, v in items] + [1])
    w = width - pad_l - 60
    out = [f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<title>{escape(title)}</title>',
           f'<text x="4" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for i, (lab, v) in enumerate(items):
        y = pad_t + i * row
        bw = w * v / top
        out.append(f'<text x="{pad_l - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(lab)}</text>')
        out.append(f'<rect class="bar" x="{pad_l}" y="{y + 3}" width="{bw:.1f}" height="{row - 6}" '
                   f'fill="{color}"><title>{escape(lab)}: {_fmt(v)}</title></rect>')
        out.append(f'<text x="{pad_l + bw + 4:.1f}" y="{y + 15}" font-size="11">{_fmt(v)}</text>')
    out.append("</svg>")
    return "".join(out)


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:.2f}"
