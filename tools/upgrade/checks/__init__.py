"""The checks of each version's migration: ``checks/<version>.py`` beside this file, one per
version that ships a migration. Each may define

    before(cr) -> data      on the database before the update (plain SQL: any source)
    after(env, data)        on the updated database, under the new code; raises
                            AssertionError when the migration lost or changed something

Every checks file runs for every upgrade source, as every migration script does (each source
says an older version): a check looks at what the source has, and checks what applies.
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


def run_before(cr):
    return {version: module.before(cr) for version, module in _modules() if hasattr(module, "before")}


def run_after(env, data):
    done = []
    for version, module in _modules():
        if hasattr(module, "after"):
            module.after(env, data.get(version))
            done.append(version)
    return done
