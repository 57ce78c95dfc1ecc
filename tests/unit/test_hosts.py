"""Host presets: every file a preset writes, read by its host's documented format; sizes as
--max-file-size takes them; and the build's refusals of a bad --host or --max-file-size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from shipyard.site.hosts import GB, HOSTS, MiB, SiteTraits, describe_size, parse_size
from shipyard.site.received import received
from tests.support.cli import run
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
MODEL, METADATA = str(HOUSING / "model.onnx"), str(HOUSING / "metadata.yml")
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # a header name (RFC 9110's token)

# hub-docs, spaces-config-reference.md: every key the front matter may hold
SPACE_KEYS = {
    "title", "emoji", "colorFrom", "colorTo", "sdk", "python_version", "sdk_version", "suggested_hardware",
    "suggested_storage", "app_file", "app_build_command", "app_port", "base_path", "fullWidth", "header",
    "short_description", "models", "datasets", "tags", "thumbnail", "pinned", "hf_oauth", "hf_oauth_scopes",
    "hf_oauth_expiration_minutes", "hf_oauth_authorized_org", "disable_embedding", "startup_duration_timeout",
    "custom_headers", "preload_from_hub",
}  # fmt: skip
# the headers custom_headers allows, and each one's values (MDN)
SPACE_HEADERS = {
    "cross-origin-embedder-policy": {"unsafe-none", "require-corp", "credentialless"},
    "cross-origin-opener-policy": {
        "unsafe-none",
        "same-origin-allow-popups",
        "same-origin",
        "noopener-allow-popups",
    },
    "cross-origin-resource-policy": {"same-site", "same-origin", "cross-origin"},
}
ISOLATED = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


def parse_headers(text: str) -> dict[str, dict[str, str]]:
    """`_headers` by Netlify's documented grammar (Cloudflare Pages reads the same): blank
    lines and `#` comments aside, a line starting with `/` opens a rule for that path, and
    each following indented line is `Name: value`, split at its first colon."""
    rules: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.strip().startswith("#"):
            continue
        assert len(line) <= 2000, "Cloudflare Pages takes lines of at most 2,000 characters"
        if line.startswith("/"):
            assert line not in rules
            path = line
            rules[path] = {}
            continue
        assert line.startswith((" ", "\t")) and rules, f"a header line before any path: {line!r}"
        name, value = (part.strip() for part in line.split(":", 1))
        assert TOKEN.fullmatch(name) and value, line
        rules[path][name] = value
    assert 0 < len(rules) <= 100, "Cloudflare Pages takes at most 100 rules"
    return rules


def front_matter(text: str) -> tuple[dict[str, object], str]:
    """README.md's YAML front matter, between its first two `---` lines, and the rest."""
    start, config, rest = text.split("---\n", 2)
    assert start == ""
    return yaml.safe_load(config), rest


@pytest.mark.parametrize("host", ["netlify", "cloudflare"])
@pytest.mark.parametrize("isolated", [False, True])
def test_headers_files_follow_the_documented_grammar(host: str, isolated: bool) -> None:
    files = HOSTS[host].files(SiteTraits("Housing", None, isolated))
    assert list(files) == ["_headers"]
    rules = parse_headers(files["_headers"].decode())
    assert rules["/*"] == {"Cache-Control": "public, max-age=0, must-revalidate"} | (
        ISOLATED if isolated else {}
    )
    assert rules["/*.wasm"] == {"Content-Type": "application/wasm"}
    assert rules["/*.mjs"] == {"Content-Type": "text/javascript"}


