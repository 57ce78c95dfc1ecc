"""Many rows at once: a CSV file whose columns are the form's keys, predicted in one batched
run where the model's batch dimension allows and row by row where it does not, and the
results as a table and as CSV.

The model itself is run by a caller-supplied coroutine (onnxruntime-web in the page,
onnxruntime in tests), so this module stays plain Python; each row goes through the one
`Pipeline` (preprocess and postprocess), as a submission of the form does.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from html import escape
from itertools import compress
from operator import itemgetter
from typing import Any

from .display import format_output
from .dtypes import Value, ValueProblem
from .hooks import HookError
from .names import IDS
from .pipeline import Maybe, Pipeline, Prepared, resolved
from .problems import Problem, ShipyardError
from .shapes import flatten
from .spec import AppSpec, InputSpec, Show
from .tensors import Feed, Output
from .values import Values, split_text_area

# Problems listed before "and N more": enough to see a pattern, short enough to read.
MAX_PROBLEMS = 10
# Rows the page's table shows; the CSV download holds them all.
TABLE_ROWS = 200

# Each form key's values, row after row: `size` of them per row.
Columns = dict[str, list[Value]]
RunBatch = Callable[[list[Feed]], Awaitable[list[Output]]]


class BatchError(ShipyardError):
    """The CSV cannot be predicted; a problem per line (and column) that says why."""

    separator = "\n"


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
    """A CSV can give every field of a fixed size: not a picture, nor a value that sets
    free dimensions (rows would not stack into one tensor)."""
    return all(spec.image is None and not spec.free for spec in (*app.form, *app.inputs))


def render_batch(app: AppSpec) -> str:
    """The page's CSV section: which columns to give, a file picker, and room for the table."""
    if not accepts_csv(app):
        return ""
    columns = ", ".join(f"<code>{escape(spec.key)}</code>" for spec in app.form)
    return (
        '<section class="batch" aria-label="Many rows">\n<h2>Many rows</h2>\n'
        f"<p>Predict a CSV file whose header row names the columns {columns}; other columns are "
        "kept in the results. Empty cells take the default.</p>\n"
        f'<input type="file" id="{IDS.batch_file}" accept=".csv,text/csv" disabled>\n'
        f'<p id="{IDS.batch_status}" class="batch-status" role="status"></p>\n'
        f'<div id="{IDS.batch_result}"></div>\n</section>'
    )


def read_csv(app: AppSpec, text: str) -> tuple[list[str], list[list[str]], Columns]:
    """The header, the raw rows and each form key's column of values; BatchError lists what
    is wrong, by line and then by column."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in next(reader, [])]
    keys = [spec.key for spec in app.form]
    missing = [spec.key for spec in app.form if spec.key not in header and spec.default is None]
    if missing or not set(keys) & set(header):
        raise BatchError(
            f"the CSV has no column {', '.join(missing or keys)}; its header row names the inputs "
            f"({', '.join(keys)})"
        )
    rows = list(reader)
    raw_rows = list(compress(rows, map(str.strip, map("".join, rows))))  # rows with a non-blank cell
    if not raw_rows:
        raise BatchError("the CSV has a header row but no rows to predict")
    problems: list[tuple[int, int, Problem]] = []
    columns = {
        spec.key: _read_column(spec, _cells(header, raw_rows, spec.key), place, problems)
        for place, spec in enumerate(app.form)
    }
    if problems:
        found = [problem for _, _, problem in sorted(problems)]
        more = len(found) - MAX_PROBLEMS
        raise BatchError(found[:MAX_PROBLEMS] + ([Problem("", f"and {more} more")] if more > 0 else []))
    return header, raw_rows, columns


def _cells(header: list[str], rows: list[list[str]], key: str) -> list[str]:
    """Each row's cell for `key`, as `dict(zip(header, row)).get(key, "")` finds it: the
    last column of that name that the row reaches."""
    places = [i for i, name in enumerate(header) if name == key]
    if places and min(map(len, rows)) > places[-1]:
        return list(map(itemgetter(places[-1]), rows))
    return [next((row[i] for i in reversed(places) if i < len(row)), "") for row in rows]


def _read_column(
    spec: InputSpec, cells: list[str], place: int, problems: list[tuple[int, int, Problem]]
) -> list[Value]:
    """A column's values, row after row; each problem goes to `problems` with its line and
    the column's place in the form, so they sort as a row-by-row reading would list them."""
    numbers = _numbers(spec, cells)
    if numbers is not None:
        return numbers
    values: list[Value] = []
    for line, text in enumerate(cells, start=2):
        try:
            values += _cell(spec, text)
        except ValueProblem as problem:
            problems.append((line, place, Problem(f"line {line}, column {spec.key}", str(problem))))
    return values


