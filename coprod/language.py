"""Cymraeg and English: which language a person reads, and the catalogues behind it.

Flask-Babel reads the gettext catalogues in coprod/translations (English message ids, a Welsh
and an English catalogue). A person's choice is kept in a cookie; `?lang=cy` or `?lang=en` on
any page makes the choice (a plain link, so switching keeps the page you are on), then the
cookie, then the browser's languages, then English. coprod.catalogue keeps the catalogues.
"""

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_app_context, has_request_context, request
from flask_babel import Babel, force_locale, get_locale, get_translations

from .domain import i18n

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("cy", "en")  # Welsh first: the Active Offer puts Welsh first, never behind English
DEFAULT_LANGUAGE = "en"
COOKIE = "coprod_lang"
COOKIE_SECONDS = 365 * 24 * 3600
# The name of each language in itself, for the switch (never translated).
NATIVE_NAMES = {"cy": "Cymraeg", "en": "English"}
HTML_LANG = {"cy": "cy", "en": "en-GB"}

babel = Babel()


def init_language(app: Flask) -> None:
    """Wire Flask-Babel, the domain's translator, the cookie and the page globals."""
    compile_catalogues()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=chosen_language)
    i18n.install_translator(_translate)
    app.after_request(_remember_choice)
    app.jinja_env.globals.update(current_language=current_language, html_lang=html_lang,
                                 language_links=language_links, NATIVE_NAMES=NATIVE_NAMES)


def chosen_language() -> str:
    """The language this request reads in: `?lang=`, then the cookie, then the browser's."""
    if not has_request_context():  # a command or a job: the language set for the install
        return current_app.config.get("LANGUAGE", DEFAULT_LANGUAGE)
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get(COOKIE)
    if kept in LANGUAGES:
        return kept
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """"cy" or "en": the language being shown now (English outside a request)."""
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT_LANGUAGE


def html_lang() -> str:
    """The page's `lang` attribute for the language being shown."""
    return HTML_LANG[current_language()]


def language_links(page: str | None = None) -> list[dict]:
    """The switch: each language, its own name and the link to `page` in it.

    `page` defaults to this page. A page drawn in answer to a form names the page the form is
    on instead: the form's own address may take only POST."""
    path, _mark, query = (page or request.full_path).partition("?")
    args = [(key, value) for key, value in parse_qsl(query) if key != "lang"]
    return [{"code": code, "name": NATIVE_NAMES[code], "lang": HTML_LANG[code],
             "current": code == current_language(),
             "url": path + "?" + urlencode([*args, ("lang", code)])}
            for code in LANGUAGES]


@contextmanager
def in_language(code: str):
    """Show everything inside in `code` ("cy" or "en"), whoever is asking (exports, e-mails)."""
    with force_locale(code if code in LANGUAGES else DEFAULT_LANGUAGE):
        yield


def in_each_language(message) -> dict[str, str]:
    """`message` read in Welsh and in English: {"cy": ..., "en": ...}."""
    words = {}
    for code in LANGUAGES:
        with in_language(code):
            words[code] = str(message)
    return words


def plural_forms(singular: str, plural: str, **values) -> dict[str, str]:
    """A message that depends on a count, for the browser: one pattern per CLDR plural category
    of the language shown (Welsh has six), for `Intl.PluralRules` to choose from. `%(count)s`
    stays in for the browser to fill."""
    locale = get_locale() or Locale.parse(DEFAULT_LANGUAGE)
    forms = {}
    for count in range(0, 200):  # the first number of each category is its example
        category = locale.plural_form(count)
        if category not in forms:
            pattern = get_translations().ungettext(singular, plural, count)
            forms[category] = pattern % {**values, "count": "%(count)s"} if values else pattern
    return forms


def _translate(singular: str, plural: str | None, count: int | None) -> str:
    if not has_app_context():
        return singular if plural is None or count == 1 else plural
    translations = get_translations()
    if plural is None:
        return translations.ugettext(singular)
    return translations.ungettext(singular, plural, count)


def _remember_choice(response):
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


def compile_catalogues() -> None:
    """Compile each catalogue (.po) whose compiled copy (.mo) is missing or older.

    Done at start-up so every way of starting coprod reads the catalogues as they are in the
    repository; written to a temporary file and renamed, so two workers starting together
    never read half a file.
    """
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        partial = mo_path.with_suffix(f".mo.{id(catalog)}")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        partial.replace(mo_path)
