"""The `shipyard` command line. It parses options, calls one function, and reports.

    shipyard build MODEL [--metadata FILE] --output DIR write a static site (metadata inferred if absent)
        [--python FILE] [--requirements FILE] [--pyodide-packages DIR|URL] [--quantize dynamic|fp16]
    shipyard static --output DIR --metadata FILE MODEL  the same, as modelship spells it
    shipyard serve DIR [--port N] [--compress]          preview a site on 127.0.0.1
    shipyard init MODEL [-o FILE] [--force]             write a commented metadata file from the model
    shipyard inspect MODEL [--json]                     signature, opsets, size, and a browser verdict
    shipyard verify DIR [--samples N] [--json]          check the site in Chromium against onnxruntime
        [--model ORIGINAL]                              (a --quantize site: against the original)

Progress goes to stderr. A `ShipyardError` becomes a one-line message and exit
code 2 here, and nowhere else; a traceback means a bug in shipyard.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from shipyard.build import BuildReport, build_site
from shipyard.deploy.run import GIT_HOSTS, Deployed, DeployOptions
from shipyard.deploy.run import deploy as deploy_site
from shipyard.deploy.workflow import write_workflow
from shipyard.errors import NoBrowserError, ShipyardError
from shipyard.metadata.write import render_metadata, write_new
from shipyard.model.prepared import prepare_model
from shipyard.model.quantize import QUANTIZERS
from shipyard.model.report import browser_verdict, format_report, inspect_report
from shipyard.site.hosts import DEFAULT_HOST, HOSTS, describe_size, parse_size
from shipyard.site.serve import CompressingHandler, SiteHandler, make_server, url_of
from shipyard.verify.compare import Tolerance
from shipyard.verify.report import report_dict, report_text
from shipyard.verify.run import VerifyOptions, verify_site

from . import __version__


class UserError(click.ClickException):
    exit_code = 2


class Size(click.ParamType):
    """A size in bytes, written `25MiB`, `100MB`, `5GB` or as a number of bytes."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


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
_metadata_help = "Metadata file (YAML): the app's name, inputs and outputs."
_metadata_path = click.Path(exists=True, dir_okay=False, path_type=Path)
_metadata = click.option("--metadata", required=True, type=_metadata_path, help=_metadata_help)
_optional_metadata = click.option(
    "--metadata",
    type=_metadata_path,
    help=_metadata_help + " Fields it leaves out are inferred from the model.",
)
_output = click.option(
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site into; a previous build there is replaced.",
)


