"""Many rows at once: a CSV file whose columns are the form's keys, predicted in one batched
run where the model's batch dimension allows and row by row where it does not, and the
results as a table and as CSV.

The model itself is run by a caller-supplied coroutine (onnxruntime-web in the page,
onnxruntime in tests), so this module stays plain Python.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .display import format_output, plain
from .dtypes import Value, ValueProblem
from .hooks import HookError, Hooks, call, hook_inputs, hook_outputs, model_rows, wait
from .shapes import flatten
from .spec import AppSpec, InputSpec
from .tensors import Feed, Output
from .values import Values, split_text_area

# Problems listed before "and N more": enough to see a pattern, short enough to read.
MAX_PROBLEMS = 10
# Rows the page's table shows; the CSV download holds them all.
TABLE_ROWS = 200

RunModel = Callable[[list[Feed]], Awaitable[list[Output]]]


class BatchError(ValueError):
    """The CSV cannot be predicted; the message says where and why."""


@dataclass
class Table:
    """Results by row: the CSV's own columns, then each output's, then postprocess's."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()

    def to_html(self) -> str:
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
            for row in self.rows[:TABLE_ROWS]
        )
        more = len(self.rows) - TABLE_ROWS
        tail = f'<p class="more">and {more} more rows in the download</p>' if more > 0 else ""
        table = f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        return f'<table class="values batch-table">{table}</table>{tail}'


def accepts_csv(app: AppSpec) -> bool:
    """A CSV can give every field but a picture."""
    return all(spec.image is None for spec in app.form)


def render_batch(app: AppSpec) -> str:
    """The page's CSV section: which columns to give, a file picker, and room for the table."""
    if not accepts_csv(app):
        return ""
    columns = ", ".join(f"<code>{escape(spec.key)}</code>" for spec in app.form)
    return (
        '<section class="batch" aria-label="Many rows">\n<h2>Many rows</h2>\n'
        f"<p>Predict a CSV file whose header row names the columns {columns}; other columns are "
        "kept in the results. Empty cells take the default.</p>\n"
        '<input type="file" id="shipyard-batch-file" accept=".csv,text/csv" disabled>\n'
        '<p id="shipyard-batch-status" class="batch-status" role="status"></p>\n'
        '<div id="shipyard-batch-result"></div>\n</section>'
    )


def read_csv(app: AppSpec, text: str) -> tuple[list[str], list[list[str]], list[Values]]:
    """The header, the raw rows and each row's values; BatchError lists what is wrong."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in next(reader, [])]
    keys = [spec.key for spec in app.form]
    missing = [spec.key for spec in app.form if spec.key not in header and spec.default is None]
    if missing or not set(keys) & set(header):
        raise BatchError(
            f"the CSV has no column {', '.join(missing or keys)}; its header row names the inputs "
            f"({', '.join(keys)})"
        )
    raw_rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not raw_rows:
        raise BatchError("the CSV has a header row but no rows to predict")
    problems: list[str] = []
    values = [_read_row(app, header, row, n, problems) for n, row in enumerate(raw_rows, start=2)]
    if problems:
        more = len(problems) - MAX_PROBLEMS
        listed = problems[:MAX_PROBLEMS] + ([f"and {more} more"] if more > 0 else [])
        raise BatchError("\n".join(listed))
    return header, raw_rows, values


def _read_row(app: AppSpec, header: list[str], row: list[str], line: int, problems: list[str]) -> Values:
    cells = dict(zip(header, row, strict=False))
    values: Values = {}
    for spec in app.form:
        try:
            values[spec.key] = _cell(spec, cells.get(spec.key, ""))
        except ValueProblem as problem:
            problems.append(f"line {line}, column {spec.key}: {problem}")
    return values


def _cell(spec: InputSpec, text: str) -> list[Value]:
    """A cell as the field's text: an empty one takes the default; a row's values are
    separated as in a text area."""
    if not text.strip() and spec.default is not None and spec.dtype.kind != "string":
        return list(spec.default)
    items = split_text_area(spec, text) if spec.size > 1 else [text]
    return spec.check_row([spec.dtype.parse(item) for item in items])


def batched(app: AppSpec) -> bool:
    """Whether every input and output has a dynamic first dimension, so rows stack into one run."""
    return all(spec.shape and not isinstance(spec.shape[0], int) for spec in (*app.inputs, *app.outputs))


def stack(app: AppSpec, rows: list[Values]) -> list[Feed]:
    """One feed per model input holding `rows` along the first dimension."""
    feeds = []
    for spec in app.inputs:
        data = [v for row in rows for v in row[spec.key]]
        dims = (len(rows) * spec.dims[0], *spec.dims[1:])
        feeds.append(Feed(spec.key, spec.dtype, dims, spec.dtype.pack(data)))
    return feeds


def split(outputs: list[Output], count: int) -> list[list[Output]]:
    """A batched run's outputs as `count` runs of one row each."""
    rows: list[list[Output]] = [[] for _ in range(count)]
    for output in outputs:
        if not output.dims or output.dims[0] != count:
            raise BatchError(f"output {output.name} has dims {list(output.dims)}, not one row per CSV row")
        per = len(output.values) // count
        dims = (1, *output.dims[1:])
        for i, row in enumerate(rows):
            values = output.values[i * per : (i + 1) * per]
            row.append(Output(output.name, output.dtype, dims, values, output.show))
    return rows


