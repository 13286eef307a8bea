"""Every term a user of the suite can see has a zh_CN translation.

The terms come from Odoo's own export reader, the one that writes the .pot
files, run on the test database, where ``make test`` installed the suite with
zh_CN loaded.
"""

import logging

import polib
import pytest

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

from .common import ADDONS, PRESENT_MODULES

LANG = "zh_CN"
LISTED_TERMS = 30  # terms shown per module when a template is out of date


def _po_entries(path):
    """Return the live (not obsolete) entries of a .po or .pot file."""
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def _catalog(module):
    return ADDONS / module / "i18n" / f"{LANG}.po"


def _template(module):
    return ADDONS / module / "i18n" / f"{module}.pot"


class _RecordErrors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        message = record.getMessage()
        if record.exc_info:
            message += f": {record.exc_info[1]!r}"
        self.messages.append(message)


@tagged("standard", "post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.modules = sorted(
            cls.env["ir.module.module"]
            .search([("name", "=like", "qicai\\_%"), ("state", "=", "installed")])
            .mapped("name")
        )
        # The reader logs, and then skips, a source file it cannot parse.
        errors = _RecordErrors()
        logger = logging.getLogger("odoo.tools.translate")
        logger.addHandler(errors)
        try:
            # (module, kind, name, res_id, source, zh_CN value or '', comments)
            cls.terms = list(
                TranslationModuleReader(cls.env.cr, cls.modules, lang=LANG)
            )
        finally:
            logger.removeHandler(errors)
        cls.extraction_errors = errors.messages

    def test_suite_installed_with_zh_cn(self):
        self.assertEqual(self.modules, sorted(PRESENT_MODULES))
        self.assertTrue(self.env["res.lang"]._lang_get(LANG).active)

    def test_terms_extract_cleanly(self):
        self.assertFalse(
            self.extraction_errors,
            "Odoo's term export could not read these files, so their strings are "
            "missing from the .pot and cannot be translated. Babel 2.10.3, pinned by "
            "Odoo 18 for Python 3.11, fails on an f-string among the arguments of _(): "
            "compute such a value before the call.\n"
            + "\n".join(self.extraction_errors),
        )

    def test_every_term_translated(self):
        no_catalog, missing = [], []
        for module in self.modules:
            module_terms = [term for term in self.terms if term[0] == module]
            if not _catalog(module).is_file():
                no_catalog.append(
                    f"{module}: no i18n/{LANG}.po, {len(module_terms)} terms"
                )
                continue
            catalog = {
                entry.msgid: entry.msgstr
                for entry in _po_entries(_catalog(module))
                if entry.msgstr
            }
            for _module, kind, name, _res_id, source, value, _comments in module_terms:
                if value:
                    continue
                po_value = catalog.get(source)
                if kind in ("model", "model_terms") and po_value == source:
                    # Odoo stores no translation equal to its source, so a
                    # term kept unchanged on purpose reads as untranslated.
                    continue
                hint = ""
                if po_value:
                    hint = (
                        f" ({LANG}.po translates it, but Odoo did not load that: "
                        "compare the entry's '#.' and '#:' lines with the .pot)"
                    )
                missing.append(f"{module} {kind} {name}: {source!r}{hint}")
        self.assertFalse(
            no_catalog + missing,
            f"{len(missing)} term(s) have no {LANG} translation. Regenerate the "
            "template with 'python3 tools/qicai.py pot <module>', then translate "
            f"every msgid in addons/<module>/i18n/{LANG}.po:\n"
            + "\n".join(no_catalog + sorted(missing)),
        )

    def test_templates_list_every_term(self):
        stale = []
        for module in self.modules:
            if not _template(module).is_file():
                stale.append(f"{module}: no i18n/{module}.pot")
                continue
            listed = {entry.msgid for entry in _po_entries(_template(module))}
            unlisted = sorted(
                {term[4] for term in self.terms if term[0] == module} - listed
            )
            if unlisted:
                preview = ", ".join(map(repr, unlisted[:LISTED_TERMS]))
                more = len(unlisted) - LISTED_TERMS
                stale.append(
                    f"{module}.pot lacks {len(unlisted)} term(s): {preview}"
                    + (f" and {more} more" if more > 0 else "")
                )
        self.assertFalse(
            stale,
            "Translation templates are out of date; regenerate them with "
            "'python3 tools/qicai.py pot <module>':\n" + "\n".join(stale),
        )


@pytest.mark.parametrize("module", PRESENT_MODULES)
def test_module_ships_complete_zh_cn_po(module):
    template, catalog = _template(module), _catalog(module)
    assert template.is_file(), (
        f"{module} has no i18n/{module}.pot; run 'python3 tools/qicai.py pot {module}'"
    )
    assert catalog.is_file(), (
        f"{module} has no i18n/{LANG}.po; copy {module}.pot to it and translate it"
    )

    language = polib.pofile(str(catalog)).metadata.get("Language")
    assert language == LANG, f"{module}/i18n/{LANG}.po declares Language {language!r}"

    entries = _po_entries(catalog)
    empty = [entry.msgid for entry in entries if not entry.msgstr]
    assert not empty, f"{module}/i18n/{LANG}.po has {len(empty)} empty msgstr: {empty}"

    translated = {entry.msgid for entry in entries}
    untranslated = sorted({entry.msgid for entry in _po_entries(template)} - translated)
    assert not untranslated, (
        f"{module}/i18n/{LANG}.po lacks {len(untranslated)} msgid(s) of "
        f"{module}.pot: {untranslated}"
    )
