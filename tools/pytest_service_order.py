"""pytest plugin for this checkout (loaded by tools/test.sh with ``-p``).

pytest-odoo names a test module after the folder that holds the addon's manifest, but a
checkout may sit in a folder of any name (CI clones into a temporary one). Odoo imports the
addon as ``odoo.addons.service_order`` through the addons path set up by tools/setup.sh,
so every file of this checkout is imported under that name.

Under pytest-xdist (tools/test.sh runs one worker per core, up to 4), pytest-odoo gives each
worker its own copy of the test database; this plugin also gives each copy its own
filestore (hard links of the original's files, made in milliseconds) instead of
pytest-odoo's shared one: two databases writing, migrating and collecting files in one
folder see each other's files come and go. And it hands out the browser tours first, the
longest classes, so that no worker is left with a long class at the end.
"""
import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import _pytest.pathlib

REPO = Path(__file__).resolve().parent.parent
ADDON = "service_order"
LONGEST_FIRST = ("test_tours",)  # module names: the browser tours, 4-15 s each


def pytest_configure(config):
    original = _pytest.pathlib.resolve_pkg_root_and_module_name

    def resolve_pkg_root_and_module_name(path, *, consider_namespace_packages=False):
        try:
            relative = Path(os.path.realpath(path)).relative_to(REPO)
        except ValueError:
            return original(path, consider_namespace_packages=consider_namespace_packages)
        parts = list(relative.with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts.pop()
        return REPO / ".build" / "addons", ".".join(["odoo", "addons", ADDON, *parts])

    _pytest.pathlib.resolve_pkg_root_and_module_name = resolve_pkg_root_and_module_name
    if os.getenv("PYTEST_XDIST_WORKER"):
        import pytest_odoo

        pytest_odoo._shared_filestore = _own_filestore


@contextlib.contextmanager
def _own_filestore(original_db_name, db_name):
    """The worker's database gets a filestore of its own: the original's files hard-linked
    (Odoo never rewrites a stored file: a new content is a new file), removed at the end."""
    import odoo

    if original_db_name == db_name:
        yield
        return
    source, target = (Path(odoo.tools.config.filestore(name)) for name in (original_db_name, db_name))
    shutil.rmtree(target, ignore_errors=True)
    if source.is_dir():
        subprocess.run(["cp", "-al", str(source), str(target)], check=True)
    try:
        yield
    finally:
        shutil.rmtree(target, ignore_errors=True)


def pytest_collection_modifyitems(session, config, items):
    """The browser tours first (stable sort: the rest keeps its order); under xdist's
    ``--dist loadscope`` the longest classes are then shared out before the short ones."""
    items.sort(key=lambda item: not item.module.__name__.rsplit(".", 1)[-1].startswith(LONGEST_FIRST))