async def predict_csv(app: AppSpec, hooks: Hooks, text: str, run: RunModel) -> Table:
    """Every row of the CSV through preprocess, the model and postprocess."""
    header, raw_rows, values = read_csv(app, text)
    inputs = [hook_inputs(app, row) for row in values]
    model_input = values
    if hooks.preprocess is not None:
        model_input = [await _preprocess(app, hooks, row, n) for n, row in enumerate(inputs, start=2)]
    chunks = [model_input] if batched(app) else [[row] for row in model_input]
    outputs: list[list[Output]] = []
    for chunk in chunks:
        outputs += split(await run(stack(app, chunk)), len(chunk))
    pairs = zip(outputs, inputs, strict=True)
    entries = [await _postprocess(hooks, *pair, line) for line, pair in enumerate(pairs, start=2)]
    extra = list(entries[0])  # postprocess's entries for the first row name the last columns
    table = Table(header + [c for output in outputs[0] for c in _output_columns(output)] + extra)
    for raw, row_outputs, row_entries in zip(raw_rows, outputs, entries, strict=True):
        cells = [cell for output in row_outputs for cell in _output_cells(output)]
        shown = [_text(row_entries[key]) if key in row_entries else "" for key in extra]
        table.rows.append(raw + [""] * (len(header) - len(raw)) + cells + shown)
    return table


async def _preprocess(app: AppSpec, hooks: Hooks, inputs: dict[str, Any], line: int) -> Values:
    assert hooks.preprocess is not None
    try:
        arrays = await _settled("preprocess", call("preprocess", hooks.preprocess, inputs))
        return model_rows(app, arrays)
    except (HookError, ValueProblem) as error:
        raise BatchError(f"line {line}: {getattr(error, 'report', error)}") from None


async def _postprocess(
    hooks: Hooks, outputs: list[Output], inputs: dict[str, Any], line: int
) -> dict[str, Any]:
    if hooks.postprocess is None:
        return {}
    try:
        shown = await _settled(
            "postprocess", call("postprocess", hooks.postprocess, hook_outputs(outputs), inputs)
        )
    except HookError as error:
        raise BatchError(f"line {line}: {error.report}") from None
    if not isinstance(shown, dict):
        raise BatchError(f"postprocess must return a dict of values to show, not {type(shown).__name__}")
    return {str(name): plain(value) for name, value in shown.items()}


async def _settled(hook: str, result: Any) -> Any:
    return await wait(hook, result) if inspect.isawaitable(result) else result


def _output_columns(output: Output) -> list[str]:
    labels = _labels(output, len(output.values))
    return [f"{output.name}[{label}]" for label in labels] if labels else [output.name]


def _output_cells(output: Output) -> list[str]:
    if _labels(output, len(output.values)):
        return [_text(v) for v in output.values]
    return [_text(output.values[0] if len(output.values) == 1 else output.values)]


def _labels(output: Output, width: int) -> tuple[str | int, ...] | None:
    """Class names when the output is one probability per class: a column each."""
    show = output.show
    if show and show.display == "probabilities" and show.labels and len(show.labels) == width:
        return show.labels
    return None


def _text(value: object) -> str:
    """A cell: numbers in full (floats as Python prints them), lists space-separated, JSON else."""
    if isinstance(value, float) and not isinstance(value, bool):
        return repr(value)
    if isinstance(value, bool | int | str):
        return format_output(value)
    if isinstance(value, list) and all(isinstance(v, bool | int | float | str) for v in flatten(value)):
        return " ".join(_text(v) for v in flatten(value))
    return json.dumps(value, ensure_ascii=False, default=str)