@main.command()
@_model
@_optional_metadata
@_output
@click.option(
    "--python",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Python module with preprocess/postprocess hooks (overrides the metadata's `python`).",
)
@click.option(
    "--requirements",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Requirements file for the Python module (overrides the metadata's `requirements`).",
)
@click.option(
    "--pyodide-packages",
    metavar="DIR|URL",
    help="A Pyodide distribution for the packages Pyodide builds (numpy, pandas, ...): "
    "a folder, copied into the site, or a URL the site fetches them from.",
)
@click.option(
    "--snapshot/--no-snapshot",
    default=True,
    show_default=True,
    help="Ship Pyodide's memory after start-up (made once by Node), so that the page starts "
    "much sooner for a few MB more to download (the README gives the figures).",
)
@click.option(
    "--full-stdlib",
    is_flag=True,
    help="Ship Python's whole standard library for the page to fetch at start, rather than "
    "only the modules the site imports (the rest then comes on the first import that needs it).",
)
@click.option(
    "--python-on-page",
    is_flag=True,
    help="Run Python on the page's thread, for hooks that use the page itself (js.document); "
    "by default it runs in a worker, so that its start and hooks never freeze the page.",
)
@click.option(
    "--threads",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="onnxruntime-web threads, for models whose run takes milliseconds. Threads need a "
    "cross-origin-isolated page: `shipyard serve` sends the headers, and on other hosts a "
    "service worker adds them (one reload on the first visit).",
)
@click.option(
    "--gpu",
    is_flag=True,
    help="Use the visitor's GPU (WebGPU) when the browser has one and its outputs agree with the "
    "CPU's on the first run; else the CPU. The site's onnxruntime-web wasm grows from 14 to 28 MB "
    "(3.7 to 6.6 MB gzipped).",
)
@click.option(
    "--quantize",
    type=click.Choice(sorted(QUANTIZERS)),
    help="Ship a smaller copy of the model, made by onnxruntime: dynamic (8-bit weights, about a "
    "quarter of the size) or fp16 (half). `shipyard verify --model MODEL` then shows what it cost.",
)
@click.option(
    "--host",
    type=click.Choice(list(HOSTS)),
    default=DEFAULT_HOST,
    show_default=True,
    help="Where the site will be served: its per-file limit applies, and it gets the files that set "
    "its headers (_headers for netlify and cloudflare, README.md front matter for hf-space, "
    ".nojekyll for github-pages).",
)
@click.option(
    "--max-file-size",
    type=Size(),
    help="Largest file the host takes, such as 25MiB, 100MB or 5GB [default: the host's: "
    + ", ".join(f"{h.name} {describe_size(h.max_file_size)}" for h in HOSTS.values() if h.max_file_size)
    + ", none for the others].",
)
def build(
    model: Path,
    metadata: Path | None,
    output: Path,
    python: Path | None,
    requirements: Path | None,
    pyodide_packages: str | None,
    snapshot: bool,
    full_stdlib: bool,
    python_on_page: bool,
    threads: int,
    gpu: bool,
    quantize: str | None,
    host: str,
    max_file_size: int | None,
) -> None:
    """Build a static site that runs MODEL in the browser."""
    report = build_site(
        model,
        metadata,
        output,
        python,
        requirements,
        pyodide_packages,
        snapshot,
        threads,
        quantize,
        host,
        max_file_size,
        gpu,
        full_stdlib=full_stdlib,
        python_on_page=python_on_page,
    )
    for rewrite in report.rewrites:
        click.echo(f"Rewrote for the browser: {rewrite.describe()}", err=True)
    if report.quantized:
        click.echo(report.quantized.describe(), err=True)
    if report.pins:
        click.echo("Requirements: " + ", ".join(pin.describe() for pin in report.pins), err=True)
    if report.remote_packages:
        click.echo(report.remote_packages, err=True)
    size = report.bytes / 1e6
    click.echo(f"Built {report.output} ({report.files} files, {size:.1f} MB).", err=True)
    _echo_host(report)
    click.echo(f"Preview it with: shipyard serve {report.output}", err=True)


def _echo_host(report: BuildReport) -> None:
    """What the host will receive, and how to get it there."""
    if report.received:
        click.echo(report.received.describe(report.host), err=True)
    click.echo(f"Deploy it with: {report.host.upload.format(site=report.output)}", err=True)


@main.command()
@_output
@_metadata
@_model
@click.pass_context
def static(ctx: click.Context, output: Path, metadata: Path, model: Path) -> None:
    """Build a site, with modelship's command line (same as `build`)."""
    ctx.invoke(build, model=model, metadata=metadata, output=output)  # click fills in the other defaults


_repo = click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    help="The git repository to use [default: the one the current folder is in].",
)


@main.command()
@click.argument("host", type=click.Choice(list(GIT_HOSTS)))
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_repo
@click.option(
    "--remote", default="origin", show_default=True, metavar="NAME|URL", help="Where --push pushes."
)
@click.option(
    "--branch", help="The local branch the site is committed to [default: gh-pages; hf-space for a Space]."
)
@click.option("--push", is_flag=True, help="Push the branch (a Space's to its main) after committing.")
@click.option("--force", is_flag=True, help="Push even over commits the remote has and the branch does not.")
@click.option("-m", "--message", help="The commit's message.")
def deploy(
    host: str,
    site: Path,
    repo: Path | None,
    remote: str,
    branch: str | None,
    push: bool,
    force: bool,
    message: str | None,
) -> None:
    """Commit SITE, built with --host HOST, as the whole tree of a new commit on a branch, leaving
    your work tree and index as they are; with --push, push it where HOST serves it from."""
    done = deploy_site(host, site, DeployOptions(repo, remote, branch, push, force, message))
    _echo_deployed(done, site)


def _echo_deployed(done: Deployed, site: Path) -> None:
    parent = f"after {done.commit.parent[:7]}" if done.commit.parent else "the branch's first"
    click.echo(
        f"Committed {site} ({done.commit.files} files) to {done.branch} in {done.repo}: "
        f"{done.commit.sha[:7]}, {parent}.",
        err=True,
    )
    if done.lfs:
        click.echo(f"{len(done.lfs)} files over 1 MB are Git LFS objects: {', '.join(done.lfs)}.", err=True)
    click.echo(f"Pushed to {done.pushed}." if done.pushed else "Push it with --push.", err=True)


@main.command("init-workflow")
@_model
@_optional_metadata
@_repo
@click.option("--force", is_flag=True, help="Replace the workflow if it exists.")
def init_workflow(model: Path, metadata: Path | None, repo: Path | None, force: bool) -> None:
    """Write .github/workflows/shipyard.yml: on every push, GitHub Actions builds the site from
    MODEL with --host github-pages and deploys it with the official Pages actions."""
    path = write_workflow(model, metadata, repo, force)
    click.echo(
        f"Wrote {path}; commit it, and choose GitHub Actions under Settings > Pages > Source.", err=True
    )


@main.command()
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port; 0 picks a free one."
)
@click.option(
    "--compress",
    is_flag=True,
    help="Gzip what is not yet compressed, as GitHub Pages and most CDNs do: what a visitor gets.",
)
def serve(site: Path, port: int, compress: bool) -> None:
    """Preview a built SITE on 127.0.0.1 until Ctrl-C."""
    server = make_server(site, port, handler=CompressingHandler if compress else SiteHandler)
    click.echo(f"Serving {site} at {url_of(server)} (Ctrl-C to stop)", err=True)
    click.echo(url_of(server))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()