@pytest.mark.parametrize("isolated", [False, True])
def test_a_space_readme_holds_only_documented_keys_and_values(isolated: bool) -> None:
    title = "Prices: up # 10%"  # YAML would misread it written bare
    (readme,) = HOSTS["hf-space"].files(SiteTraits(title, "What it does.", isolated)).values()
    config, body = front_matter(readme.decode())
    assert set(config) <= SPACE_KEYS
    assert config["sdk"] == "static" and config["app_file"] == "index.html" and config["title"] == title
    assert "What it does." in body
    headers = config.get("custom_headers")
    if not isolated:
        assert headers is None
        return
    assert isinstance(headers, dict) and set(headers) <= set(SPACE_HEADERS)
    for name, value in headers.items():  # "all headers and values must be lowercase"
        assert name == name.lower() and value == value.lower() and value in SPACE_HEADERS[name]
    assert headers["cross-origin-embedder-policy"] == "require-corp"
    assert headers["cross-origin-opener-policy"] == "same-origin"


def test_github_pages_gets_an_empty_nojekyll_and_the_others_nothing() -> None:
    traits = SiteTraits("Housing", None, isolated=True)
    assert HOSTS["github-pages"].files(traits) == {".nojekyll": b""}
    assert HOSTS["folder"].files(traits) == {}


def test_each_preset_has_its_hosts_limit() -> None:
    limits = {name: host.max_file_size for name, host in HOSTS.items()}
    assert limits == {
        "folder": None,
        "github-pages": 100 * MiB,
        "hf-space": 50 * GB,
        "netlify": None,
        "cloudflare": 25 * MiB,
    }


@pytest.mark.parametrize(
    ("text", "size"),
    [("25MiB", 25 * 2**20), ("100MB", 10**8), ("5GB", 5 * 10**9), ("1048576", 2**20), ("1.5 GiB", 3 * 2**29)],
)
def test_sizes_are_read_in_the_units_written(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "10 parsecs", "0", "-5MB", "MB"])
def test_a_bad_size_is_refused_with_the_reason(text: str) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_size(text)


def test_sizes_are_described_in_the_units_they_are_whole_in() -> None:
    assert [describe_size(n) for n in (100 * MiB, 50 * GB, 9_598_218, 100_000, 137_451)] == [
        "100 MiB",
        "50 GB",
        "9.6 MB",
        "100 KB",
        "137.5 KB",
    ]


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        (
            "--host",
            "vercel",
            "'vercel' is not one of 'folder', 'github-pages', 'hf-space', 'netlify', 'cloudflare'",
        ),
        ("--max-file-size", "huge", "'huge' is not a size"),
        ("--max-file-size", "0", "'0' is not a size of at least 1 byte"),
    ],
)
def test_the_build_refuses_a_bad_host_or_size_before_anything(
    tmp_path: Path, option: str, value: str, reason: str
) -> None:
    code, out = run("build", MODEL, "--metadata", METADATA, "--output", str(tmp_path / "site"), option, value)
    assert code == 2 and "Traceback" not in out
    assert f"Invalid value for '{option}'" in out and reason in out
    assert not (tmp_path / "site").exists()


def test_what_the_host_receives_is_summed_up_with_its_largest_file_and_limit(tmp_path: Path) -> None:
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "big.wasm").write_bytes(b"\0" * 2_000_000)
    (tmp_path / "model.data").write_bytes(b"\0" * 1_500_000)
    (tmp_path / "_headers").write_bytes(b"/*\n  Cache-Control: no-cache\n")
    got = received(tmp_path, ("_headers",), 25 * MiB)
    assert (got.files, got.bytes, got.largest) == (3, 3_500_029, ("pyodide/big.wasm", 2_000_000))
    assert got.describe(HOSTS["cloudflare"]) == (
        "For Cloudflare Pages: 3 files, 3.5 MB; the largest, pyodide/big.wasm, is 2 MB, "
        "within its limit of 25 MiB per file; host files: _headers."
    )
    assert received(tmp_path, (), None).describe(HOSTS["folder"]) == (
        "For any folder or bucket: 3 files, 3.5 MB; the largest, pyodide/big.wasm, is 2 MB, "
        "with no per-file limit."
    )