def _numbers(spec: InputSpec, cells: list[str]) -> list[Value] | None:
    """A column of single numbers read at once, as `_cell` reads each; None when any cell is
    not plainly a number in range (blank, a typo, too large), so that `_cell` says which."""
    kind = spec.dtype.kind
    if spec.size != 1 or spec.choices is not None or kind not in ("float", "int"):
        return None
    try:
        numbers: list[Value] = list(map(float if kind == "float" else int, cells))
    except ValueError:
        return None
    return numbers if spec.all_in_range(numbers) else None


def _cell(spec: InputSpec, text: str) -> list[Value]:
    """A cell as the field's text: an empty one takes the default; a row's values are
    separated as in a text area."""
    if not text.strip() and spec.default is not None and spec.dtype.kind != "string":
        return list(spec.default)
    items = split_text_area(spec, text) if spec.size > 1 else [text]
    return list(spec.check_row([spec.dtype.parse(item) for item in items]))


def _rows(specs: tuple[InputSpec, ...], columns: Columns, count: int) -> list[Values]:
    """Columns as one row of values per CSV row, as hooks take them."""
    return [
        {spec.key: columns[spec.key][i * spec.size : (i + 1) * spec.size] for spec in specs}
        for i in range(count)
    ]


def _columns(specs: tuple[InputSpec, ...], rows: list[Values]) -> Columns:
    return {spec.key: [v for row in rows for v in row[spec.key]] for spec in specs}


def batched(app: AppSpec) -> bool:
    """Whether every input and output has a dynamic first dimension, so rows stack into one run."""
    return all(spec.shape and not isinstance(spec.shape[0], int) for spec in (*app.inputs, *app.outputs))


def stack(app: AppSpec, columns: Columns, start: int, count: int) -> list[Feed]:
    """One feed per model input holding rows `start` to `start + count` along the first dimension."""
    feeds = []
    for spec in app.inputs:
        data = columns[spec.key][start * spec.size : (start + count) * spec.size]
        dims = (count * spec.dims[0], *spec.dims[1:])
        feeds.append(Feed(spec.key, spec.dtype, dims, spec.dtype.pack(data)))
    return feeds


def check_rows(outputs: list[Output], count: int) -> list[Output]:
    """A run's outputs, which must hold one row per CSV row it was given."""
    for output in outputs:
        if not output.dims or output.dims[0] != count:
            raise BatchError(f"output {output.name} has dims {list(output.dims)}, not one row per CSV row")
    return outputs


def split(outputs: list[Output], count: int) -> list[list[Output]]:
    """A batched run's outputs as `count` runs of one row each."""
    rows: list[list[Output]] = [[] for _ in range(count)]
    for output in outputs:
        per = len(output.values) // count
        dims = (1, *output.dims[1:])
        for i, row in enumerate(rows):
            values = output.values[i * per : (i + 1) * per]
            row.append(Output(output.name, output.dtype, dims, values, output.show))
    return rows


