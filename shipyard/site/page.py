"""`index.html`: the page shell rendered with the app's pre-built form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from shipyard import __version__
from shipyard.errors import VerifyError
from shipyard_runtime.batch import render_batch
from shipyard_runtime.form import render_form, render_outputs
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec

TEMPLATES = resources.files("shipyard_templates")


@dataclass(frozen=True)
class Preloads:
    """Site paths to fetch from the start: modules, and files as `fetch` asks for them."""

    modules: tuple[str, ...]
    fetches: tuple[str, ...]


@dataclass(frozen=True)
class PageContext:
    """Everything `templates/index.html` uses; user text in it is escaped by the template."""

    title: str
    description: str | None
    version: str
    form_html: Markup  # built by the runtime, which escapes every piece of user text
    outputs_html: Markup
    batch_html: Markup
    app_json: Markup  # the spec the browser reads back, safe inside <script>
    pyscript_config: str
    preloads: Preloads
    remote_packages: str | None  # a sentence naming what the site fetches from elsewhere, if anything
    threads: int  # onnxruntime-web's threads, where the page is cross-origin isolated


def page_context(
    app: AppSpec,
    pyscript_config: dict[str, object],
    preloads: Preloads,
    remote_packages: str | None = None,
    threads: int = 1,
) -> PageContext:
    return PageContext(
        title=app.name,
        description=app.description,
        version=__version__,
        form_html=Markup(render_form(app)),
        outputs_html=Markup(render_outputs(app)),
        batch_html=Markup(render_batch(app)),
        app_json=Markup(_script_json(app.to_dict())),
        pyscript_config=json.dumps(pyscript_config, separators=(",", ":")),
        preloads=preloads,
        remote_packages=remote_packages,
        threads=threads,
    )


def render_page(context: PageContext) -> str:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: TEMPLATES.joinpath(name).read_text("utf-8")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("index.html").render(page=context)


def _script_json(data: object) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
