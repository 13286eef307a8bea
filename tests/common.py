"""Helpers shared by the suite-level tests."""

import ast

from tools.qicai import ADDONS, MODULES, present_modules

__all__ = ["ADDONS", "MODULES", "PRESENT_MODULES", "read_manifest"]

# Listed once, so that every parametrized test uses the same modules.
PRESENT_MODULES = present_modules()


def read_manifest(module):
    """Return the manifest of ``module`` as written in its __manifest__.py."""
    return ast.literal_eval((ADDONS / module / "__manifest__.py").read_text())