async def predict_csv(pipeline: Pipeline, text: str, run: RunBatch) -> Table:
    """Every row of the CSV through the pipeline: preprocess row by row, the model in as few
    runs as its batch dimension allows, postprocess row by row."""
    app, hooks = pipeline.app, pipeline.hooks
    header, raw_rows, columns = read_csv(app, text)
    count = len(raw_rows)
    prepared: list[Prepared] = []
    if hooks.any:  # without hooks the columns go to the model as they are: no row is made
        rows = _rows(app.form, columns, count)
        prepared = [await _line(n, partial(pipeline.prepare, row)) for n, row in enumerate(rows, start=2)]
    if hooks.preprocess is not None:
        columns = _columns(app.inputs, [p.rows for p in prepared])
    step = count if batched(app) else 1
    runs = [check_rows(await run(stack(app, columns, start, step)), step) for start in range(0, count, step)]
    entries: list[dict[str, Any]] = [{}] * count
    if hooks.postprocess is not None:
        pairs = zip(prepared, [row for outputs in runs for row in split(outputs, step)], strict=True)
        finished = [await _line(n, partial(pipeline.finish, *pair)) for n, pair in enumerate(pairs, start=2)]
        entries = [prediction.entries or {} for prediction in finished]
    return _table(header, raw_rows, runs, step, entries)


def _table(
    header: list[str],
    raw_rows: list[list[str]],
    runs: list[list[Output]],
    step: int,
    entries: list[dict[str, Any]],
) -> Table:
    """The CSV's rows with the cells of the runs' outputs (`step` rows each) and postprocess's entries."""
    extra = list(entries[0])  # postprocess's entries for the first row name the last columns
    names = [name for output in runs[0] for name in _output_columns(output, len(output.values) // step)]
    cells = [cell for outputs in runs for cell in _output_cells(outputs, step)]
    shown = [[_text(row[key]) if key in row else "" for key in extra] for row in entries]
    rows = [
        [*raw, *[""] * (len(header) - len(raw)), *row_cells, *row_shown]
        for raw, row_cells, row_shown in zip(raw_rows, cells, shown, strict=True)
    ]
    return Table(header + names + extra, rows)


async def _line[T](line: int, step: Callable[[], Maybe[T]]) -> T:
    """What a row's step gives; a BatchError naming the row's line if user code failed."""
    try:
        return await resolved(step())
    except HookError as error:
        raise BatchError([Problem(f"line {line}", str(error))]) from None


def _output_columns(output: Output, width: int) -> list[str]:
    labels = _labels(output.show, width)
    return [f"{output.name}[{label}]" for label in labels] if labels else [output.name]


def _output_cells(outputs: list[Output], count: int) -> list[tuple[str, ...]]:
    """Each of a run's `count` rows as cells: one per class for labelled probabilities, one
    per output otherwise."""
    columns: list[list[str]] = []
    for output in outputs:
        per = len(output.values) // count
        values = output.values[: per * count]
        if _labels(output.show, per):
            texts = _texts(values)
            columns += [texts[k::per] for k in range(per)]
        elif per == 1:
            columns.append(_texts(values))
        else:
            columns.append([_text(values[i * per : (i + 1) * per]) for i in range(count)])
    return list(zip(*columns, strict=True)) if columns else [()] * count


def _labels(show: Show | None, width: int) -> tuple[str | int, ...] | None:
    """Class names when the output is one probability per class: a column each."""
    if show and show.display == "probabilities" and show.labels and len(show.labels) == width:
        return show.labels
    return None


def _texts(values: list[Value]) -> list[str]:
    """Each value as `_text` writes it; floats alone (a model's usual output) at once."""
    if set(map(type, values)) <= {float}:
        return list(map(repr, values))
    return [_text(v) for v in values]


def _text(value: object) -> str:
    """A cell: numbers in full (floats as Python prints them), lists space-separated, JSON else."""
    if isinstance(value, float) and not isinstance(value, bool):
        return repr(value)
    if isinstance(value, bool | int | str):
        return format_output(value)
    if isinstance(value, list) and all(isinstance(v, bool | int | float | str) for v in flatten(value)):
        return " ".join(_text(v) for v in flatten(value))
    return json.dumps(value, ensure_ascii=False, default=str)
