"""`shipyard verify DIR`: run a built site in headless Chromium and in onnxruntime on this
machine, with the same inputs, and compare what each computes.

onnxruntime, numpy and Playwright are optional dependencies (`pip install 'shipyard[verify]'`),
imported only once the site has been read, so the rest of shipyard works without them.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shipyard.errors import NoBrowserError, VerifyError
from shipyard.model.external import data_problems
from shipyard.model.load import load_model, model_files
from shipyard.model.origin import check_original, read_record
from shipyard.site.page import read_page_data, read_site_app
from shipyard.verify.compare import Result, Tolerance, comparable, compare
from shipyard.verify.inputs import InputSet, input_sets, to_page
from shipyard.verify.native import load_hooks, run_native
from shipyard.verify.report import Report
from shipyard_runtime.names import FILES
from shipyard_runtime.spec import AppSpec

NO_BROWSER = (
    "no Chromium found; install Debian's chromium package or pass --browser PATH; "
    "the site itself was not checked"
)
TOOLS = {"numpy": "numpy", "onnxruntime": "onnxruntime", "playwright.sync_api": "playwright"}


@dataclass(frozen=True)
class VerifyOptions:
    samples: int = 20
    seed: int | None = None  # None: a fresh one, named in the report so a run can be repeated
    tolerance: Tolerance = Tolerance()
    browser: str | None = None  # a Chromium executable; None looks in the usual places
    model: Path | None = None  # the original of a --quantize site, to compare it with


def _silent(message: str) -> None:
    pass


def verify_site(site: Path, options: VerifyOptions, progress: Callable[[str], None] = _silent) -> Report:
    """Compare the site's predictions in Chromium with onnxruntime's; raise VerifyError when
    the check cannot run (NoBrowserError when there is no Chromium to run it in)."""
    app = read_site_app(site)
    if not (site / FILES.model).is_file():
        raise VerifyError(f"holds no {FILES.model}; is it a shipyard site?", file=site)
    reference, described = reference_model(site, options.model)
    _require_tools()
    from shipyard.verify.chromium import find_chromium

    chromium = find_chromium(options.browser)
    if chromium is None:
        raise NoBrowserError(NO_BROWSER if options.browser is None else f"{options.browser}: {NO_BROWSER}")
    seed = random.SystemRandom().randrange(2**32) if options.seed is None else options.seed
    sets = input_sets(app, options.samples, seed)
    if not sets:
        raise VerifyError("nothing to try: the inputs have no defaults or examples; pass --samples N")
    progress(f"Running {len(sets)} input sets through onnxruntime on this machine…")
    native = run_native(reference, app, sets, load_hooks(site, app))
    page, foreign, status = _run_in_browser(site, chromium, app, sets, progress)
    labels = [s.label for s in sets]
    report = Report(str(site), seed, options.tolerance, labels, foreign_requests=foreign, reference=described)
    report.page_status = status
    if isinstance(page, str):
        report.errors.append(f"the page did not load: {page}")
        return report
    report.outputs, report.errors = compare(sets, page, native, options.tolerance)
    return report


def reference_model(site: Path, given: Path | None) -> tuple[Path, str | None]:
    """The model onnxruntime runs on this machine, and how the report names it: the site's
    own, or for a quantized site the original it was made from (`given`, checked by hash)."""
    record = read_record(site)
    if record is None:
        if given is not None:
            raise VerifyError(
                "was built without --quantize: verify compares it with its own model, which computes "
                "what the original computes; --model is for quantized sites",
                file=site,
            )
        return site / FILES.model, None
    if given is None:
        raise VerifyError(
            f"its model was quantized ({record.mode}) from {record.source}",
            file=site,
            fix=f"pass --model {record.source} to measure the drift against the original",
        )
    model = load_model(given)
    problems = data_problems(model, given.parent)
    if problems:
        raise VerifyError(problems, file=given)
    check_original(record, model_files(given, model))
    return given, f"{given}, the original of this {record.mode}-quantized site"


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
) -> tuple[list[Result] | str, list[str], str | None]:
    """Each set's result from the page (or the page's load failure), its foreign requests, and
    for a --gpu site its status line, which says what ran the model."""
    from playwright.sync_api import Error as PlaywrightError

    from shipyard.site.serve import served
    from shipyard.verify.chromium import launch_chromium, predict_in_page

    gpu = read_page_data(site).get("gpu") is not None  # a --gpu site is checked on WebGPU
    with served(site) as url:
        progress(f"Opening {url} in {chromium}{' with WebGPU' if gpu else ''}…")
        try:
            with launch_chromium(chromium, webgpu=gpu) as browser:
                run = predict_in_page(browser, url, [to_page(app, s.values) for s in sets])
        except PlaywrightError as error:
            raise NoBrowserError(
                f"cannot start {chromium} ({error.message.splitlines()[0]}); the site itself was not checked"
            ) from None
    results = run.load_error if run.load_error is not None else [comparable(r) for r in run.results]
    return results, run.foreign_requests(url), run.status if gpu else None
