"""The pipeline, top to bottom: read -> parse -> check -> plan -> render + search index -> write."""

from __future__ import annotations

import dataclasses
import functools
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import assets, search_index
from generator.cache import BuildCache, LastBuild, StoredAnswer, code_key, input_key, load_postings, registry_record, save_postings
from generator.check import check_answer
from generator.errors import BuildError, SourceError
from generator.frontmatter import parse_markdown_answer
from generator.ingest import MAX_INPUT_BYTES, list_inputs, read_bytes, read_input
from generator.model import Answer, KnownKeys, Output, answer_digest, digest, made
from generator.parallel import Background, kept_from_collector, ordered_map
from generator.parse import parse_answer
from generator.people import Registry, load_registry
from generator.plan import SitePlan
from generator.render import SiteRenderer, data_record, make_environment, template_problem
from generator.search_index import SearchIndex
from generator.write import (
    Generation,
    WriteReport,
    check_output_folder,
    copy_folder,
    drop_spare_copy,
    keep_spare_copy,
    link_tree,
    missing_files,
    site_stamp,
    spare_folder,
    update_site,
    write_site,
)

if TYPE_CHECKING:
    from jinja2 import Environment

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
    cache: Path | None = None  # where the build cache lives; None: no cache, a full build
    workers: int | None = None  # processes for the heavy stages; None: one per core


@dataclass(frozen=True)
class Loaded:
    """What a process that stays up made once for all the builds it runs (the warm process): the key of
    its code, which it checks is the code on disk before each build, and the people registry that code
    makes (see BuildCache.registry)."""

    code: str
    people: Registry


@dataclass(frozen=True)
class BuildReport:
    answers: int
    pages: int
    skipped: tuple[SourceError, ...]
    seconds: float
    made: int = 0  # files made anew
    reused: int = 0  # files unchanged since the last build, taken from it
    parsed: int = 0  # inputs read and parsed (the others came from the cache)
    fresh: tuple[str, ...] = ()  # site paths of the answers parsed anew (an edited answer, in a preview)
    restored: tuple[tuple[str, int], ...] = ()  # (input file, words changed) for each text restored from OCR
    # what the build made (answers, outputs, cache): kept by a caller that ends the process next, so
    # that hundreds of thousands of objects are not freed one by one first (58 ms at 10,000 answers)
    made_objects: tuple = field(default=(), repr=False, compare=False)


@dataclass
class Inputs:
    answers: list[Answer]
    errors: list[SourceError]
    results: dict  # input key -> (Answer, its stored search terms, its digest, its data record) | SourceError, for the cache
    parsed: int  # inputs parsed this time (the others came from the cache)
    fresh: tuple[str, ...] = ()  # site paths of the answers among them
    all_keyed: bool = False  # every input has a cache key (so the inputs' keys identify the whole input)
    terms: dict[str, bytes] = field(default_factory=dict)  # input file name -> the answer's search_index.stored_terms
    digests: dict[str, str] = field(default_factory=dict)  # input file name -> the answer's answer_digest
    keys: dict[str, str] = field(default_factory=dict)  # input file name -> its cache key, for those that have one
    records: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # input file name -> render.data_record
    read: int = 0  # inputs whose bytes were read (the others' keys came from their status, see InputStatus)
    seen: dict = field(default_factory=dict)  # input path -> (size, mtime, ctime, inode, key), for the cache


