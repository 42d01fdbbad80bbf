"""Static assets: our own (static/) and the pinned npm libraries, named by content hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

NPM_ASSETS = {
    "lunr.js": "lunr/lunr.min.js",
    "lunr.stemmer.support.js": "lunr-languages/min/lunr.stemmer.support.min.js",
    "lunr.sv.js": "lunr-languages/min/lunr.sv.min.js",
}


class MissingAsset(Exception):
    pass


def hashed_name(name: str, content: bytes) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"assets/{stem}.{hashlib.sha256(content).hexdigest()[:10]}.{suffix}"


def collect_assets(
    static: Path, node_modules: Path, generated: dict[str, bytes], preview: bool = False
) -> tuple[dict[str, str], dict[str, bytes]]:
    """(logical name -> hashed path, hashed path -> bytes) for every asset the pages load."""
    contents: dict[str, bytes] = dict(generated)
    if preview:
        contents["preview.js"] = (static / "preview.js").read_bytes()
    for p in sorted(static.iterdir()):
        if p.is_file() and p.name != "preview.js":
            contents[p.name] = p.read_bytes()
    for name, rel in NPM_ASSETS.items():
        path = node_modules / rel
        if not path.is_file():
            raise MissingAsset(f"{path}: missing; run 'npm ci' in the project folder (the README's build command does)")
        contents[name] = path.read_bytes()
    names = {name: hashed_name(name, data) for name, data in contents.items()}
    return names, {names[name]: data for name, data in contents.items()}
