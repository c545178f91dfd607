"""The checks of each version's migration: ``checks/<version>.py`` beside this file, one per
version that ships a migration. Each may define

    before(cr) -> data      on the database before the update (plain SQL: any source)
    after(env, data)        on the updated database, under the new code; raises
                            AssertionError when the migration lost or changed something

A checks file runs for the sources whose version is older than its own, as Odoo runs a
migration's scripts only for a database of an older version (the source's version is read
from the database before the update): a check looks at what the source has, and checks what
applies.
"""
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _version_key(path):
    return tuple(int(part) for part in path.stem.split("."))


def _modules():
    for path in sorted(HERE.glob("[0-9]*.py"), key=_version_key):
        spec = importlib.util.spec_from_file_location(f"upgrade_checks_{path.stem.replace('.', '_')}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield path.stem, module


SOURCE = "source_version"


def _key(version):
    return tuple(int(part) for part in version.split("."))


def _source_version(cr):
    cr.execute("SELECT latest_version FROM ir_module_module WHERE name = 'service_order'")
    row = cr.fetchone()
    return row[0] if row and row[0] else "0.0"


def run_before(cr):
    source = _source_version(cr)
    data = {version: module.before(cr) for version, module in _modules()
            if hasattr(module, "before") and _key(version) > _key(source)}
    data[SOURCE] = source
    return data


def run_after(env, data):
    done = []
    source = data.get(SOURCE, "0.0")
    for version, module in _modules():
        if hasattr(module, "after") and _key(version) > _key(source):
            module.after(env, data.get(version))
            done.append(version)
    return done
