"""Requirements of the Python hooks as declared: in the metadata or in a file, every bad
entry named (tests/build/test_resolve.py resolves them for Pyodide)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from shipyard.errors import MetadataError, RequirementError
from shipyard.metadata.read import load_metadata
from shipyard.packages.declared import Declared, declared_requirements
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"


def names(declared: Declared) -> list[str]:
    return [str(r) for r in declared.requirements]


def requirements(*texts: str) -> Declared:
    return Declared(tuple(Requirement(t) for t in texts), "metadata.yml", "requirements")


def test_a_list_in_the_metadata_holds_pep_508_requirements(tmp_path: Path) -> None:
    given = {"requirements": ["humanize==4.9.0", "attrs", "tomli; python_version < '3.11'"]}
    declared = declared_requirements(given, tmp_path / "metadata.yml", None)
    assert names(declared) == ["humanize==4.9.0", "attrs", 'tomli; python_version < "3.11"']
    assert (declared.file, declared.key) == (tmp_path / "metadata.yml", "requirements")


def test_every_bad_entry_of_the_list_is_named_at_once(tmp_path: Path) -> None:
    given = {"requirements": ["humanize", 42, "foo==", "bar @ https://example.org/bar.whl"]}
    with pytest.raises(MetadataError) as caught:
        declared_requirements(given, tmp_path / "metadata.yml", None)
    keys = [key for key, _ in caught.value.problems]
    assert keys == ["requirements[1]", "requirements[2]", "requirements[3]"]
    assert "invalid requirement 'foo=='" in str(caught.value) and "direct references" in str(caught.value)


def test_requirements_must_be_a_list_or_a_file_name(tmp_path: Path) -> None:
    with pytest.raises(MetadataError, match="requirements: expected a list of requirements"):
        declared_requirements({"requirements": {"humanize": "4.9"}}, tmp_path / "metadata.yml", None)


def test_a_requirements_file_is_relative_to_the_metadata_and_may_hold_comments(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "requirements.txt").write_text(
        "# what the hooks import\n\nhumanize==4.9.0  # for the price\n   \npython-slugify>=8\n"
    )
    declared = declared_requirements({"requirements": "requirements.txt"}, tmp_path / "app" / "m.yml", None)
    assert names(declared) == ["humanize==4.9.0", "python-slugify>=8"]
    assert (declared.file, declared.key) == (tmp_path / "app" / "requirements.txt", None)


def test_pip_options_and_bad_lines_in_a_file_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("humanize\n-r other.txt\n--index-url=https://example.org/simple\nfoo==\n")
    with pytest.raises(RequirementError) as caught:
        declared_requirements({}, None, path)
    assert [key for key, _ in caught.value.problems] == ["line 2", "line 3", "line 4"]
    message = str(caught.value)
    assert message.startswith(str(path)) and "`-r` are not supported" in message
    assert "`--index-url` are not supported" in message and "Traceback" not in message


def test_the_command_line_file_overrides_the_metadata_and_a_missing_file_is_named(tmp_path: Path) -> None:
    option = tmp_path / "mine.txt"
    option.write_text("humanize\n")
    assert names(declared_requirements({"requirements": ["attrs"]}, tmp_path / "m.yml", option)) == [
        "humanize"
    ]
    with pytest.raises(RequirementError, match="missing.txt: cannot read the requirements file"):
        declared_requirements({"requirements": "missing.txt"}, tmp_path / "m.yml", None)


def test_requirements_stay_out_of_the_apps_spec(tmp_path: Path) -> None:
    path = tmp_path / "metadata.yml"
    path.write_text((HOUSING / "metadata.yml").read_text() + "requirements: [humanize]\n")
    assert "requirements" not in load_metadata(path).to_dict()


# Resolving
