"""Outputs as HTML: a single value as text, a row as a list, a matrix as a table;
a classifier's label large, and its probabilities as one bar per class, sorted.

Values are escaped; model strings are shown as text, never as markup.
"""

from __future__ import annotations

from html import escape

from .dtypes import Value
from .tensors import Output

# Beyond this many elements the page shows the start and says how many it left out.
SHOW_LIMIT = 200
# Classes shown as bars before "show all".
TOP_CLASSES = 10


def render_output(output: Output) -> str:
    if output.display == "label" and output.values:
        return f'<span class="value predicted-label">{escape(format_output(output.values[0]))}</span>'
    if output.display == "probabilities" and output.values:
        return render_probabilities(output)
    shape = [d for d in output.dims if d != 1] or [1]
    values = output.values
    if len(values) == 1:
        return f'<span class="value">{escape(format_output(values[0]))}</span>'
    if len(shape) == 2 and len(values) <= SHOW_LIMIT:
        return _table(values, shape[1])
    return _list(values)


def format_output(value: Value) -> str:
    """Floats to 6 significant digits, as a person reads them; everything else as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _list(values: list[Value]) -> str:
    items = "".join(f"<li>{escape(format_output(v))}</li>" for v in values[:SHOW_LIMIT])
    more = len(values) - SHOW_LIMIT
    tail = f'<p class="more">and {more} more</p>' if more > 0 else ""
    return f'<ol class="values" start="0">{items}</ol>{tail}'


def _table(values: list[Value], width: int) -> str:
    rows = [values[i : i + width] for i in range(0, len(values), width)]
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(format_output(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f'<table class="values"><tbody>{body}</tbody></table>'


def render_probabilities(output: Output) -> str:
    """The first row's probabilities as bars, highest first; the top ten, then the rest folded."""
    width = output.dims[-1] if output.dims else len(output.values)
    row = output.values[:width]
    names = list(output.labels) if output.labels and len(output.labels) == width else list(range(width))
    ranked = sorted(zip(names, row, strict=True), key=lambda pair: -float(pair[1]))
    bars = [_bar(str(name), float(p)) for name, p in ranked]
    html = f'<div class="bars">{"".join(bars[:TOP_CLASSES])}</div>'
    if len(bars) > TOP_CLASSES:
        rest = "".join(bars[TOP_CLASSES:])
        summary = f"Show all {len(bars)} classes"
        html += f'<details class="more-classes"><summary>{summary}</summary><div class="bars">{rest}</div>'
        html += "</details>"
    return html


def _bar(name: str, probability: float) -> str:
    percent = max(0.0, min(100.0, probability * 100))
    return (
        f'<div class="bar" data-class="{escape(name)}" data-probability="{probability!r}">'
        f'<span class="bar-label">{escape(name)}</span>'
        f'<span class="bar-track"><span class="bar-fill" style="width:{percent:.2f}%"></span></span>'
        f'<span class="bar-value">{percent:.1f}%</span></div>'
    )
