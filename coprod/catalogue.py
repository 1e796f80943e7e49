"""Keep the Welsh and English catalogues whole: extract, update, import a review, check.

    python -m coprod.catalogue update             # new and changed strings into both catalogues
    python -m coprod.catalogue import FILE.po     # a translator's Welsh, marked "not yet checked"
    python -m coprod.catalogue import --checked FILE.po   # a Welsh speaker's reviewed wording
    python -m coprod.catalogue check              # what is missing, untranslated or unmarked

docs/translation.md explains the workflow for a health board's Welsh language team; `make test`
runs `check` (tests/test_catalogue.py).
"""

import argparse
import fcntl
import re
import sys
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.checkers import python_format
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "coprod" / "translations"
TEMPLATE_FILE = TRANSLATIONS / "messages.pot"
# Where marked strings live: Python (`_`, `ngettext`) and templates (`_()`, `{% trans %}`).
SOURCES = [ROOT / "coprod", ROOT / "templates"]
METHOD_MAP = [("**.py", "python"), ("**.html", "jinja2")]
JINJA_OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
# The comment on a Welsh wording no Welsh speaker has checked yet (kept by `update`).
UNCHECKED = "Not yet checked by a Welsh speaker."
PROJECT = "coprod"


def catalogue_path(language: str) -> Path:
    """The .po file for `language`."""
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every marked string in the code and templates, with where it is used."""
    catalog = Catalog(project=PROJECT, charset="utf-8")
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                source, METHOD_MAP, options_map=JINJA_OPTIONS, keywords=KEYWORDS,
                comment_tags=("Translators:",), strip_comment_tags=True):
            where = (str((source / filename).relative_to(ROOT)), lineno)
            catalog.add(message, None, [where], auto_comments=comments, context=context)
    return catalog


def read(language: str) -> Catalog:
    """The catalogue for `language` as it is on disk."""
    with catalogue_path(language).open("rb") as po_file:
        return read_po(po_file, locale=language)


def write(catalog: Catalog, path: Path) -> None:
    """Write a catalogue with stable wrapping, so diffs show only real changes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A new catalogue's header is marked fuzzy, and `pybabel compile` skips a fuzzy catalogue.
    catalog.fuzzy = False
    catalog.project, catalog.version = PROJECT, "1"
    catalog.copyright_holder = "the coprod contributors"
    catalog.msgid_bugs_address = "the coprod issue tracker"
    if catalog.locale_identifier == "cy":
        catalog.language_team = "Welsh language team of the health board (docs/translation.md)"
    with path.open("wb") as po_file:
        write_po(po_file, catalog, width=100, sort_output=False, ignore_obsolete=True)


def update() -> dict[str, int]:
    """Bring both catalogues up to the code: new strings in, gone ones out. Returns the sizes."""
    template = extract()
    write(template, TEMPLATE_FILE)
    sizes = {}
    for language in ("cy", "en"):
        path = catalogue_path(language)
        catalog = read(language) if path.exists() else Catalog(locale=language, project=PROJECT)
        catalog.update(template, no_fuzzy_matching=True)
        write(catalog, path)
        sizes[language] = len(catalog)
    return sizes


def import_translations(path: Path, *, checked: bool) -> int:
    """Copy the Welsh wordings in `path` into the Welsh catalogue. Returns how many changed."""
    with path.open("rb") as po_file:
        incoming = read_po(po_file, locale="cy")
    welsh = read("cy")
    changed = 0
    for message in incoming:
        if not message.id or not message.string or message.id not in welsh:
            continue
        target = welsh[message.id]
        comments = [c for c in target.user_comments if c != UNCHECKED]
        target.user_comments = comments if checked else [*comments, UNCHECKED]
        if target.string != message.string:
            target.string = message.string
            changed += 1
    write(welsh, catalogue_path("cy"))
    return changed


def todo(prefixes: list[str]) -> Catalog:
    """The messages used in files under `prefixes` that have no Welsh yet, as a catalogue to
    fill in (write it out, translate, then `import` it)."""
    welsh = read("cy")
    missing = Catalog(locale="cy", project=PROJECT)
    for message in extract():
        used_there = any(file.startswith(tuple(prefixes)) for file, _line in message.locations)
        known = welsh.get(message.id)
        done = known is not None and all(
            known.string if isinstance(known.string, tuple) else (known.string,))
        if message.id and used_there and not done:
            missing.add(message.id, None, message.locations, auto_comments=message.auto_comments)
    return missing


