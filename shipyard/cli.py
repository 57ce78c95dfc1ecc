"""The `shipyard` command line. It parses options, calls one function, and reports.

    shipyard build MODEL --metadata FILE --output DIR   write a static site
    shipyard static --output DIR --metadata FILE MODEL  the same, as modelship spells it
    shipyard serve DIR [--port N]                       preview a site on 127.0.0.1

Progress goes to stderr. A `ShipyardError` becomes a one-line message and exit
code 2 here, and nowhere else; a traceback means a bug in shipyard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from . import __version__
from .build import build as build_site
from .errors import ShipyardError
from .serve import make_server, url_of


class UserError(click.ClickException):
    exit_code = 2


class Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ShipyardError as error:
            raise UserError(str(error)) from None


@click.group(cls=Group)
@click.version_option(__version__, prog_name="shipyard")
def main() -> None:
    """Turn an ONNX model into a static web app that runs in the visitor's browser."""


_model = click.argument("model", type=click.Path(exists=True, dir_okay=False, path_type=Path))
_metadata = click.option(
    "--metadata",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Metadata file (YAML): the app's name, inputs and outputs.",
)
_output = click.option(
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site into; a previous build there is replaced.",
)


@main.command()
@_model
@_metadata
@_output
def build(model: Path, metadata: Path, output: Path) -> None:
    """Build a static site that runs MODEL in the browser."""
    report = build_site(model, metadata, output)
    size = report.bytes / 1e6
    click.echo(f"Built {report.output} ({report.files} files, {size:.1f} MB).", err=True)
    click.echo(f"Preview it with: shipyard serve {report.output}", err=True)


@main.command()
@_output
@_metadata
@_model
@click.pass_context
def static(ctx: click.Context, output: Path, metadata: Path, model: Path) -> None:
    """Build a site, with modelship's command line (same as `build`)."""
    ctx.invoke(build, model=model, metadata=metadata, output=output)


@main.command()
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port; 0 picks a free one."
)
def serve(site: Path, port: int) -> None:
    """Preview a built SITE on 127.0.0.1 until Ctrl-C."""
    server = make_server(site, port)
    click.echo(f"Serving {site} at {url_of(server)} (Ctrl-C to stop)", err=True)
    click.echo(url_of(server))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()
