"""Suite-level tests of the Qicai addons, collected by ``make test``.

They check what no single module can check about itself: manifests and the
one-way dependency order, complete zh_CN translations, each module installing
and upgrading alone, and the web client of the whole suite in Chromium. They
run on the modules present under addons/, so a module that is not written yet
is left out rather than skipped.
"""
