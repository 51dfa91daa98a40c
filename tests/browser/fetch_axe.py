"""Fetch axe-core (the accessibility checker the browser tests run in each page) from the npm registry, once.

    python -m tests.browser.fetch_axe      # make test runs it

The version is pinned and the tarball checked against the registry's published integrity (sha512) before
axe.min.js is unpacked into .cache/ (git-ignored). Plain Python: no npm needed.
"""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
TARGET = Path(__file__).resolve().parents[2] / ".cache" / f"axe-core-{VERSION}" / "axe.min.js"


def fetch() -> Path:
    if TARGET.exists():
        return TARGET
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"axe-core {VERSION}: the tarball's sha512 is not the registry's published one")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.extractfile("package/axe.min.js")
        if member is None:
            raise SystemExit("axe-core: no package/axe.min.js in the tarball")
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_bytes(member.read())
    return TARGET


if __name__ == "__main__":
    try:
        print(f"axe-core {VERSION}: {fetch()}")
    except OSError as exc:  # no network: the accessibility checks are skipped (CI fails instead)
        print(f"axe-core {VERSION} could not be fetched ({exc}): the accessibility checks will be skipped")
        sys.exit(0)