def read_answers(seeds: Path, known: dict | None = None, code: str = "", workers: int | None = None,
                 seen: dict | None = None, registry: Callable[[], Registry] = load_registry,
                 names: list[str] | None = None, stats: dict[str, os.stat_result] | None = None) -> Inputs:
    """Every input parsed and checked; all problems, not just the first.

    `known` maps input keys to earlier results (see cache.py); `seen` maps input paths to the file's
    status and key when it was last read (see InputStatus), for inputs not changed since; `registry`
    gives the people registry, asked for only when an input is to be parsed. `names` are the
    inputs, if the caller listed them, and `stats` the status of those it looked at (inputs_changed).
    """
    if not seeds.is_dir():
        raise BuildError(f"{seeds}: no such folder of answer texts")
    names = answer_inputs(seeds) if names is None else names
    if not names:
        raise BuildError(f"{seeds}: holds no answer texts (.txt or .md)")
    known = known or {}
    results: dict = {}
    status = InputStatus(code, seen or {}, known, stats)
    folder = input_folder(seeds)
    read = [status.key_of(folder + name) for name in names]
    keys = [key for key, _data in read]
    todo = [(name, data) for name, (key, data) in zip(names, read, strict=True) if key not in known]
    people = registry() if todo else None  # a build with nothing to parse does without
    parsed = ordered_map(lambda item: read_one(seeds / item[0], seeds, people, item[1]), todo, workers)
    fresh = {name: result for (name, _data), result in zip(todo, parsed, strict=True)}
    del read, todo
    answers, errors, terms, digests, answer_keys, records = [], [], {}, {}, {}, {}
    for name, key in zip(names, keys, strict=True):
        result = known[key] if key in known else fresh[name]
        if key:
            results[key] = result
            answer_keys[name] = key
        if isinstance(result, SourceError):
            errors.append(result)
        else:
            # an answer parsed now is wholly used (its pages are made); one from the cache, only in part
            answers.append(result[0].whole() if name in fresh else result[0])
            terms[result[0].source] = result[1]
            digests[result[0].source] = result[2]
            records[result[0].source] = result[3]
    errors += duplicate_designations(answers, seeds)
    new = tuple(sorted(r[0].url for r in fresh.values() if not isinstance(r, SourceError)))
    return Inputs(answers, errors, results, len(fresh), new, all(keys), terms, digests, answer_keys, records,
                  status.read, status.seen)


def answer_inputs(seeds: Path) -> list[str]:
    """The names of the inputs in `seeds`: a curated .md copy stands in for the .txt of the same name."""
    names = list_inputs(seeds)
    curated = {name[:-3] for name in names if name.lower().endswith(".md")}
    return [name for name in names if not (name.lower().endswith(".txt") and name[:-4] in curated)]


def input_folder(seeds: Path) -> str:
    """What an input's name is joined to for its path, as pathlib spells it (made by the thousand without it)."""
    return str(seeds / "_")[:-1]


def inputs_changed(seeds: Path, seen: dict, names: list[str] | None = None, stats: dict | None = None) -> bool:
    """Whether the inputs (`names`, if the caller listed them) are other than those whose status
    `seen` holds (see InputStatus): one more, one less, or one whose status changed since it was
    read. The status of each input it looks at goes in `stats`, for InputStatus to take."""
    try:
        names = answer_inputs(seeds) if names is None else names
        folder = input_folder(seeds)
        for name in names:
            last = seen.get(folder + name)
            info = os.lstat(folder + name)
            if stats is not None:
                stats[folder + name] = info
            if not last or last[:4] != file_status(info):
                return True
    except OSError:
        return True
    return len(names) != len(seen)


