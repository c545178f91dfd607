"""pytest plugin for this checkout (loaded by tools/test.sh with ``-p``).

pytest-odoo names a test module after the folder that holds the addon's manifest, but a
checkout may sit in a folder of any name (CI clones into a temporary one). Odoo imports the
addon as ``odoo.addons.service_order`` through the addons path set up by tools/setup.sh,
so every file of this checkout is imported under that name.
"""
import os
from pathlib import Path

import _pytest.pathlib

REPO = Path(__file__).resolve().parent.parent
ADDON = "service_order"


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
