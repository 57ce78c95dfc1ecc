"""`shipyard verify DIR`: run a built site in headless Chromium and in onnxruntime on this
machine, with the same inputs, and compare what each computes.

onnxruntime, numpy and Playwright are optional dependencies (`pip install 'shipyard[verify]'`),
imported only once the site has been read, so the rest of shipyard works without them.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from shipyard_runtime.display import plain
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.hooks import HookError, Hooks, call, hook_inputs, model_rows, wait
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import Values

from .errors import NoBrowserError, VerifyError
from .site import MODEL_FILE
from .user_code import SITE_NAME
from .verify import (
    InputSet,
    Report,
    Result,
    Tolerance,
    compare,
    entries_as_outputs,
    from_page,
    input_sets,
    to_page,
)

NO_BROWSER = (
    "no Chromium found; install Debian's chromium package or pass --browser PATH; "
    "the site itself was not checked"
)
TOOLS = {"numpy": "numpy", "onnxruntime": "onnxruntime", "playwright.sync_api": "playwright"}
# numpy's dtype names back to shipyard's (numpy holds strings as objects).
TYPE_NAMES = {d.numpy: d.name for d in DTYPES.values()}


@dataclass(frozen=True)
class VerifyOptions:
    samples: int = 20
    seed: int | None = None  # None: a fresh one, named in the report so a run can be repeated
    tolerance: Tolerance = Tolerance()
    browser: str | None = None  # a Chromium executable; None looks in the usual places


def _silent(message: str) -> None:
    pass


def verify_site(site: Path, options: VerifyOptions, progress: Callable[[str], None] = _silent) -> Report:
    """Compare the site's predictions in Chromium with onnxruntime's; raise VerifyError when
    the check cannot run (NoBrowserError when there is no Chromium to run it in)."""
    app = read_site_app(site)
    if not (site / MODEL_FILE).is_file():
        raise VerifyError(f"holds no {MODEL_FILE}; is it a shipyard site?", file=site)
    _require_tools()
    from .browser_session import find_chromium

    chromium = find_chromium(options.browser)
    if chromium is None:
        raise NoBrowserError(NO_BROWSER if options.browser is None else f"{options.browser}: {NO_BROWSER}")
    seed = random.SystemRandom().randrange(2**32) if options.seed is None else options.seed
    sets = input_sets(app, options.samples, seed)
    if not sets:
        raise VerifyError("nothing to try: the inputs have no defaults or examples; pass --samples N")
    progress(f"Running {len(sets)} input sets through onnxruntime on this machine…")
    native = run_native(site / MODEL_FILE, app, sets, load_hooks(site, app))
    page, foreign = _run_in_browser(site, chromium, app, sets, progress)
    report = Report(str(site), seed, options.tolerance, [s.label for s in sets], foreign_requests=foreign)
    if isinstance(page, str):
        report.errors.append(f"the page did not load: {page}")
        return report
    report.outputs, report.errors = compare(sets, page, native, options.tolerance)
    return report


def _require_tools() -> None:
    missing = []
    for module, package in TOOLS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise VerifyError(
            f"shipyard verify needs {' and '.join(missing)}, which {'is' if len(missing) == 1 else 'are'}"
            " not installed; install them with: pip install 'shipyard[verify]'"
            " (Playwright drives the installed Chromium; no `playwright install` is needed)"
        )


def _run_in_browser(
    site: Path, chromium: str, app: AppSpec, sets: list[InputSet], progress: Callable[[str], None]
) -> tuple[list[Result] | str, list[str]]:
    """Each set's result from the page (or the page's load failure), and its foreign requests."""
    from playwright.sync_api import Error as PlaywrightError

    from .browser_session import launch_chromium, predict_in_page, served

    with served(site) as url:
        progress(f"Opening {url} in {chromium}…")
        try:
            with launch_chromium(chromium) as browser:
                run = predict_in_page(browser, url, [to_page(app, s.values) for s in sets])
        except PlaywrightError as error:
            raise NoBrowserError(
                f"cannot start {chromium} ({error.message.splitlines()[0]}); the site itself was not checked"
            ) from None
    results = run.load_error if run.load_error is not None else [from_page(r) for r in run.results]
    return results, run.foreign_requests(url)


def run_native(model: Path, app: AppSpec, sets: list[InputSet], hooks: Hooks) -> list[Result]:
    """Each set's outputs from onnxruntime on CPython, around the site's own hooks, shaped
    like the page's results."""
    import onnxruntime as ort

    try:
        session = ort.InferenceSession(str(model), ort_options(), providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own exception classes
        raise VerifyError(f"onnxruntime cannot load it ({error})", file=model) from None
    results: list[Result] = []
    for input_set in sets:
        try:
            results.append(_run_one(session, app, hooks, input_set.values))
        except HookError as error:
            results.append(str(error))
        except Exception as error:  # onnxruntime's own, for a set the model rejects
            results.append(str(error).strip().splitlines()[0])
    return results


def ort_options() -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: stderr carries the progress
    return options


def _run_one(session: Any, app: AppSpec, hooks: Hooks, values: Values) -> dict[str, Any]:
    import numpy as np

    inputs = hook_inputs(app, values)
    rows = (
        values if hooks.preprocess is None else model_rows(app, _hook("preprocess", hooks.preprocess, inputs))
    )
    feeds = {s.key: np.array(rows[s.key], dtype=s.dtype.numpy).reshape(s.dims) for s in app.inputs}
    names = [output.name for output in session.get_outputs()]
    arrays = [np.asarray(out) for out in session.run(names, feeds)]
    result = {name: _native_output(array) for name, array in zip(names, arrays, strict=True)}
    if hooks.postprocess is None:
        return result
    shown = _hook("postprocess", hooks.postprocess, dict(zip(names, arrays, strict=True)), inputs)
    if not isinstance(shown, dict):
        raise HookError("postprocess", TypeError(f"returned {type(shown).__name__}, not a dict"))
    return result | entries_as_outputs(plain(shown))  # type: ignore[arg-type]


def _hook(name: str, function: Any, *args: Any) -> Any:
    """Call a hook as the page does; an async one runs to completion here."""
    value = call(name, function, *args)
    return asyncio.run(wait(name, value)) if inspect.isawaitable(value) else value


def load_hooks(site: Path, app: AppSpec) -> Hooks:
    """The site's own `app.py`, imported on CPython."""
    if not app.python:
        return Hooks()
    path = site / SITE_NAME
    spec = importlib.util.spec_from_file_location("shipyard_app", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise VerifyError(f"holds no {SITE_NAME}, which its metadata names", file=site)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise VerifyError(
            f"cannot import it on this machine ({type(error).__name__}: {error})", file=path
        ) from None
    return Hooks.from_module(module)


def _native_output(array: Any) -> dict[str, Any]:
    return {
        "type": TYPE_NAMES.get(str(array.dtype), str(array.dtype)),
        "dims": list(array.shape),
        "data": array.ravel().tolist(),
    }


class _SpecFinder(HTMLParser):
    """Collects the text of `<script id="shipyard-app">`."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("id", "shipyard-app") in attrs:
            self.inside, self.text = True, []

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.inside and self.text is not None:
            self.text.append(data)


def read_site_app(site: Path) -> AppSpec:
    """The app spec a built site embeds in its index.html, read back as the page reads it."""
    page = site / "index.html"
    try:
        finder = _SpecFinder()
        finder.feed(page.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise VerifyError(f"cannot read it ({error}); is {site} a shipyard site?", file=page) from None
    if finder.text is None:
        raise VerifyError('holds no <script id="shipyard-app">; is it a shipyard site?', file=page)
    try:
        return AppSpec.from_dict(json.loads("".join(finder.text)))
    except (json.JSONDecodeError, SpecError) as error:
        raise VerifyError(f"its app spec is not valid ({error}); rebuild the site", file=page) from None
