"""Server-rendered SVG charts for the statistics page: no JavaScript, no CDN, readable when printed.

Each function takes plain numbers and labels and returns a `SafeString` of one `<svg>` element with a
`<title>` per mark (the browser's tooltip) and a text label, so the chart says its figures without a
legend hunt. Every label is escaped here; the callers pass raw text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

#: Colours of the series, in order (the console's palette; readable on white and in greyscale).
PALETTE = ("#1f5fa8", "#2e8b57", "#d98c1f", "#b23b3b", "#6a4fa3", "#4b8c9c", "#8c6d4b")

_FONT = "font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;font-size:12px"


def _num(value: float) -> str:
    """A figure as text: integers without a decimal point, others with one decimal."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def hbar_chart(rows: Sequence[tuple[str, float]], *, title: str, unit: str = "",
               width: int = 560, bar_height: int = 22) -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given; the value is written at the bar's end."""
    label_width = 180
    top = 26
    height = top + max(1, len(rows)) * (bar_height + 6) + 8
    peak = max((value for _, value in rows), default=0) or 1
    span = width - label_width - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" style="{_FONT}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    if not rows:
        parts.append(f'<text x="0" y="{top + 16}" fill="#777">暂无数据</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_height + 6)
        length = max(1.0, span * value / peak) if value else 0
        shown = label if len(label) <= 14 else label[:13] + "…"
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height - 6}" text-anchor="end">'
                     f"{escape(shown)}<title>{escape(label)}</title></text>")
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                     f'fill="{PALETTE[0]}"><title>{escape(label)}: {_num(value)}{escape(unit)}</title></rect>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 6}">'
                     f"{_num(value)}{escape(unit)}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(categories: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
                 width: int = 720, height: int = 260) -> SafeString:
    """Grouped columns: one group per category (a day), one column per series (started, finished, ...),
    with a legend along the top and the peak value as the y-axis mark."""
    left, right, top, bottom = 40, 10, 44, 40
    plot_w = width - left - right
    plot_h = height - top - bottom
    names = list(series)
    peak = max((v for values in series.values() for v in values), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" style="{_FONT}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    x = left
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="33">{escape(name)}</text>')
        x += 24 + 13 * len(name)
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>')
    parts.append(f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="#555">{_num(peak)}</text>'
                 f'<line x1="{left}" y1="{top}" x2="{left + plot_w}" y2="{top}" stroke="#eee"/>')
    if not categories or not names:
        parts.append(f'<text x="{left + 8}" y="{top + plot_h / 2:.0f}" fill="#777">暂无数据</text>')
    else:
        group_w = plot_w / len(categories)
        col_w = min(36.0, max(2.0, (group_w - 6) / len(names)))
        for c, category in enumerate(categories):
            gx = left + c * group_w + (group_w - col_w * len(names)) / 2
            for s, name in enumerate(names):
                values = series[name]
                value = values[c] if c < len(values) else 0
                h = plot_h * value / peak
                parts.append(f'<rect x="{gx + s * col_w:.1f}" y="{top + plot_h - h:.1f}" width="{col_w - 1:.1f}" '
                             f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}">'
                             f"<title>{escape(category)} {escape(name)}: {_num(value)}</title></rect>")
            if len(categories) <= 16 or c % max(1, len(categories) // 12) == 0:
                parts.append(f'<text x="{left + (c + 0.5) * group_w:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                             f'fill="#555">{escape(category[-5:])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def grade_bar(counts: Mapping[int, int], *, width: int = 300, height: int = 24) -> SafeString:
    """One stacked bar of 好差评 grades 5 (left, green) to 1 (right, red), each segment titled with its count."""
    colours = {5: "#2e8b57", 4: "#7bb661", 3: "#d9c21f", 2: "#d98c1f", 1: "#b23b3b"}
    names = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
    total = sum(counts.values())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart grades" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">']
    if not total:
        parts.append(f'<rect width="{width}" height="{height}" fill="#eee"><title>暂无评价</title></rect>')
    x = 0.0
    for grade in (5, 4, 3, 2, 1):
        n = counts.get(grade, 0)
        if not n or not total:
            continue
        w = width * n / total
        parts.append(f'<rect x="{x:.1f}" width="{w:.1f}" height="{height}" fill="{colours[grade]}">'
                     f"<title>{grade}星 {names[grade]}: {n}</title></rect>")
        x += w
    parts.append("</svg>")
    return mark_safe("".join(parts))
