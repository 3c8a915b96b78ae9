#!/usr/bin/env bash
# uv: build the project, then make the macOS wheels' platform tags tell the truth before anything
# else (an install, a cache, an upload) trusts their names. Run from the project's folder.
set -euo pipefail

# Builds the sdist and the wheel into dist/. On a universal2 Python the wheel is named universal2
# whatever the compiler produced; MACOSX_DEPLOYMENT_TARGET, when set, is also retag's floor.
uv build

# Fixes every wheel in dist/ in place: a wrongly tagged wheel is rewritten under its true name and
# the old file removed; a correct one is not touched. The script fails (exit 1) when a wheel has a
# problem no tag can fix, such as an extension that exports no PyInit_ function. uvx runs retag from
# PyPI in a cached environment; on macOS that brings its own Node.js, elsewhere it uses the node on
# PATH (or `uvx --from 'wheel-retag[node]' wheel-retag dist/*.whl` brings one).
uvx wheel-retag dist/*.whl
