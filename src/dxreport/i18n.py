"""What dxreport says to its users, in their language.

Japanese unless told otherwise: ``--lang en`` on the command line, or the
environment variable ``DXREPORT_LANG=en`` (the option wins). Not the system
locale: the office's PCs and its CI servers differ in it, and the staff read
Japanese either way.

The messages are written in English in the code (gettext's msgids) and
translated by the standard gettext catalogue ``locale/ja/LC_MESSAGES/dxreport.po``
(compiled to ``.mo`` beside it, shipped in the package): a translator edits the
``.po`` file; ``python tools/messages.py`` extracts the messages and compiles the
catalogue (Babel). The catalogue is read on the first message, not at import.
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path

DOMAIN = "dxreport"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("ja", "en")
DEFAULT = "ja"
ENV = "DXREPORT_LANG"

_chosen: str | None = None
_translation: _gettext.NullTranslations | None = None


def language() -> str:
    """The language messages are given in."""
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get(ENV, "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else DEFAULT


def use(lang: str | None) -> None:
    """Give every message from now on in ``lang`` (None: the environment's or the default).

    The standard library's gettext domain is pointed at dxreport's catalogue too,
    so that click's own words (Usage:, Options:, its usage errors) come in the same
    language; and the environment carries the choice to the helper process."""
    global _chosen, _translation
    _chosen = lang if lang in LANGUAGES else None
    _translation = None
    chosen = language()
    os.environ[ENV] = chosen
    os.environ["LANGUAGE"] = chosen
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)


def _catalogue() -> _gettext.NullTranslations:
    global _translation
    if _translation is None:
        _translation = _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[language()], fallback=True)
    return _translation


def _(message: str) -> str:
    """``message`` in the user's language."""
    return _catalogue().gettext(message)


def N_(message: str) -> str:
    """A message marked for the catalogue where it is defined, translated by ``_`` where it is said."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ngettext(singular, plural, n)
