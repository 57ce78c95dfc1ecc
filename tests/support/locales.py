"""The `en_US.UTF-8` locale native onnxruntime needs, made by the tests when the system lacks it.

onnxruntime's StringNormalizer (scikit-learn's text models) builds a C++ locale named
`en_US.UTF-8` on Linux and fails without it. A fresh Debian has only C, C.utf8 and POSIX,
so the tests make a folder of their own holding a locale by that name and point glibc's
`LOCPATH` at it: compiled with `localedef` from the `locales` package's sources when they
are there, or else glibc's own `C.utf8` under that name (libc-bin ships it, and it holds
Unicode's case mappings, all StringNormalizer uses).
"""

from __future__ import annotations

import locale
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

NAME = "en_US.UTF-8"
ALIASES = ("en_US.utf8",)  # the name glibc normalises the codeset to
SOURCES = Path("/usr/share/i18n/locales/en_US")  # Debian's `locales`
C_UTF8 = (Path("/usr/lib/locale/C.utf8"), Path("/usr/lib/locale/C.UTF-8"))


def has_locale(name: str = NAME) -> bool:
    """Whether this process can take on the locale `name` (as onnxruntime's C++ locale does)."""
    current = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, name)
    except locale.Error:
        return False
    finally:
        locale.setlocale(locale.LC_CTYPE, current)
    return True


def make_locale_folder(folder: Path, from_sources: bool = True) -> Path:
    """`folder` holding NAME (and its aliases), made once: compiled from the sources when
    `from_sources` and they are there, else a copy of glibc's C.utf8. Returns `folder`."""
    if (folder / NAME).is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        if not (from_sources and _compiled(partial / NAME)):
            source = next((path for path in C_UTF8 if path.is_dir()), None)
            assert source is not None, f"no {' or '.join(map(str, C_UTF8))}: install Debian's libc-bin"
            shutil.copytree(source, partial / NAME)
        for alias in ALIASES:
            (partial / alias).symlink_to(NAME)
        partial.rename(folder)
    except OSError:
        if not (folder / NAME).is_dir():  # another session made it meanwhile, or not
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def provide_locale(folder: Path, from_sources: bool = True) -> Path | None:
    """Point `LOCPATH` at a folder holding NAME when this system lacks it (before onnxruntime
    builds a StringNormalizer); returns that folder, or None when the system has the locale.
    glibc reads `LOCPATH` whenever a locale is made, so this works in a running process."""
    if has_locale():
        return None
    made = make_locale_folder(folder, from_sources)
    os.environ["LOCPATH"] = os.pathsep.join(filter(None, [str(made), os.environ.get("LOCPATH")]))
    return made


def _compiled(target: Path) -> bool:
    """Compile NAME into `target` with localedef; False when its sources or tool are missing."""
    localedef = shutil.which("localedef")
    if not SOURCES.is_file() or localedef is None:
        return False
    result = subprocess.run(
        [localedef, "-i", "en_US", "-f", "UTF-8", "--no-archive", str(target)], capture_output=True
    )
    return result.returncode <= 1 and target.is_dir()  # 1: compiled, with warnings