def file_status(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells that a file changed without reading it: size, modification and change times, inode."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


class InputStatus:
    """Each input's cache key. Like git's index, it reads a file only when its status (size, times,
    inode) is not the one recorded when it was last read: the key is still a digest of its bytes.
    A status is recorded only for a file last changed SETTLED_NS before it was read, so a change made
    within the file system's clock resolution of a read is never missed ("racy git"); the change
    time also catches tools that set the modification time back."""

    def __init__(self, code: str, seen: dict, known: dict, stats: dict | None = None):
        self.code, self.last, self.known = code, seen, known
        self.stats = stats or {}  # path -> os.lstat of it, taken earlier in this build (inputs_changed)
        self.before = time.time_ns() - SETTLED_NS
        self.seen: dict[str, tuple] = {}  # path -> (size, mtime, ctime, inode, key), for the next build
        self.read = 0  # inputs whose bytes were read

    def key_of(self, name: str) -> tuple[str | None, bytes | None]:
        """(the cache key of the input at path `name`, its bytes if they were read); (None, None) for
        what the cache does not hold (links, odd or huge files)."""
        try:
            info = self.stats.get(name) or os.lstat(name)  # one call for all three: not a link, a plain file, not too big
            if not self.code or not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INPUT_BYTES:
                return None, None
            status = file_status(info)
            last = self.last.get(name)
            if last and last[:4] == status and last[4] in self.known:
                self.seen[name] = last
                return last[4], None
            data = read_bytes(name)
        except OSError:
            return None, None
        self.read += 1
        key = input_key(self.code, name, data)
        if max(info.st_mtime_ns, info.st_ctime_ns) < self.before:
            self.seen[name] = (*status, key)
        return key, data


SETTLED_NS = 2_000_000_000


def read_one(path: Path, seeds: Path, registry: Registry,
             data: bytes | None = None) -> tuple[StoredAnswer, bytes, str, tuple[bytes, bytes]] | SourceError:
    """One input read, parsed and checked, with its search terms counted, its digest and its data
    record made (all of it on a worker); the answer as the cache keeps it, pickled here, so that the
    build need not pickle every answer again to save it (the parent unpickles it: see read_answers)."""
    try:
        doc = read_input(path, seeds, data)
        parsed = parse_markdown_answer(doc) if doc.is_markdown else parse_answer(doc)
        answer = check_answer(parsed, doc.path, registry)
    except SourceError as e:
        return e
    return StoredAnswer.of(answer), search_index.stored_terms(answer), answer_digest(answer), data_record(answer)


def duplicate_designations(answers: list[Answer], seeds: Path) -> list[SourceError]:
    answered = [(a.chamber, q.designation) for a in answers for q in a.questions]
    if len(set(answered)) == len(answered):  # as in every build but a faulty one: a third of the time
        return []
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


def render_pages(answers: list[Answer], plan: SitePlan, config: BuildConfig, code: str = "", digests: dict[str, str] | None = None,
                 records: dict[str, tuple[bytes, bytes]] | None = None,
                 found_assets: tuple[dict[str, str], dict[str, bytes]] | None = None, plan_key: str = "",
                 known: KnownKeys | None = None, env: Environment | None = None, live: Path | None = None,
                 ) -> tuple[list[Output], Callable[[list[Output]], list[Output]], KnownKeys | None]:
    """Every output file of the site but the search files, each made when it is written (or taken from
    the last build); the function that gives the search files, given the index's outputs; and how
    the outputs were keyed, for the next build (with `plan_key`, else None).
    `digests` (input file name -> answer_digest) key the pages made from each answer, and `records`
    (input file name -> data_record) make the data files; both are made on the read workers. `plan`
    is the site's plan (BuildCache.site_plan) and `plan_key` its key; `found_assets`, the assets as
    collect_assets gives them, if the caller has them; `known`, how the last build keyed its outputs;
    `env`, the templates (template_environment), if the caller has them; `live`, the output folder if
    the site in it is the last build's (the data files are made from its own: see data_outputs)."""
    names, asset_files = found_assets or assets.collect_assets(config.static, config.node_modules, {}, config.preview)
    digests = digests or {}
    keys = {a.slug: digests.get(a.source) or answer_digest(a) for a in answers}
    by_slug = {a.slug: a for a in answers}
    renderer = SiteRenderer(env or template_environment(config), names, config.base_url, config.preview, code, keys,
                            plan_key, known)
    outputs, planned = planned_outputs(renderer, plan, by_slug, answers, lambda a: keys[a.slug], code)
    outputs += renderer.data_outputs(plan, by_slug, records, live)
    outputs += [made(path, content) for path, content in asset_files.items()]
    if config.preview:
        outputs.append(made("_preview/status.json", b'{"errors": []}'))

    def search_files(index: list[Output]) -> list[Output]:
        manifest = index[0]
        return [renderer.search_page(manifest.path), *index]
    return outputs, search_files, renderer.keyed(planned)


def planned_outputs(renderer: SiteRenderer, plan: SitePlan, by_slug: dict[str, Answer], answers: list[Answer],
                    answer_key: Callable[[Answer], str], code: str) -> tuple[list[Output], tuple[str, ...]]:
    """The outputs made from the plan (every page, feed and search hit file) and their paths. Under
    the last build's signature (the same plan, code, templates and settings: see SiteRenderer) those
    that show no answer that changed are the last build's, with the keys it gave them: only the
    others are keyed anew. At 2,000 answers an edit so keys some 20 outputs, not 7,000. One of the
    others is made only if the writer finds its file missing from the last sites, and then from
    every output keyed anew, as a build without the last one's keys would."""
    def everything() -> list[Output]:
        return renderer.render_all(plan, by_slug) + search_index.document_files(answers, code, answer_key, renderer.known_key)
    known = renderer.known_keys
    if not renderer.known_planned or not all(map(known.__contains__, renderer.known_planned)):
        outputs = everything()
        return outputs, tuple(o.path for o in outputs)
    outputs = renderer.render_all(plan, by_slug, only_changed=True)
    outputs += search_index.document_files(answers, code, answer_key, renderer.known_key, only=renderer.changed)
    fresh = {o.path for o in outputs}
    anew = functools.cache(lambda: {o.path: o for o in everything()})
    outputs += [Output(path, known[path], functools.partial(made_anew, anew, path)) for path in renderer.known_planned
                if path not in fresh]
    return outputs, renderer.known_planned


def made_anew(outputs: Callable[[], dict[str, Output]], path: str) -> bytes:
    return outputs()[path].make()


def template_environment(config: BuildConfig, compile_all: bool = False) -> Environment:
    """The templates, their compiled code kept in the cache folder; with `compile_all`, every one
    compiled now: the workers forked later share them, where each would compile those it uses."""
    compiled = config.cache / "templates" if config.cache else None
    if compiled:
        compiled.mkdir(parents=True, exist_ok=True)
    env = make_environment(config.templates, compiled)
    if compile_all:
        for name in env.list_templates():
            env.get_template(name)
    return env


def index_outputs(index: SearchIndex, remake: Callable[[], SearchIndex]) -> list[Output]:
    """The manifest and the shards as outputs. A shard the index left unmade (the last builds have it)
    is made by `remake`, should it be needed after all (its file gone from the site)."""
    manifest = made(assets.hashed_name("search-index.js", index.manifest), index.manifest)
    whole = functools.cache(lambda: {path: content for path, _key, content in remake().shards})
    return [manifest, *(Output(path, key, (lambda c=content: c) if content is not None else (lambda p=path: whole()[p]))
                        for path, key, content in index.shards)]


def render_site(answers: list[Answer], config: BuildConfig, code: str = "") -> list[Output]:
    """Every output file of the site."""
    outputs, search_files, _keyed = render_pages(answers, BuildCache(None).site_plan(answers), config, code)
    index = search_index.make_index(answers)
    return outputs + search_files(index_outputs(index, lambda: index))


def build(config: BuildConfig, progress: Callable[[int, int], None] | None = None, cache: BuildCache | None = None,
          loaded: Loaded | None = None) -> BuildReport:
    """Build the site into config.out, or raise BuildError and leave config.out as it was. `cache`, if
    given, is config.cache's records as the last build left them (the preview server keeps them);
    `loaded`, what the warm process made before the build."""
    started = time.monotonic()
    check_output_folder(config.out, config.seeds, PROJECT)
    if cache is None:
        cache = BuildCache.open(config.cache, answers=False)
    code = loaded.code if loaded else code_key(PROJECT / "generator")
    if loaded and not cache.people:
        cache.people = (code, loaded.people)
    templates = code_key(config.templates)
    try:
        found_assets = assets.collect_assets(config.static, config.node_modules, {}, config.preview)
    except (assets.MissingAsset, OSError):
        found_assets = None  # said when the pages are made
    key = site_key(config, code, templates, found_assets[0]) if found_assets else None
    try:  # listed once, for the no-change check and the reading alike
        names = answer_inputs(config.seeds)
    except OSError:
        names = None  # read_answers says what is wrong
    stats: dict[str, os.stat_result] = {}
    last = unchanged_site(config, cache, code, key, names, stats)
    if last is not None:
        return dataclasses.replace(last, seconds=time.monotonic() - started)
    # first, on another core, the spare site checked, or a copy of the site made to be it (see ready_spare)
    readying = None if config.preview or not config.cache else Background(ready_spare, config, copy_folder(config.out),
                                                                          workers=config.workers)
    making = None
    try:
        cache.read_answers()
        current = cache.current_site(site_stamp(config.out))
        spare = cache.spare_site(site_stamp(spare_folder(config.out)))
        # the people registry, asked for when an input is to be parsed: unless the cache holds or keeps one, made
        # from its files on another core while the inputs are keyed
        making = None if cache.holds_registry(code) else Background(registry_record, config.cache, code, workers=config.workers)
        registry = functools.partial(cache.registry, code, making)
        # the parent would wait for that registry: it compiles the templates meanwhile (a problem in one
        # is said when the pages are made)
        env = compiled_templates(config) if making and making.pid else None
        # the cache, then the answers, live to the end of the build: the collector need not visit them again
        with kept_from_collector():
            inputs = read_answers(config.seeds, cache.answers, code, config.workers, cache.seen_inputs(code), registry, names, stats)
            errors = sorted(inputs.errors)
            if errors and not config.keep_going:
                raise BuildError(f"{len(errors)} problem(s) in the inputs; nothing was written", tuple(errors))
            bad = {Path(e.path).name for e in errors}
            answers = [a for a in inputs.answers if a.source not in bad]
            if not answers:
                raise BuildError("no answer could be built; nothing was written", tuple(errors))
            with kept_from_collector():
                written, outputs = make_site(config, cache, code, inputs, answers, progress, current, spare, readying,
                                             digest(code, templates), found_assets, env)
    finally:
        if making:  # not asked for: nothing was to be parsed, or the build failed first
            making.cancel()
        if readying:  # a copy that did not become the spare (the build failed, or had one): stopped and removed
            drop_spare_copy(config.out, readying)
    pages = sum(o.path.endswith(".html") for o in outputs)
    restored = tuple(sorted((a.source, a.ocr_restored) for a in answers if a.ocr_restored))
    if key:
        cache.save_last(LastBuild(key, written.stamp, len(answers), pages, tuple(errors), restored))
    return BuildReport(len(answers), pages, tuple(errors), time.monotonic() - started, written.made, written.reused,
                       inputs.parsed, inputs.fresh, restored, (inputs, answers, outputs, cache))


def compiled_templates(config: BuildConfig) -> Environment | None:
    """template_environment with every template compiled, or None if one cannot be: whatever is wrong
    is met again, and said, when the pages are made (make_site)."""
    try:
        return template_environment(config, compile_all=True)
    except Exception:
        return None


def site_key(config: BuildConfig, code: str, templates: str, asset_names: dict[str, str]) -> str:
    """A digest of what the site is made from besides the inputs: the code, the templates (their
    code_key), the assets (their hashed names) and the settings."""
    return digest(code, templates, asset_names, config.base_url, config.preview, config.keep_going)


def unchanged_site(config: BuildConfig, cache: BuildCache, code: str, key: str | None,
                   names: list[str] | None = None, stats: dict | None = None) -> BuildReport | None:
    """The last build's report, if this build would make the site it made and that site is in the
    output folder, whole: the same code, templates, assets and settings (`key`), no input changed
    since it was read (by its status: see InputStatus) and every file still there. Such a build has
    nothing to do, not even reading the answers from the cache. `names` and `stats` as inputs_changed takes them."""
    last = cache.last
    if key is None or last is None or last.key != key or last.stamp != cache.stamp or site_stamp(config.out) != last.stamp:
        return None
    if inputs_changed(config.seeds, cache.seen_inputs(code), names, stats):
        return None
    out = str(config.out)
    if not all(os.path.isfile(f"{out}/{path}") for path in cache.pages):
        return None
    return BuildReport(last.answers, last.pages, last.skipped, 0.0, 0, len(cache.pages), 0, (), last.restored)


def ready_spare(config: BuildConfig, into: Path) -> tuple[str, str, list[str]] | None:
    """Run on another core as a build starts, to have the spare site ready to make the new one from.
    Where there is a spare, it looks for each of its files: ("checked", its stamp, the files missing).
    A site with no spare (the first build after a full one) would have the writer link its whole tree
    while it writes; when the inputs are not those of the last build, this links a copy of it into
    `into`, to be made the spare (write.keep_spare_copy): ("copied", the stamp of the site it copied,
    the files it found missing). None when there is no site, or the inputs are those of the last
    build (one that then writes after all, its templates changed, links the tree as it writes)."""
    cache = BuildCache.open(config.cache, answers=False)
    current = cache.current_site(site_stamp(config.out))
    if not current:
        return None
    spare = cache.spare_site(site_stamp(spare_folder(config.out)))
    if spare:
        return "checked", spare.stamp, missing_files(str(spare_folder(config.out).absolute()), list(spare.keys))
    if not inputs_changed(config.seeds, cache.seen[1]):
        return None
    return "copied", current.stamp, link_tree(str(config.out.absolute()), sorted(current.keys), str(into))


def make_site(config: BuildConfig, cache: BuildCache, code: str, inputs: Inputs, answers: list[Answer],
              progress: Callable[[int, int], None] | None, current: Generation | None, spare: Generation | None,
              readying: Background | None, page_code: str, found_assets: tuple[dict[str, str], dict[str, bytes]] | None,
              env: Environment | None = None) -> tuple[WriteReport, list[Output]]:
    """Render, index and write the site of `answers` over the `current` one, made from the `spare`
    (checked, or made as a copy of the current one, by `readying`), then save the cache; (the writer's
    report, every output). `page_code` digests the code and the templates (the pages' keys hold it);
    `found_assets` and `env` are the assets and the templates, as render_pages takes them."""
    search_key = digest(code, sorted(inputs.results)) if inputs.all_keyed else None
    last = cache.search if current and all(current.keys.get(path) == key for path, key in cache.search.get("shards", ())) else {}

    def remake() -> SearchIndex:
        return search_index.make_index(answers, inputs.terms, frozenset(), code)
    # a new index is made on another core while this one keys the pages and the workers make them;
    # it leaves unmade the shards the site in place (or the spare it is made from) already has
    index = None
    if not (search_key and last.get("key") == search_key):
        reusable = frozenset((path, key) for site in (current, None if config.preview else spare) if site
                             for path, key in site.keys.items() if path.startswith(search_index.SHARD_PREFIX))
        index = Background(index_from_last, answers, inputs, cache.answers, reusable, code, config.cache, workers=config.workers)
    try:
        plan = cache.site_plan(answers, code, [inputs.keys.get(a.source) for a in answers])
        outputs, search_files, keyed = render_pages(answers, plan, config, page_code, inputs.digests, inputs.records,
                                                    found_assets, cache.plan[0], cache.known, env, config.out if current else None)
        if readying:
            spare = keep_spare_copy(config.out, current, spare, readying)
        if index is None:  # the index of the site in place is this one
            made_index = SearchIndex(last["manifest"], [(path, key, None) for path, key in last["shards"]])
            late = search_files(index_outputs(made_index, remake))
            written, spare = publish(config, current, spare, outputs + late, None, progress)
        else:
            late = []  # filled once the index is made, when the writer asks for it

            def index_files() -> list[Output]:
                late.extend(search_files(index_outputs(index(), remake)))
                return late
            written, spare = publish(config, current, spare, outputs, index_files, progress)
            made_index = index()
            last = {"key": search_key, "manifest": made_index.manifest, "shards": [(path, key) for path, key, _c in made_index.shards]}
        outputs += late
    except assets.MissingAsset as e:
        raise BuildError(str(e)) from None
    except Exception as e:
        problem = template_problem(e)
        if problem is None:
            raise
        raise BuildError(problem) from None
    finally:
        if index is not None:
            index.cancel()
    cache.save(inputs.results, last if search_key else {}, {o.path: o.key for o in outputs}, written.stamp, spare, keyed)
    cache.save_seen_inputs(code, inputs.seen)
    return written, outputs


def index_from_last(answers: list[Answer], inputs: Inputs, known: dict, reusable: frozenset[tuple[str, str]], code: str,
                    folder: Path | None) -> SearchIndex:
    """The search index (as search_index.make_index), its postings updated from those the last build
    kept in the cache folder when few answers changed, which is several times quicker than making
    them anew from every answer's terms, and the shards of terms the change left alone keyed as the
    last index keyed them; the new postings and keys are kept there for the next build."""
    docs = [(a.slug, inputs.keys.get(a.source)) for a in search_index.ordered(answers)]
    keyed = folder is not None and all(key for _slug, key in docs)
    last = load_postings(folder, code) if keyed else None
    try:
        updated = updated_postings(*last[:2], docs, inputs.results, known) if last else None
    except (ValueError, TypeError, IndexError):  # a record damaged since it was written
        updated = None
    postings, changed = updated or (search_index.build_postings(answers, inputs.terms), None)
    index = search_index.index_of(postings, answers, reusable, code, last[2] if updated else None, changed)
    if keyed:
        save_postings(folder, code, docs, postings.flattened(),
                      {span: key for span, (_path, key, _content) in zip(index.spans, index.shards, strict=True)})
    return index


def updated_postings(last_docs: list, flattened: tuple, docs: list, results: dict,
                     known: dict) -> tuple[search_index.Postings, frozenset[str]] | None:
    """The last postings with the answers whose input changed since counted anew, and the terms whose
    entries changed with them; None where that is not the quicker way (other answers, or many
    changed) or the last answers' terms are gone. ValueError, TypeError or IndexError if the record
    is not what save_postings wrote."""
    if [slug for slug, _key in last_docs] != [slug for slug, _key in docs]:
        return None
    changed = {}
    for number, ((_slug, was), (_same, key)) in enumerate(zip(last_docs, docs, strict=True)):
        if was != key:
            before = known.get(was)
            if not isinstance(before, tuple) or len(changed) * 10 >= len(docs):
                return None
            changed[number] = (search_index.terms_of(before[1]), search_index.terms_of(results[key][1]))
    postings = search_index.update_postings(search_index.Postings.from_flattened(flattened), changed)
    return postings, search_index.changed_terms(changed)


def publish(config: BuildConfig, current: Generation | None, spare: Generation | None, outputs: list[Output],
            late: Callable[[], list[Output]] | None, progress: Callable[[int, int], None] | None) -> tuple[WriteReport, Generation | None]:
    """Write the site (`late` gives the outputs that wait for the search index): in place for a preview
    that has a site to update, else whole (see write.py). Returns the report and the spare site after it."""
    if config.preview and current:
        return update_site(outputs + (late() if late else []), config.out, current.keys, config.workers), spare
    written = write_site(outputs, config.out, current, spare, config.workers, progress, late, keep_spare=bool(config.cache) and not config.preview)
    return written, written.spare or (current if written.replaced else spare)


def default_base_url() -> str:
    """Netlify tells its builds the site's address in URL; elsewhere the project's own."""
    return os.environ.get("URL", DEFAULT_BASE_URL).rstrip("/") + "/"
