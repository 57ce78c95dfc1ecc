"""`index.html`: the page shell rendered with the app's pre-built form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from shipyard import __version__
from shipyard.errors import VerifyError, os_reason
from shipyard.site.layout import ENTRY, PAGE, RESCUE, STYLE, template
from shipyard_runtime.batch import render_batch
from shipyard_runtime.form import render_form, render_outputs
from shipyard_runtime.names import ATTRIBUTES, FILES, IDS, PAGE_DATA, Attributes, Ids, page_data
from shipyard_runtime.plan import built_plan
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec


@dataclass(frozen=True)
class Names:
    """The names `templates/index.html` spells through: see `shipyard_runtime.names`."""

    data: str
    ids: Ids
    attributes: Attributes


NAMES = Names(PAGE_DATA, IDS, ATTRIBUTES)


@dataclass(frozen=True)
class PageContext:
    """Everything `templates/index.html` uses; user text in it is escaped by the template."""

    title: str
    description: str | None
    version: str
    form_html: Markup  # built by the runtime, which escapes every piece of user text
    outputs_html: Markup
    batch_html: Markup
    data: Markup  # the page's JSON block (see `names.page_data`), safe inside <script>
    names: Names  # the ids and attributes the page shares with the runtime and JS
    pyscript_config: str
    python_worker: bool  # Python runs in a worker (PyScript's `worker` attribute), not on the page
    preloads: tuple[str, ...]  # the modules to fetch from the start (the page's JS preloads Python's)
    remote_packages: str | None  # a sentence naming what the site fetches from elsewhere, if anything
    style: str
    scripts: tuple[str, ...]  # the module scripts: the page's own JS (which starts PyScript)
    web_manifest: str
    rescue: Markup  # the inline script that names a broken module of the page's own (templates/rescue.js)


def page_context(
    app: AppSpec,
    pyscript_config: dict[str, object],
    preloads: tuple[str, ...],
    remote_packages: str | None = None,
    threads: int = 1,
    snapshot: bool = True,
    session: dict[str, Any] | None = None,
    manifest: dict[str, Any] | None = None,
    gpu: dict[str, Any] | None = None,
    python_modules: tuple[str, ...] = (),
    python_worker: bool = True,
) -> PageContext:
    plan = built_plan(app)
    built = (session, manifest, plan, gpu, python_modules)
    data = page_data(app.to_dict(), threads, snapshot, *built, python_worker=python_worker)
    return PageContext(
        title=app.name,
        description=app.description,
        version=__version__,
        form_html=Markup(render_form(app)),
        outputs_html=Markup(render_outputs(app)),
        batch_html=Markup(render_batch(app)),
        data=Markup(script_json(data)),
        names=NAMES,
        pyscript_config=json.dumps(pyscript_config, separators=(",", ":")),
        python_worker=python_worker,
        preloads=preloads,
        remote_packages=remote_packages,
        style=STYLE,
        scripts=(ENTRY,),
        web_manifest=FILES.web_manifest,
        rescue=Markup(template(RESCUE).decode("utf-8").strip().removesuffix(";")),
    )


def render_page(context: PageContext) -> str:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: template(name).decode("utf-8")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("index.html").render(page=context)


def script_json(data: object) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _DataFinder(HTMLParser):
    """Collects the text of the page's JSON block (`<script id="shipyard-page">`)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("id", PAGE_DATA) in attrs:
            self.inside, self.text = True, []

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.inside and self.text is not None:
            self.text.append(data)


def read_page_data(site: Path) -> dict[str, Any]:
    """The JSON block a built site's page carries (see `names.page_data`)."""
    page = site / PAGE
    try:
        finder = _DataFinder()
        finder.feed(page.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error)
        raise VerifyError(f"cannot read it ({reason}); is {site} a shipyard site?", file=page) from None
    if finder.text is None:
        raise VerifyError(f'holds no <script id="{PAGE_DATA}">; is it a shipyard site?', file=page)
    try:
        data = json.loads("".join(finder.text))
    except json.JSONDecodeError as error:
        raise VerifyError(f"its page data is not JSON ({error}); rebuild the site", file=page) from None
    if not isinstance(data, dict):
        raise VerifyError("its page data is not a mapping; rebuild the site", file=page)
    return data


def read_site_app(site: Path) -> AppSpec:
    """The app spec a built site embeds in its page, read back as the page reads it."""
    try:
        return AppSpec.from_dict(read_page_data(site).get("app"))
    except SpecError as error:
        reason = f"its app spec is not valid ({error}); rebuild the site"
        raise VerifyError(reason, file=site / PAGE) from None
