"""The addon's PEP 517 build backend (pyproject.toml, ``backend-path = ["tools"]``): OCA's whool,
run on a copy of the addon in a folder named ``service_order``.

whool names the distribution after the folder that holds the manifest (``odoo-addon-<folder>``)
and packages every file git knows. This repository is the addon, cloned into a folder of any
name (``main``, a CI's temporary folder), and it holds tooling that is not part of the addon.
So the build copies the files git knows, less tools/, bench/, docs/ and .ci/, into a folder
named ``service_order`` and lets whool build there: ``pip wheel --no-deps .`` gives
``odoo_addon_service_order-<version>-py3-none-any.whl`` from any clone. The version is the
manifest's (the copy has no git history for whool's post-release numbering). An sdist holds
this file too, so that a wheel can be built from it; the wheel never does. Editable installs
are not offered: put the repository on the addons path instead (README, Installation).
"""
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from whool import buildapi as whool

ADDON = "service_order"
ROOT = Path(__file__).resolve().parent.parent
TOOLING = ("tools/", "bench/", "docs/", ".ci/", ".build/", "dist/", "build/")
BACKEND = "tools/build_backend.py"


def _addon_files():
    """The files of the addon: those git knows (or, in an unpacked sdist, every file)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, check=True, capture_output=True).stdout.decode()
        files = [name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        files = [path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*") if path.is_file()]
    return sorted(name for name in files if not name.startswith(TOOLING) and (ROOT / name).is_file())


@contextmanager
def _in_copy(extra=()):
    """Run in a copy of the addon's files named ADDON (with ``extra`` files of the repository)."""
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / ADDON
        for name in [*_addon_files(), *extra]:
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, stage / name)
        os.chdir(stage)
        try:
            yield
        finally:
            os.chdir(cwd)


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = os.path.abspath(metadata_directory)
    with _in_copy():
        return whool.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = os.path.abspath(wheel_directory)
    with _in_copy():
        return whool.build_wheel(wheel_directory, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = os.path.abspath(sdist_directory)
    with _in_copy(extra=[BACKEND] if (ROOT / BACKEND).is_file() else []):
        return whool.build_sdist(sdist_directory, config_settings)