def problems() -> list[str]:
    """Everything that would put English or a message id where Welsh belongs, in words."""
    template = extract()
    found = []
    for language in ("cy", "en"):
        catalog = read(language)
        for message in template:
            if message.id and message.id not in catalog:
                found.append(f"{language}: missing {_first_line(message.id)!r} ({_where(message)})")
    welsh = read("cy")
    for message in welsh:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            found.append(f"cy: not translated {_first_line(message.id)!r}")
            continue
        if "fuzzy" in message.flags:
            found.append(f"cy: fuzzy (gettext would skip it) {_first_line(message.id)!r}")
        try:
            python_format(welsh, message)
        except Exception as error:  # babel raises TranslationError for a placeholder mismatch
            found.append(f"cy: placeholders differ in {_first_line(message.id)!r}: {error}")
    found.extend(unmarked_template_text())
    return found


def coverage() -> dict:
    """Catalogue sizes and how much of the Welsh a Welsh speaker has checked."""
    welsh, english = read("cy"), read("en")
    translated = [m for m in welsh if m.id and all(
        m.string if isinstance(m.string, tuple) else (m.string,))]
    unchecked = [m for m in translated if UNCHECKED in m.user_comments]
    return {"messages": len([m for m in extract() if m.id]),
            "cy": len([m for m in welsh if m.id]), "en": len([m for m in english if m.id]),
            "cy_translated": len(translated), "cy_unchecked": len(unchecked)}


# Template text that is not people's words: the product's name and symbols.
_NOT_WORDS = {"coprod"}
# Attributes people read or hear.
_READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-roledescription",
                    "aria-valuetext", "data-label"}
_JINJA = re.compile(r"\{#.*?#\}|\{%-?\s*trans\b.*?endtrans\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}", re.S)
_LETTERS = re.compile(r"[A-Za-z]{2,}")


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in _READ_ATTRIBUTES or (name == "value" and tag == "input" and
                                            dict(attrs).get("type") in ("submit", "button")):
                self._check(value or "", f"{tag}[{name}]")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._check(data, "text")

    def _check(self, text, where):
        words = [w for w in _LETTERS.findall(text) if w.lower() not in _NOT_WORDS]
        if words:
            self.found.append((where, " ".join(text.split())[:60]))


def unmarked_template_text() -> list[str]:
    """Words in a template that do not go through the catalogue (`_()` or `{% trans %}`)."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        finder = _TextFinder()
        finder.feed(_JINJA.sub(" ", path.read_text(encoding="utf-8")))
        found.extend(f"{path.relative_to(ROOT)}: unmarked {where} {text!r}"
                     for where, text in finder.found)
    return found


def _first_line(text) -> str:
    text = text[0] if isinstance(text, tuple) else text  # a plural message: its singular
    return text.splitlines()[0][:70]


def _where(message) -> str:
    return ", ".join(f"{file}:{line}" for file, line in message.locations[:2])


@contextmanager
def _locked():
    # Two people (or two terminals) updating at once would each write half the other's work.
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    with (TRANSLATIONS / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def main(argv=None) -> int:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m coprod.catalogue")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="new and changed strings into both catalogues")
    importing = commands.add_parser("import", help="Welsh wordings from a .po file")
    importing.add_argument("files", nargs="+", type=Path)
    importing.add_argument("--checked", action="store_true",
                           help="a Welsh speaker has checked these wordings")
    commands.add_parser("check", help="list what is missing, untranslated or unmarked")
    commands.add_parser("coverage", help="catalogue sizes and how much is checked")
    needed = commands.add_parser("todo", help="print untranslated messages used under PATHS as a .po")
    needed.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    with _locked():
        if args.command == "update":
            print("Catalogue sizes:", update())
        elif args.command == "import":
            update()
            for file in args.files:
                print(f"{file}: {import_translations(file, checked=args.checked)} wordings changed")
        elif args.command == "todo":
            write_po(sys.stdout.buffer, todo(args.paths), width=100, omit_header=True)
        elif args.command == "coverage":
            print(coverage())
        else:
            found = problems()
            print("\n".join(found) or "The catalogues are complete.")
            return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
