"""Checks of the addon's translation files (run by tools/i18n.sh).

    i18n_check.py POT ADDON_DIR        every message the Python code marks with _(), _lt() or
                                       env._() is in the template, and is a literal string
    i18n_check.py --po POT PO [PO...]  every translation keeps its message's placeholders
                                       (%(name)s, %s, {{ ... }}) and dynamic QWeb markup
                                       (t-out, t-esc, t-att..., t-if ...), and the .po files
                                       hold the template's messages, no more, no fewer
    i18n_check.py --lint POT ADDON_DIR PO [PO...]
                                       (tools/lint.sh) a broken placeholder is an error; a
                                       message of the code missing from the template, or one
                                       not translated, is a warning (other branches add
                                       messages: tools/i18n.sh brings them in)

Odoo's exporter marks no entry python-format, so ``msgfmt -c`` does not compare
placeholders: a translation that loses ``%(name)s`` would only fail when the message is
shown. These checks catch it before.
"""
import ast
import collections
import pathlib
import re
import sys

import polib

MARKERS = {"_", "_lt"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{.*?\}\}")
DYNAMIC_ATTRIBUTE = re.compile(r"""\st-[\w-]+=("[^"]*"|'[^']*')""")


def unreadable_calls(addon_dir):
    """(file, line) of each _() / env._() call given an f-string as a direct argument:
    Odoo's exporter (babel) evaluates the string literals of the call and gives up on the
    whole file, so every message of that file would be missing from the template."""
    for relative, node in _marked_calls(addon_dir):
        values = [*node.args, *(keyword.value for keyword in node.keywords)]
        if any(isinstance(value, ast.JoinedStr) for value in values):
            yield relative, node.lineno


def _marked_calls(addon_dir):
    for path in sorted(pathlib.Path(addon_dir).rglob("*.py")):
        relative = path.relative_to(addon_dir)
        if relative.parts[0] in ("tests", "tools", "bench", ".build"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in MARKERS:
                yield relative, node


def marked_messages(addon_dir):
    """(file, line, message or None) of each _() / env._() call of the addon's Python code
    (tests excluded); None when the message is not a literal string the exporter can read."""
    for relative, node in _marked_calls(addon_dir):
        first = node.args[0]
        literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        yield relative, node.lineno, literal


def check_template(pot_path, addon_dir, quiet=False):
    msgids = {entry.msgid for entry in polib.pofile(pot_path)}
    missing, not_literal, count = [], [], 0
    for relative, line, message in marked_messages(addon_dir):
        count += 1
        if message is None:
            not_literal.append(f"{relative}:{line}")
        elif message not in msgids:
            missing.append(f"{relative}:{line}: {message!r}")
    for what, items in (("not in the template", missing), ("not a literal string", not_literal)):
        for item in items[:5] if quiet else items:
            print(f"[i18n] message {what}: {item}")
    if not quiet:
        print(f"[i18n] {count} messages marked in the Python code, {count - len(missing) - len(not_literal)} exported")
    elif missing or not_literal:
        print(f"[i18n] warning: {len(missing) + len(not_literal)} messages of the code are not in the "
              "template: run tools/i18n.sh, then translate")
    return not (missing or not_literal)


def check_translations(pot_path, po_paths, lint=False):
    template = {entry.msgid for entry in polib.pofile(pot_path)}
    ok = True
    for po_path in po_paths:
        po = polib.pofile(po_path)
        msgids = {entry.msgid for entry in po if not entry.obsolete}
        if lint:
            todo = sum(1 for entry in po if not entry.obsolete and (not entry.msgstr or entry.fuzzy))
            if todo or msgids != template:
                print(f"[i18n] warning: {po_path}: {todo} messages untranslated or fuzzy, "
                      f"{len(template - msgids)} of the template missing: run tools/i18n.sh, then translate")
        elif msgids != template:
            ok = False
            print(f"[i18n] {po_path}: {len(template - msgids)} messages of the template missing, "
                  f"{len(msgids - template)} not in the template: run tools/i18n.sh")
        for entry in po:
            if entry.obsolete or not entry.msgstr:
                continue
            for what, pattern in (("placeholders", PLACEHOLDER), ("QWeb attributes", DYNAMIC_ATTRIBUTE)):
                wanted = collections.Counter(pattern.findall(entry.msgid))
                got = collections.Counter(pattern.findall(entry.msgstr))
                if wanted != got:
                    ok = False
                    print(f"[i18n] {po_path}: {what} differ in the translation of {entry.msgid[:70]!r}: "
                          f"{sorted(wanted.elements())} != {sorted(got.elements())}")
    return ok


def main(argv):
    if argv[:1] == ["--lint"]:
        unreadable = list(unreadable_calls(argv[2]))
        for relative, line in unreadable:
            print(f"[i18n] {relative}:{line}: an f-string among the arguments of _(): Odoo's exporter "
                  "skips the whole file; format the value before the call (e.g. format(x, '.1f'))")
        check_template(argv[1], argv[2], quiet=True)
        return 0 if check_translations(argv[1], argv[3:], lint=True) and not unreadable else 1
    if argv[:1] == ["--po"]:
        return 0 if check_translations(argv[1], argv[2:]) else 1
    return 0 if check_template(argv[0], argv[1]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
