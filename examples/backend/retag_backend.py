"""A PEP 517 build backend that delegates to your real backend, then runs retag on the built wheel.

Use it as an in-tree backend (PEP 517 "backend-path"): copy this file into your project, e.g. as
``build_backend/retag_backend.py``, and in pyproject.toml::

    [build-system]
    requires = ["setuptools>=64"]          # what your real backend needs, unchanged
    build-backend = "retag_backend"
    backend-path = ["build_backend"]

    [tool.retag-backend]
    backend = "setuptools.build_meta"      # the real backend ("module" or "module:object")

Every frontend (pip, build, uv) then gets wheels whose macOS platform tag tells the truth.

It runs on every machine that builds a wheel of your project, including every machine that builds
it from the sdist (``pip install`` of the sdist, a downstream packager), not only your CI: building
a macOS or iOS wheel there needs Node.js >= 20.19 (``npx``), or RETAG_COMMAND pointing at a retag
that runs. Without it the build stops with a message saying so. Other platforms' wheels are
returned untouched and need no Node.

Environment:
    RETAG_BACKEND   the real backend, instead of [tool.retag-backend] backend
    RETAG_COMMAND   how to run retag (default ``npx --yes wheel-retag``), e.g.
                    ``node /path/to/retag/bin/retag.js``; it is split like a shell would
"""

from __future__ import annotations

import importlib
import json
import os
import shlex
import subprocess
import sys

DEFAULT_COMMAND = "npx --yes wheel-retag"

# Wheels retag rewrites: macOS and iOS platform tags (DESIGN §3). Others are returned untouched, so
# a Linux or Windows build needs no Node. The platform tag is the last dash-separated field of the
# wheel file name (PEP 427), possibly a dot-separated set.
APPLE_TAG_PREFIXES = ("macosx_", "ios_")

_real_backend = None


def _backend_spec() -> str:
    spec = os.environ.get("RETAG_BACKEND", "").strip()
    if spec:
        return spec
    # Frontends call the hooks with the project's folder as the working directory (PEP 517).
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # pragma: no cover - older Pythons
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise RuntimeError(
                "retag_backend: set RETAG_BACKEND, or use Python 3.11+ (or install tomli) "
                "to read [tool.retag-backend] from pyproject.toml"
            ) from None
    with open("pyproject.toml", "rb") as f:
        config = tomllib.load(f)
    spec = config.get("tool", {}).get("retag-backend", {}).get("backend")
    if not isinstance(spec, str) or not spec.strip():
        raise RuntimeError(
            'retag_backend: name the real backend in pyproject.toml ([tool.retag-backend] backend = '
            '"setuptools.build_meta") or in RETAG_BACKEND'
        )
    return spec.strip()


def _backend():
    """The real backend object, loaded once. "module:object" follows build-backend's syntax (PEP 517)."""
    global _real_backend
    if _real_backend is None:
        module_name, _, object_path = _backend_spec().partition(":")
        backend = importlib.import_module(module_name.strip())
        for attribute in filter(None, object_path.strip().split(".")):
            backend = getattr(backend, attribute)
        _real_backend = backend
    return _real_backend


def __getattr__(name: str):
    """Every hook this module does not define is the real backend's (PEP 562).

    A hook the real backend lacks stays missing here too (AttributeError), so frontends that look for
    optional hooks such as prepare_metadata_for_build_wheel with hasattr() see what the real backend
    offers.
    """
    if name.startswith("_"):
        raise AttributeError(name)
    return getattr(_backend(), name)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """The real backend's build_wheel, then retag on its wheel. Returns the final basename.

    retag renames a wheel whose tag it fixes, so the name returned may differ from the real
    backend's; PEP 517 lets a backend return any name, and frontends use the one returned.
    """
    built = _backend().build_wheel(wheel_directory, config_settings, metadata_directory)
    if not _is_apple_wheel(built):
        return built
    return _retag(wheel_directory, built)


def _is_apple_wheel(basename: str) -> bool:
    platforms = basename[: -len(".whl")].split("-")[-1].split(".")
    return any(p.startswith(APPLE_TAG_PREFIXES) for p in platforms)


def _retag(wheel_directory: str, basename: str) -> str:
    command = shlex.split(os.environ.get("RETAG_COMMAND", DEFAULT_COMMAND))
    path = os.path.join(wheel_directory, basename)
    # Fix in place. --force: like the real backend, a rebuild replaces a wheel of the same name left
    # in the folder by an earlier build. --format json: the report names the output file.
    try:
        run = subprocess.run([*command, "--force", "--format", "json", path], capture_output=True, text=True)
    except OSError as error:  # FileNotFoundError: no npx / node on PATH; PermissionError: not executable
        raise RuntimeError(
            f"retag_backend: cannot run `{shlex.join(command)}` ({error.strerror or error}) to fix the "
            f"platform tag of {basename}: building a macOS or iOS wheel with this backend needs "
            "Node.js >= 20.19 on PATH (https://nodejs.org), or RETAG_COMMAND set to a command that runs retag"
        ) from None
    # Hook stdout belongs to the frontend; retag's report goes to stderr, where build logs go.
    try:
        result = json.loads(run.stdout)["results"][0]
    except (ValueError, LookupError, TypeError):
        sys.stderr.write(run.stdout + run.stderr)
        raise RuntimeError(f"retag_backend: `{shlex.join(command)}` failed (exit {run.returncode}) on {basename}") from None
    for finding in result.get("fixed", []):
        sys.stderr.write(f"retag: fixed {finding['code']}: {finding['message']}\n")
    for finding in result.get("remaining", []):
        sys.stderr.write(f"retag: {finding['severity']} {finding['code']}: {finding['message']}\n")
    if run.returncode != 0 or not result.get("output"):
        sys.stderr.write(run.stderr)
        raise RuntimeError(
            f"retag_backend: retag refused {basename} (exit {run.returncode}): "
            f"{result.get('error') or 'an error finding no tag can fix, listed above'}"
        )
    final = os.path.basename(result["output"])
    if final != basename:
        sys.stderr.write(f"retag: {basename} -> {final}\n")
    if not os.path.isfile(os.path.join(wheel_directory, final)):
        raise RuntimeError(f"retag_backend: retag reported {final}, but it is not in {wheel_directory}")
    return final
