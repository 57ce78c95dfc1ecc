"""Outputs as HTML: a single value as text, a row as a list, a matrix as a table.

Values are escaped; model strings are shown as text, never as markup.
"""

from __future__ import annotations

from html import escape

from .dtypes import Value
from .tensors import Output

# Beyond this many elements the page shows the start and says how many it left out.
SHOW_LIMIT = 200


def render_output(output: Output) -> str:
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
