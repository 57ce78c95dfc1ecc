"""Outputs as HTML, by the metadata's `display`: by shape (a value, a list, a table),
a number with format and unit, a classifier's label large, its probabilities as one
bar per class (sorted), a table, text, JSON, or a canvas the page draws an image on.

Values are escaped; model strings are shown as text, never as markup.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

from .dtypes import DTYPES, Value
from .images import Pixels
from .shapes import flatten, nest, nested_shape
from .spec import ResultSpec, Show
from .tensors import Output

# Beyond this many elements the page shows the start and says how many it left out.
SHOW_LIMIT = 200
# Classes shown as bars before "show all".
TOP_CLASSES = 10


def render_output(output: Output) -> str:
    """HTML for one output, as its metadata's `display` says (see OutputSpec)."""
    show = output.show
    display = show.display if show else "value"
    if not output.values:
        return '<span class="value empty">(empty)</span>'
    fmt = _formatter(show)
    if display == "image":
        pixels = image_of(output)
        return f'<canvas class="value image" width="{pixels.width}" height="{pixels.height}"></canvas>'
    if display == "label":
        return f'<span class="value predicted-label">{escape(fmt(output.values[0]))}</span>'
    if display == "probabilities":
        return render_probabilities(output)
    if display == "text":
        return f'<pre class="text">{escape(chr(10).join(fmt(v) for v in output.values))}</pre>'
    if display == "json":
        return f'<pre class="json">{escape(json.dumps(_nested(output), ensure_ascii=False, indent=1))}</pre>'
    if display == "table":
        return _table(output.values, output.dims[-1] if output.dims else 1, fmt)
    return _by_shape(output, fmt)


def _by_shape(output: Output, fmt: Callable[[Value], str]) -> str:
    """A single value as text, a row as a list, a matrix as a table."""
    shape = [d for d in output.dims if d != 1] or [1]
    values = output.values
    if len(values) == 1:
        return f'<span class="value">{escape(fmt(values[0]))}</span>'
    if len(shape) == 2 and len(values) <= SHOW_LIMIT:
        return _table(values, shape[1], fmt)
    return _list(values, fmt)


def image_of(output: Output) -> Pixels:
    """The picture an output with `display: image` shows."""
    assert output.show is not None and output.show.image is not None
    return output.show.image.to_pixels(output.values, output.dims)  # type: ignore[arg-type]


def _formatter(show: Show | None) -> Callable[[Value], str]:
    """`format` and `unit` from the metadata for numbers; other values as they are."""
    number_format = show.format if show and show.format else None
    unit = f" {show.unit}" if show and show.unit else ""

    def fmt(value: Value) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return format_output(value)
        return (format(value, number_format) if number_format else format_output(value)) + unit

    return fmt


def format_output(value: Value) -> str:
    """Floats to 6 significant digits, as a person reads them; everything else as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _nested(output: Output) -> object:
    """The values nested by the output's dims (leading 1s dropped), for JSON."""
    dims = tuple(d for d in output.dims if d != 1)
    values = nest(list(output.values), dims)
    return values[0] if not dims else values


def _list(values: list[Value], fmt: Callable[[Value], str]) -> str:
    items = "".join(f"<li>{escape(fmt(v))}</li>" for v in values[:SHOW_LIMIT])
    more = len(values) - SHOW_LIMIT
    tail = f'<p class="more">and {more} more</p>' if more > 0 else ""
    return f'<ol class="values" start="0">{items}</ol>{tail}'


def _table(values: list[Value], width: int, fmt: Callable[[Value], str]) -> str:
    rows = [values[i : i + width] for i in range(0, min(len(values), SHOW_LIMIT * width), width)]
    body = "".join("<tr>" + "".join(f"<td>{escape(fmt(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="values"><tbody>{body}</tbody></table>'


def render_probabilities(output: Output) -> str:
    """The first row's probabilities as bars, highest first; the top ten, then the rest folded."""
    width = output.dims[-1] if output.dims else len(output.values)
    row = output.values[:width]
    labels = output.show.labels if output.show else None
    names = list(labels) if labels and len(labels) == width else list(range(width))
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


def plain(value: object) -> object:
    """A value from user code as plain JSON-like data: numpy arrays and scalars included."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def render_value(value: object) -> str:
    """A postprocess entry, shown by its type: text, a number, a list, or JSON."""
    if isinstance(value, str):
        tag = "pre" if "\n" in value else "span"
        return f'<{tag} class="value text">{escape(value)}</{tag}>'
    if isinstance(value, bool | int | float):
        return f'<span class="value">{escape(format_output(value))}</span>'
    if isinstance(value, list) and all(isinstance(v, str | bool | int | float) for v in value):
        return _list(value, format_output)  # type: ignore[arg-type]
    return f'<pre class="json">{escape(json.dumps(value, ensure_ascii=False, indent=1, default=str))}</pre>'


def result_output(value: object, spec: ResultSpec) -> Output | None:
    """A postprocess entry with a `results` display as an output of that display: nested
    lists of numbers, text or booleans of one type; None when it is not such a value."""
    shape = nested_shape(value)
    values = flatten(value)
    name = _element_type(values)
    if shape is None or name is None:
        return None
    if name == "float64":
        values = [float(v) for v in values]  # type: ignore[arg-type]
    return Output(spec.key, DTYPES[name], shape or (1,), values, spec.show)  # type: ignore[arg-type]


def _element_type(values: list[object]) -> str | None:
    """The tensor type that holds all of `values`: numbers, text or booleans, not a mix."""
    if not values:
        return None
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, str) for v in values):
        return "string"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "int64" if all(isinstance(v, int) for v in values) else "float64"
    return None


def render_result(value: object, spec: ResultSpec | None) -> str:
    """A postprocess entry as `results` says, or by its type when it says nothing that fits."""
    output = result_output(value, spec) if spec and spec.show.display != "value" else None
    return render_output(output) if output else render_value(value)
