"""The input form and the output slots as HTML, rendered once at build time.

The page shows this HTML before Python starts; in the browser the same specs
read the controls back (`values.from_form`). Every piece of user text is escaped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from html import escape

from .dims import pattern
from .dtypes import Value
from .names import ATTRIBUTES, IDS
from .shapes import nest
from .spec import AppSpec, InputSpec, format_index, unravel
from .values import uses_grid, uses_json, uses_text_area


def render_form(app: AppSpec) -> str:
    fields = "\n".join(render_field(spec) for spec in app.form)
    return (
        f'<form id="{IDS.form}" class="inputs" novalidate>\n'
        f"{render_examples(app)}\n{fields}\n"
        f'<p class="form-error" id="{IDS.form_error}" role="alert" hidden></p>\n'
        f'<button type="submit" id="{IDS.run}" disabled>Run</button>\n'
        "</form>"
    )


def render_outputs(app: AppSpec) -> str:
    """A slot per output, then one per `results` entry (postprocess adds slots for others)."""
    slots = [(o.key, o.label) for o in app.outputs] + [(r.key, r.label) for r in app.results]
    return "\n".join(render_output_slot(key, label) for key, label in slots)


def render_output_slot(name: str, label: str) -> str:
    return (
        f'<div class="output"><span class="output-label">{escape(label)}</span>'
        f'<div class="output-value" {ATTRIBUTES.output}="{escape(name)}" aria-live="polite"></div></div>'
    )


def render_field(spec: InputSpec) -> str:
    key = escape(spec.key)
    error = f'<p class="field-error" {ATTRIBUTES.error_for}="{key}" role="alert" hidden></p>'
    if spec.image is not None:
        return (
            f'<div class="field image-field" {ATTRIBUTES.input}="{key}">{_image_control(spec)}{error}</div>'
        )
    if spec.size == 1 or uses_text_area(spec):
        control = _control(spec, f"in-{spec.key}", _joined_default(spec))
        label = f'<label for="in-{key}">{escape(spec.label)}</label>'
        return f'<div class="field" {ATTRIBUTES.input}="{key}">{label}{control}{error}</div>'
    if uses_grid(spec):
        kind, controls = "grid", _grids(spec)
    else:
        fields = "".join(
            _control(spec, f"in-{spec.key}-{i}", _default(spec, i), f"{spec.label} [{i}]")
            for i in range(spec.size)
        )
        kind, controls = "row", f'<div class="row-controls">{fields}</div>'
    legend = f"<legend>{escape(spec.label)}</legend>"
    return f'<fieldset class="field {kind}" {ATTRIBUTES.input}="{key}">{legend}{controls}{error}</fieldset>'


def _image_control(spec: InputSpec) -> str:
    """A picture picker: a file input, and a zone that takes a dropped or pasted picture
    (the page's JS decodes it and draws it in the preview)."""
    key = escape(spec.key)
    return (
        f'<label for="in-{key}">{escape(spec.label)}</label>'
        f'<div class="image-drop" {ATTRIBUTES.image_for}="{key}" tabindex="0">'
        '<canvas class="image-preview" hidden></canvas>'
        f'<span>Drop or paste an image, or <input type="file" id="in-{key}" accept="image/*"></span></div>'
    )


def _grids(spec: InputSpec) -> str:
    """A table of fields over the last two dimensions, one per index of the others (captioned
    `[0]`, `[1]`...); fields come in row-major order, each labelled `<label> [i, j]`."""
    *outer, rows, cols = spec.inner_shape
    columns = "".join(f'<th scope="col">{c}</th>' for c in range(cols))
    head = f"<thead><tr><td></td>{columns}</tr></thead>"
    tables = []
    for block in range(math.prod(outer)):
        lead = unravel(block, tuple(outer))
        caption = f"<caption>{format_index(lead)}</caption>" if outer else ""
        body = ""
        for r in range(rows):
            cells = ""
            for c in range(cols):
                i = (block * rows + r) * cols + c
                aria = f"{spec.label} {format_index((*lead, r, c))}"
                cells += f"<td>{_control(spec, f'in-{spec.key}-{i}', _default(spec, i), aria)}</td>"
            body += f'<tr><th scope="row">{r}</th>{cells}</tr>'
        tables.append(f'<table class="grid-controls">{caption}{head}<tbody>{body}</tbody></table>')
    return f'<div class="grids">{"".join(tables)}</div>'


def _control(spec: InputSpec, id_: str, value: str | None, aria: str | None = None) -> str:
    attrs = {"id": id_, "name": spec.key}
    if aria:
        attrs["aria-label"] = aria
    if uses_text_area(spec):
        lines = (value or "").count("\n") + 1
        attrs |= {"rows": str(min(max(lines, 4), 12)), "placeholder": _text_area_hint(spec)}
        return f"<textarea {_attrs(attrs)}>{escape(value or '')}</textarea>"
    control = spec.control
    if control == "select":
        return _select(spec, attrs, value)
    if control == "textarea":
        return f"<textarea {_attrs(attrs | {'rows': '4'})}>{escape(value or '')}</textarea>"
    attrs |= _input_attrs(spec)
    if control == "checkbox":
        return f"<input {_attrs(attrs)}{' checked' if value == 'true' else ''}>"
    if value is not None:
        attrs["value"] = value
    box = f"<input {_attrs(attrs)}>"
    return _slider(spec, id_, value) + box if control == "slider" else box


def _text_area_hint(spec: InputSpec) -> str:
    """What a text area takes: so many values (any number, where a value sets a free
    dimension), how they are separated; nested lists in JSON for several free dimensions."""
    if uses_json(spec):
        return f"nested lists in JSON, of shape {pattern(spec.shape, spec.free)}"
    hint = "one per line" if spec.dtype.kind == "string" else "separated by commas or spaces"
    shape = spec.inner_shape
    if spec.free:
        return f"any number of values (shape {pattern(spec.shape, spec.free)}), {hint}"
    if len(shape) > 1:
        hint = f"{' × '.join(map(str, shape))} row by row, {hint}"
    return f"{spec.size} values, {hint}"


def _select(spec: InputSpec, attrs: dict[str, str], value: str | None) -> str:
    assert spec.choices is not None
    options = "".join(
        f'<option value="{escape(format_value(v))}"{" selected" if format_value(v) == value else ""}>'
        f"{escape(label)}</option>"
        for label, v in spec.choices
    )
    return f"<select {_attrs(attrs)}>{options}</select>"


def _slider(spec: InputSpec, for_id: str, value: str | None) -> str:
    """A range control that mirrors the number box beside it; it has no name, so the
    form is read from the box alone (the page's JS keeps the two in step)."""
    attrs = {k: v for k, v in _input_attrs(spec).items() if k in ("min", "max", "step")}
    attrs |= {"type": "range", ATTRIBUTES.slider_for: for_id, "aria-hidden": "true", "tabindex": "-1"}
    if attrs["step"] == "any":
        attrs["step"] = _number((float(attrs["max"]) - float(attrs["min"])) / 1000)
    if value is not None:
        attrs["value"] = value
    return f'<input class="slider" {_attrs(attrs)}>'


def _input_attrs(spec: InputSpec) -> dict[str, str]:
    kind = spec.dtype.kind
    if kind == "bool":
        return {"type": "checkbox", "value": "true"}
    if kind == "string":
        return {"type": "text"}
    # The browser only offers these as spinner hints: the form is `novalidate`, and
    # Python accepts any value in range, whatever the step.
    attrs = {"type": "number", "step": _number(spec.step) if spec.step else "any"}
    if kind == "int" and not spec.step:
        attrs["step"] = "1"
    if spec.minimum is not None:
        attrs["min"] = _number(spec.minimum)
    if spec.maximum is not None:
        attrs["max"] = _number(spec.maximum)
    return attrs


def _attrs(attrs: dict[str, str]) -> str:
    return " ".join(f'{name}="{escape(value)}"' for name, value in attrs.items())


def _default(spec: InputSpec, i: int) -> str | None:
    return None if spec.default is None else format_value(spec.default[i])


def _joined_default(spec: InputSpec) -> str | None:
    return None if spec.default is None else _joined(spec, spec.default)


def _joined(spec: InputSpec, row: Sequence[Value]) -> str:
    """A row as typed into one text area: strings one per line, numbers a line per grid row,
    nested lists in JSON (see `uses_json`)."""
    if uses_json(spec):
        dims = spec.dims_of(row)
        start = 0  # the leading sizes of 1 that `fit` lets a value leave out
        while start < min(spec.free) and dims[start] == 1:
            start += 1
        return json.dumps(nest(list(row), dims[start:]), ensure_ascii=False)
    texts = [format_value(v) for v in row]
    if spec.dtype.kind == "string":
        return "\n".join(texts)
    dims = spec.dims_of(row)
    inner = dims[-1:] if len(dims) > 1 and math.prod(dims[:-1]) > 1 else ()
    width = inner[0] if inner else len(texts)
    return "\n".join(", ".join(texts[i : i + width]) for i in range(0, len(texts), width))


def control_texts(spec: InputSpec, row: Sequence[Value]) -> list[str]:
    """What each of an input's controls shows for `row`, in document order."""
    return [_joined(spec, row)] if uses_text_area(spec) else [format_value(v) for v in row]


def example_texts(app: AppSpec, index: int) -> dict[str, list[str]]:
    """The form's control texts for example `index` of the metadata."""
    example = app.examples[index]
    return {spec.key: control_texts(spec, example[spec.key]) for spec in app.form}


def render_examples(app: AppSpec) -> str:
    """One button per metadata example; each fills the form and runs it."""
    if not app.examples:
        return ""
    buttons = "".join(
        f'<button type="button" class="example" {ATTRIBUTES.example}="{i}" '
        f'title="{escape(_summary(app, i))}" disabled>Example {i + 1}</button>'
        for i in range(len(app.examples))
    )
    return f'<div class="examples" role="group" aria-label="Examples"><span>Try:</span>{buttons}</div>'


def _summary(app: AppSpec, index: int) -> str:
    texts = example_texts(app, index)
    return "; ".join(f"{spec.label}: {', '.join(texts[spec.key])}" for spec in app.form)


def format_value(value: Value) -> str:
    """A value as a person types it: `true`, `3`, `0.25`, `some text`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(value)
