"""The `tbkit` console script of the wheel: replaces itself with the bundled executable."""
import os
import sys
from pathlib import Path


def main() -> None:
    """Runs the bundled tbkit with this process's arguments (exec: same process, same status)."""
    bundled = Path(__file__).resolve().parent / "_bin" / "tbkit"
    if not bundled.exists():
        sys.exit(f"tbkit: error: the executable is missing from this install ({bundled}); reinstall the tbkit wheel")
    os.execv(str(bundled), [str(bundled), *sys.argv[1:]])