@main.command()
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--samples", default=20, show_default=True, type=click.IntRange(0), help="Random input sets.")
@click.option("--seed", type=int, help="Seed for the random inputs; the report names the one used.")
@click.option("--rtol", default=1e-5, show_default=True, type=click.FloatRange(0), help="Relative tolerance.")
@click.option("--atol", default=1e-6, show_default=True, type=click.FloatRange(0), help="Absolute tolerance.")
@click.option("--browser", metavar="PATH", help="Chromium; default: /usr/bin/chromium or one on PATH.")
@click.option(
    "--model",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="For a site built with --quantize: the original model, to compare the site with (checked by hash).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify(
    site: Path,
    samples: int,
    seed: int | None,
    rtol: float,
    atol: float,
    browser: str | None,
    model: Path | None,
    as_json: bool,
) -> None:
    """Check that SITE computes in Chromium what onnxruntime computes here.

    Exits 0 when it does, 1 when it does not, 3 when there is no Chromium to check it in.
    """
    options = VerifyOptions(samples, seed, Tolerance(rtol, atol), browser, model)
    try:
        report = verify_site(site, options, progress=lambda message: click.echo(message, err=True))
    except NoBrowserError as error:
        click.echo(str(error), err=True)
        raise SystemExit(3) from None  # the site was not checked: not a failure of the site
    click.echo(json.dumps(report_dict(report), indent=2) if as_json else report_text(report))
    raise SystemExit(0 if report.passed else 1)


@main.command()
@_model
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write [default: stdout]."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def init(model: Path, output: Path | None, force: bool) -> None:
    """Write a complete, commented metadata file inferred from MODEL."""
    text = render_metadata(
        prepare_model(model).inferred(), model.name, output.name if output else "metadata.yml"
    )
    if output is None:
        click.echo(text, nl=False)
        return
    write_new(output, text, force)
    click.echo(
        f"Wrote {output}; build with: shipyard build {model} --metadata {output} --output dist", err=True
    )


@main.command()
@_model
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def inspect(model: Path, as_json: bool) -> None:
    """Show MODEL's inputs, outputs, opsets and size, and whether a browser can run it: the
    site's onnxruntime-web, in Node, runs it as `shipyard build` does."""
    prepared = browser_verdict(prepare_model(model))
    report = inspect_report(prepared.original, prepared.info, prepared.rewrites)
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))
