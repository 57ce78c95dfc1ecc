"""`index.html`: the page shell rendered with the app's pre-built form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import jinja2
from markupsafe import Markup

from shipyard_runtime.batch import render_batch
from shipyard_runtime.form import render_form, render_outputs
from shipyard_runtime.spec import AppSpec

from . import __version__

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
