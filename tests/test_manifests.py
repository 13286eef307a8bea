"""Manifests of the suite: OCA keys, one-way dependencies, files they name."""

import glob
import re

import pytest

from .common import ADDONS, MODULES, PRESENT_MODULES, read_manifest

# Suite modules each module may depend on. The order is one-way:
# qicai_station <- qicai_maintenance <- {qicai_inspection, qicai_spares,
# qicai_training}, and qicai_station <- qicai_docs.
ALLOWED_SUITE_DEPENDENCIES = {
    "qicai_station": set(),
    "qicai_maintenance": {"qicai_station"},
    "qicai_docs": {"qicai_station"},
    "qicai_inspection": {"qicai_station", "qicai_maintenance"},
    "qicai_spares": {"qicai_station", "qicai_maintenance"},
    "qicai_training": {"qicai_station", "qicai_maintenance"},
}
# Values the OCA accepts for ``development_status``.
DEVELOPMENT_STATUSES = {"Alpha", "Beta", "Production/Stable", "Mature"}
VERSION = re.compile(r"18\.0\.\d+\.\d+\.\d+")
# Folders whose text may name any module: translations and documentation.
UNSCANNED_FOLDERS = {"i18n", "i18n_extra", "readme", "description"}


def test_every_suite_module_is_known():
    found = sorted(path.parent.name for path in ADDONS.glob("qicai_*/__manifest__.py"))
    unknown = [name for name in found if name not in MODULES]
    assert not unknown, (
        f"addons/ holds suite modules that tools/qicai.py does not list: {unknown}. "
        "Add them to MODULES there and to ALLOWED_SUITE_DEPENDENCIES in this file."
    )
    assert set(ALLOWED_SUITE_DEPENDENCIES) == set(MODULES)
    assert PRESENT_MODULES, "addons/ holds no suite module"


@pytest.mark.parametrize("module", PRESENT_MODULES)
def test_manifest_has_oca_keys(module):
    manifest = read_manifest(module)
    problems = []
    if not VERSION.fullmatch(str(manifest.get("version", ""))):
        problems.append(
            f"version {manifest.get('version')!r} is not of the form 18.0.x.y.z"
        )
    for key in ("name", "summary", "license", "author", "category"):
        if not manifest.get(key):
            problems.append(f"{key} is missing or empty")
    maintainers = manifest.get("maintainers")
    if not isinstance(maintainers, list) or not maintainers:
        problems.append(f"maintainers {maintainers!r} is not a non-empty list")
    status = manifest.get("development_status")
    if status not in DEVELOPMENT_STATUSES:
        problems.append(
            f"development_status {status!r} is not one of "
            f"{sorted(DEVELOPMENT_STATUSES)}"
        )
    if manifest.get("installable") is False:
        problems.append("installable is False")
    assert not problems, f"{module}/__manifest__.py: " + "; ".join(problems)


def test_suite_shares_one_license():
    licenses = {
        module: read_manifest(module).get("license") for module in PRESENT_MODULES
    }
    assert len(set(licenses.values())) == 1, (
        f"The suite has one license, but the manifests declare {licenses}"
    )


@pytest.mark.parametrize("module", PRESENT_MODULES)
def test_dependencies_point_down(module):
    depends = read_manifest(module).get("depends", [])
    suite_depends = {name for name in depends if name.startswith("qicai_")}
    upward = sorted(suite_depends - ALLOWED_SUITE_DEPENDENCIES[module])
    assert not upward, (
        f"{module} depends on {upward}, but it may only depend on "
        f"{sorted(ALLOWED_SUITE_DEPENDENCIES[module]) or 'no suite module'}. "
        "Move the code that needs them into the higher module, or add an "
        "extension point (a hook method or a registered record) that it fills."
    )


@pytest.mark.parametrize("module", PRESENT_MODULES)
def test_code_names_only_dependencies(module):
    """A module names no XML id, import or asset of a suite module it may not use.

    Those are the modules above it in the dependency order and its siblings,
    which may be absent. References look like ``qicai_docs.some_xml_id``,
    ``odoo.addons.qicai_docs`` or ``@qicai_docs/``. A module name in running
    text is not flagged.
    """
    forbidden = sorted(set(MODULES) - ALLOWED_SUITE_DEPENDENCIES[module] - {module})
    names = "|".join(forbidden)
    reference = re.compile(rf"odoo\.addons\.({names})\b|(?<!\w)@?({names})[./]")
    findings = []
    for path in sorted((ADDONS / module).rglob("*")):
        relative = path.relative_to(ADDONS)
        if not path.is_file() or UNSCANNED_FOLDERS & set(relative.parts):
            continue
        if path.suffix not in {".py", ".xml", ".csv", ".js", ".scss"}:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = reference.search(line)
            if match:
                name = match.group(1) or match.group(2)
                findings.append(f"{relative}:{number} names {name}: {line.strip()}")
    assert not findings, (
        f"{module} refers to suite modules it does not depend on, which may be "
        "absent:\n" + "\n".join(findings)
    )


def _asset_paths(assets):
    """Yield the file paths and globs named in a manifest's ``assets``."""
    for entries in assets.values():
        for entry in entries:
            if isinstance(entry, str):
                yield entry
            elif isinstance(entry, (list, tuple)) and "/" in str(entry[-1]):
                yield entry[-1]


@pytest.mark.parametrize("module", PRESENT_MODULES)
def test_manifest_files_exist(module):
    manifest = read_manifest(module)
    missing = []
    for key in ("data", "demo"):
        for name in manifest.get(key, []):
            if not (ADDONS / module / name).is_file():
                missing.append(f"{key}: {name}")
    for pattern in _asset_paths(manifest.get("assets", {})):
        if pattern.startswith(f"{module}/") and not glob.glob(
            str(ADDONS / pattern), recursive=True
        ):
            missing.append(f"assets: {pattern}")
    assert not missing, (
        f"{module}/__manifest__.py names files that do not exist: {missing}"
    )
