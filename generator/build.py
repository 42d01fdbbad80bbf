"""The pipeline, top to bottom: read -> parse -> check -> render + search index -> write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from generator import assets, search_index
from generator.check import check_answer
from generator.errors import BuildError, SourceError
from generator.frontmatter import parse_markdown_answer
from generator.ingest import list_inputs, read_input
from generator.model import Answer
from generator.parse import parse_answer
from generator.people import load_registry
from generator.render import SiteRenderer, make_environment
from generator.write import check_output_folder, write_site

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_URL = "https://svarsarkivet.netlify.app/"


@dataclass(frozen=True)
class BuildConfig:
    seeds: Path
    out: Path
    keep_going: bool = False
    base_url: str = DEFAULT_BASE_URL
    templates: Path = PROJECT / "templates"
    static: Path = PROJECT / "static"
    node_modules: Path = PROJECT / "node_modules"
    preview: bool = False  # an editor's preview: pages also load the error overlay


@dataclass(frozen=True)
class BuildReport:
    answers: int
    pages: int
    skipped: tuple[SourceError, ...]
    seconds: float


def read_answers(seeds: Path) -> tuple[list[Answer], list[SourceError]]:
    """Every input parsed and checked; all problems, not just the first."""
    if not seeds.is_dir():
        raise BuildError(f"{seeds}: no such folder of answer texts")
    registry = load_registry()
    inputs = list_inputs(seeds)
    if not inputs:
        raise BuildError(f"{seeds}: holds no answer texts (.txt or .md)")
    # A curated .md copy stands in for the .txt of the same name.
    curated = {p.stem for p in inputs if p.suffix.lower() == ".md"}
    inputs = [p for p in inputs if not (p.suffix.lower() == ".txt" and p.stem in curated)]
    answers, errors = [], []
    for path in inputs:
        try:
            doc = read_input(path, seeds)
            parsed = parse_markdown_answer(doc) if doc.is_markdown else parse_answer(doc)
            answers.append(check_answer(parsed, doc.path, registry))
        except SourceError as e:
            errors.append(e)
    errors += duplicate_designations(answers, seeds)
    return answers, errors


def duplicate_designations(answers: list[Answer], seeds: Path) -> list[SourceError]:
    seen: dict[tuple[str, str], list[Answer]] = {}
    for a in answers:
        for q in a.questions:
            seen.setdefault((a.chamber, q.designation), []).append(a)
    errors = []
    for (chamber, designation), same in sorted(seen.items()):
        if len(same) > 1:
            names = " and ".join(sorted(a.source for a in same))
            errors.append(SourceError(str(seeds / sorted(a.source for a in same)[-1]), 0,
                                      f"{designation} ({chamber}) is answered twice: in {names}; keep one"))
    return errors


def render_site(answers: list[Answer], config: BuildConfig) -> dict[str, bytes]:
    """Every output file of the site, in memory."""
    manifest, search_files = search_index.search_files(answers, assets.hashed_name)
    names, asset_files = assets.collect_assets(config.static, config.node_modules, {"search-index.js": manifest}, config.preview)
    renderer = SiteRenderer(make_environment(config.templates), names, config.base_url, config.preview)
    files = renderer.render_all(answers)
    files.update(asset_files)
    files.update(search_files)
    if config.preview:
        files["_preview/status.json"] = b'{"errors": []}'
    return files


def build(config: BuildConfig) -> BuildReport:
    """Build the site into config.out, or raise BuildError and leave config.out as it was."""
    started = time.monotonic()
    check_output_folder(config.out, config.seeds, PROJECT)
    answers, errors = read_answers(config.seeds)
    errors = sorted(errors)
    if errors and not config.keep_going:
        raise BuildError(f"{len(errors)} problem(s) in the inputs; nothing was written", tuple(errors))
    bad = {Path(e.path).name for e in errors}
    answers = [a for a in answers if a.source not in bad]
    if not answers:
        raise BuildError("no answer could be built; nothing was written", tuple(errors))
    try:
        files = render_site(answers, config)
    except assets.MissingAsset as e:
        raise BuildError(str(e)) from None
    write_site(files, config.out)
    return BuildReport(len(answers), sum(p.endswith(".html") for p in files), tuple(errors), time.monotonic() - started)


def default_base_url() -> str:
    """Netlify tells its builds the site's address in URL; elsewhere the project's own."""
    return os.environ.get("URL", DEFAULT_BASE_URL).rstrip("/") + "/"
