"""The build cache: what the last build made, so the next one redoes only what changed.

Its records are keyed by content, never by file times (answers.pickle and recent.pickle, pages.pickle,
postings.pickle); only inputs.pickle, each input's status (size, times, inode) when it was last read
with its key, spares a build reading the inputs that have not changed since (see build.InputStatus),
and with last.pickle doing anything at all when nothing did (see build.unchanged_site):
- answers: digest of (code, input file name, input bytes) -> (the checked Answer (a StoredAnswer), its search terms
  (search_index.stored_terms), its digest, its data record (render.data_record))
  or its SourceError;
- search: the last search index, for a digest of every input's key: its manifest and the path and
  key of each shard (the shards themselves are files of the site, linked as pages are); and in
  postings.pickle its postings, from which the next index is made when few answers changed;
- plan: the last site's plan (plan.py), for a digest of every answer's placement (plan.marshal);
- last: what the last build made its site of besides the inputs, and what it reported (last.pickle):
  a build that finds the same, the inputs unchanged since and the site whole, stops there;
- pages: site path -> digest of everything that page was made from (see model.Output), valid only
  for the output folder whose stamp it was saved with; an unchanged page is linked from there. The
  same for the site before it, kept as the spare the next build is made from (see write.py). With
  the pages, how they were keyed (model.KnownKeys): a build after an edit takes from it the keys of
  the outputs whose answers it did not change;
Answers and the index depend on generator/ (code and registry), pages also on templates/: a change
there makes anew what depends on it.
The answers' large byte strings (each pickled Answer, its search terms, its data record) are in a
blobs file beside answers.pickle and recent.pickle, mapped into memory rather than read (see
save_with_blobs): a build after an edit reads little of them.
A cache that cannot be read is ignored: the build is then a full one, with the same output.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import mmap
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Answer, KnownKeys
from generator.parallel import Background
from generator.people import Registry, load_registry, name_tables
from generator.plan import SitePlan, placement, plain_plan, plan_key, plan_of_plain, site_plan
from generator.write import Generation, replace_file

CACHE_VERSION = 18


def default_cache_folder(out: Path) -> Path:
    """Beside the output folder, never in it (`site/` -> `.site.cache/`): it goes where the site goes,
    and a throwaway output folder in a temporary directory takes its cache with it."""
    out = out.absolute()
    return out.parent / f".{out.name}.cache"


def code_key(*folders: Path) -> str:
    """A digest of every file in `folders` (the generator's code and registry, the templates)."""
    h = hashlib.sha256(str(CACHE_VERSION).encode())
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading makes millions of objects and no garbage: the collector, run every 700 of them, would
    take more time than the loading itself. What was loaded is then frozen (left out of collections
    until a build's outermost kept_from_collector block ends): else the first collection after it
    would visit every object it made (after an edit at 2,000 answers, 6-21 ms)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def input_key(code: str, name: str, data: bytes) -> str:
    return hashlib.sha256(code.encode() + b"\0" + name.encode() + b"\0" + data).hexdigest()


# what a damaged or older cache file raises when loaded
UNREADABLE = (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError)
RECENT_SHARE = 10  # the answers parsed since the base was written go in it again once they are a tenth of all


# What a build reads of every answer (to place, group, count, order and check them), kept at hand in
# a StoredAnswer; the rest, the texts above all, is asked of the few answers a build after an edit shows.
AT_HAND = ("slug", "source", "url", "date", "year", "session", "chamber", "number", "doc_type", "designation", "title",
           "asker", "asker_party", "addressed_to", "answered_by", "answered_by_role", "questions", "ocr_restored", "has_original")


class StoredAnswer:
    """An Answer as the build cache keeps it: the fields of AT_HAND at hand, the whole Answer pickled
    apart and unpickled the first time anything else is asked of it. It stands in for the Answer (it
    answers every attribute alike). Unpickling the answers of 10,000 inputs took 184 ms as
    Answers, 79 ms so: a build after an edit shows only the answers on the pages the edit touches."""

    __slots__ = ("_hand", "_pickled", "_whole")

    def __init__(self, hand: tuple, pickled: bytes):
        self._hand, self._pickled, self._whole = hand, pickled, None

    @classmethod
    def of(cls, answer: Answer) -> StoredAnswer:
        stored = cls(tuple(getattr(answer, name) for name in AT_HAND), pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        stored._whole = answer
        return stored

    def whole(self) -> Answer:
        if self._whole is None:
            self._whole = pickle.loads(self._pickled)
        return self._whole

    def __getattr__(self, name: str):  # asked only for what is not at hand
        if name.startswith("__"):  # what pickle and copy look for: not the answer's
            raise AttributeError(name)
        return getattr(self.whole(), name)

    def __eq__(self, other) -> bool:  # as the Answer it stands for
        return self.whole() == (other.whole() if isinstance(other, StoredAnswer) else other)

    def __hash__(self) -> int:
        return hash(self.whole())

    def __reduce_ex__(self, protocol: int):
        # protocol 5 lets save_with_blobs put the pickled Answer in its blobs file (PickleBuffer)
        pickled = pickle.PickleBuffer(self._pickled) if protocol >= 5 else bytes(self._pickled)
        return StoredAnswer, (self._hand, pickled)


def _at_hand(number: int) -> property:
    return property(lambda answer: answer._hand[number])


for _number, _name in enumerate(AT_HAND):
    setattr(StoredAnswer, _name, _at_hand(_number))


def stored_results(results: dict) -> dict:
    """The cache's entries (input key -> result) as they are pickled: each Answer as a StoredAnswer,
    and the byte strings (the pickled Answer, the search terms, the data record) marked to go in the
    blobs file (see save_with_blobs)."""
    return {key: stored_result(value) for key, value in results.items()}


def stored_result(value):
    if not (isinstance(value, tuple) and len(value) == 4 and isinstance(value[0], Answer | StoredAnswer)):
        return value  # a SourceError
    answer, terms, answer_digest, (line, row) = value
    stored = answer if isinstance(answer, StoredAnswer) else StoredAnswer.of(answer)
    return stored, pickle.PickleBuffer(terms), answer_digest, (pickle.PickleBuffer(line), pickle.PickleBuffer(row))


@dataclass(frozen=True)
class LastBuild:
    """A build as the next one needs to know it to tell that it has nothing to do (see
    build.unchanged_site): what the site was made from besides the inputs (build.site_key), the stamp
    of the site it wrote, and what it reported."""

    key: str
    stamp: str
    answers: int
    pages: int
    skipped: tuple  # the SourceErrors of the inputs it left out (--keep-going)
    restored: tuple[tuple[str, int], ...]  # (input file, words changed) for each text restored from OCR


@dataclass
class BuildCache:
    """The cache folder's records, read at the start of a build and written after it succeeds.

    The answers are kept in two files, so that a build after an edit need not write them all again:
    answers.pickle, the base, and recent.pickle, the answers parsed since (with the search record)."""

    folder: Path | None  # None: no cache, every build is a full one
    answers: dict = field(default_factory=dict)  # input key -> (Answer, stored terms, answer_digest, data record) | SourceError
    pages: dict[str, str] = field(default_factory=dict)  # site path -> output key
    stamp: str = ""  # the output folder the pages were written to
    spare: Generation | None = None  # the site before, kept beside the output
    search: dict = field(default_factory=dict)  # {"key": digest of the inputs, "manifest": bytes, "shards": [(path, key)]}
    base: str = ""  # names the answers.pickle that recent.pickle adds to
    in_base: frozenset = frozenset()  # the keys of the answers in answers.pickle
    seen: tuple[str, dict] = ("", {})  # code key, {input path: (size, mtime, ctime, inode, input key)}: see build.InputStatus
    plan: tuple[str, SitePlan, tuple] | None = None  # the last site's plan.plan_key, plan and input keys, once read
    people: tuple[str, Registry] | None = None  # the code key and the registry, once read
    last: LastBuild | None = None  # what the last build made the site in the output folder of
    known: KnownKeys | None = None  # how the last build keyed its outputs (the keys are `pages`)
    answers_read: bool = False  # whether `answers` holds what the folder does (see read_answers)

    @classmethod
    def open(cls, folder: Path | None, answers: bool = True) -> BuildCache:
        """The records in `folder`; with answers=False all but the answers (quick to read: see read_answers)."""
        cache = cls(folder)
        if folder is None:
            return cache
        try:
            record = load_pickle(folder / PAGES)
            if not isinstance(record, dict) or record.get("version") != CACHE_VERSION:
                return cache
        except UNREADABLE:
            return cache
        try:
            version, *seen = load_pickle(folder / SEEN)
            if version == CACHE_VERSION and len(seen) == 2:
                cache.seen = tuple(seen)
        except (*UNREADABLE, KeyError):
            pass
        cache.pages, cache.stamp = record["pages"], record["stamp"]
        keyed = record.get("keyed")
        if isinstance(keyed, dict) and isinstance(keyed.get("signature"), str) and isinstance(keyed.get("digests"), dict):
            planned, layouts = keyed.get("planned"), keyed.get("layouts")
            cache.known = KnownKeys(keyed["signature"], keyed["digests"], cache.pages, planned if isinstance(planned, tuple) else (),
                                    layouts if isinstance(layouts, dict) else {})
        if record.get("spare"):
            try:
                cache.spare = Generation(record["spare"]["stamp"], keys_from_difference(cache.pages, record["spare"]["difference"]))
            except (KeyError, TypeError, ValueError):  # a damaged record: no spare (the next site is written whole)
                cache.spare = None
        try:
            version, last = load_pickle(folder / LAST)
            if version == CACHE_VERSION and isinstance(last, LastBuild):
                cache.last = last
        except UNREADABLE:
            pass
        if answers:
            cache.read_answers()
        return cache

    def read_answers(self) -> None:
        """Read the answers and the search record, if not read yet: a build that finds nothing changed
        does without (at 10,000 answers they take 0.1 s to read)."""
        if self.answers_read or self.folder is None:
            return
        self.answers_read = True
        try:
            version, base, answered = load_with_blobs(self.folder / "answers.pickle")
            if version != CACHE_VERSION:
                return
            self.answers, self.base, self.in_base = answered, base, frozenset(answered)
            version, recent_base, added, search = load_with_blobs(self.folder / "recent.pickle")
        except UNREADABLE:
            return
        if version == CACHE_VERSION and recent_base == self.base:  # else a build was killed between the two: the base holds all
            self.answers.update(added)
            self.search = search

    def current_site(self, site_stamp: str | None) -> Generation | None:
        """The page keys of the last build, if the output folder is still the one it wrote."""
        return Generation(self.stamp, self.pages) if site_stamp and site_stamp == self.stamp else None

    def spare_site(self, spare_stamp: str | None) -> Generation | None:
        """The page keys of the site before the last, if the spare folder is still that site."""
        return self.spare if self.spare and spare_stamp == self.spare.stamp else None

    def save(self, answers: dict, search: dict, pages: dict[str, str], stamp: str, spare: Generation | None = None,
             keyed: KnownKeys | None = None) -> None:
        """Write the records, and hold them as they are now: the preview server keeps one cache for all
        its builds (it would hold what opening the folder again gives, and perhaps answers since edited).
        `keyed`: how the `pages` were keyed (its own keys are not read)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # an entry's key is a digest of what it holds, so the same keys mean the same record (the cache
        # may hold more: answers since edited or removed, dropped when the base is written again)
        if not answers.keys() <= self.answers.keys() or search.get("key") != self.search.get("key"):
            added = {key: value for key, value in answers.items() if key not in self.in_base}
            base = self.base
            if not base or len(added) * RECENT_SHARE > len(answers):
                base, added = os.urandom(8).hex(), {}  # the base first: killed before recent.pickle, it holds all
                save_with_blobs(self.folder / "answers.pickle", (CACHE_VERSION, base, stored_results(answers)))
                self.answers, self.base, self.in_base = dict(answers), base, frozenset(answers)
            save_with_blobs(self.folder / "recent.pickle", (CACHE_VERSION, base, stored_results(added), search))
            self.answers.update(answers)
            self.search = search
        known = KnownKeys(keyed.signature, keyed.digests, pages, keyed.planned, keyed.layouts) if keyed else None
        if (stamp, spare, known) != (self.stamp, self.spare, self.known):
            record = {"version": CACHE_VERSION, "stamp": stamp, "pages": pages,
                      "spare": {"stamp": spare.stamp, "difference": difference(pages, spare.keys)} if spare else None,
                      "keyed": {"signature": known.signature, "digests": dict(known.digests), "planned": known.planned,
                                 "layouts": dict(known.layouts)} if known else None}
            save_pickle(self.folder / PAGES, record)
            self.pages, self.stamp, self.spare, self.known = pages, stamp, spare, known

    def save_last(self, last: LastBuild) -> None:
        if self.folder is not None and last != self.last:
            save_pickle(self.folder / LAST, (CACHE_VERSION, last))
            self.last = last

    def seen_inputs(self, code: str) -> dict:
        """The status and key of each input when it was last read, if read by this code."""
        made_by, seen = self.seen
        return seen if made_by == code and isinstance(seen, dict) else {}

    def save_seen_inputs(self, code: str, seen: dict) -> None:
        if self.folder is not None and (code, seen) != self.seen:
            save_pickle(self.folder / SEEN, (CACHE_VERSION, code, seen))
            self.seen = (code, seen)


    def site_plan(self, answers: list[Answer], code: str = "", inputs: list[str | None] | None = None) -> SitePlan:
        """The plan of the site of `answers` (plan.py), made by `code`: the last build's, if their
        placements are the same (as after an edit of a text), else made and kept for the next build.
        `inputs`, each answer's input key, spares placing every answer again: those whose inputs are
        the ones the last plan was made from are where they were (see placed_as_planned)."""
        if self.plan is None and self.folder is not None:
            try:
                version, made_for, made_by, planned_inputs, plain = marshal.loads((self.folder / PLAN).read_bytes())
                if version == CACHE_VERSION and made_by == code:
                    keys = planned_inputs if isinstance(planned_inputs, tuple) and all(isinstance(k, str) for k in planned_inputs) else ()
                    self.plan = (made_for, plan_of_plain(plain), keys)
            except UNREADABLE:
                pass
        if self.plan and inputs and self.placed_as_planned(answers, inputs):
            return self.plan[1]
        placements = [placement(a) for a in answers]
        key = plan_key(placements)
        plan = self.plan[1] if self.plan and self.plan[0] == key else site_plan(placements)
        self.plan = (key, plan, tuple(inputs) if inputs and all(inputs) else ())
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            replace_file(self.folder / PLAN, marshal.dumps((CACHE_VERSION, key, code, self.plan[2], plain_plan(plan))))
        return plan

    def placed_as_planned(self, answers: list[Answer], inputs: list[str | None]) -> bool:
        """Whether the answers (`inputs`: their input keys) have the placements the last plan was made
        from, known without placing every answer: each is the answer of the input the plan was made
        from, or of an input edited since (its key is another), placed where that one's answer was (as
        the cache holds it). Else, or if that answer is gone from the cache, they are all placed."""
        planned = self.plan[2]
        if len(planned) != len(inputs) or not all(inputs):
            return False
        for number in [number for number, (was, key) in enumerate(zip(planned, inputs, strict=True)) if was != key]:
            before = self.answers.get(planned[number])
            if not isinstance(before, tuple) or placement(before[0]) != placement(answers[number]):
                return False
        return True

    def holds_registry(self, code: str) -> bool:
        """Whether a registry is held for `code` (a preview's, or the warm process's), or kept here
        (made by this code or not: see registry)."""
        if self.people and self.people[0] == code:
            return True
        return self.folder is not None and (self.folder / REGISTRY).is_file()

    def registry(self, code: str, making: Background | None = None) -> Registry:
        """The people registry, with its name tables made: the one held since the last build (a
        preview's), else the record `making` gives (registry_record, made on another core), else the
        one kept here if this code wrote it (a third of the time of reading its files and indexing
        them), else made here. Held for the next build."""
        if self.people and self.people[0] == code:
            return self.people[1]
        registry = None
        if making is not None:
            registry = registry_of(making(), code)
        elif self.folder is not None:
            try:
                registry = registry_of((self.folder / REGISTRY).read_bytes(), code)
            except UNREADABLE:
                pass
        if registry is None:
            registry = registry_of(registry_record(self.folder, code), code)
        self.people = (code, registry)
        return registry


def registry_record(folder: Path | None, code: str) -> bytes:
    """The people registry made from its files, with its name tables, pickled as the cache keeps it
    (in `folder`, if given). Pickled once, to keep and to give: made on another core, the process
    that makes it gives the same bytes to the build (see BuildCache.registry)."""
    registry = load_registry()
    name_tables(registry, "Riksdagen")
    record = pickle.dumps((CACHE_VERSION, code, registry), protocol=pickle.HIGHEST_PROTOCOL)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(folder / REGISTRY, record)
    return record


def registry_of(record: bytes, code: str) -> Registry | None:
    """The registry in a record registry_record made, if this code made it; UNREADABLE if damaged."""
    with collector_paused():
        version, made_by, registry = pickle.loads(record)
    return registry if (version, made_by) == (CACHE_VERSION, code) and isinstance(registry, Registry) else None


PAGES = "pages.pickle"  # a pickle: at 10,000 answers JSON took 60 ms more to write and read
REGISTRY = "registry.pickle"
SEEN = "inputs.pickle"
LAST = "last.pickle"
PLAN = "plan.marshal"  # plain tuples (plan.plain_plan): marshal reads and writes them far quicker than pickle
POSTINGS = "postings.pickle"


def difference(keys: dict[str, str], other: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """How `other` differs from `keys`: (its entries that `keys` has not, or has otherwise; the paths
    of `keys` it has not). The spare site is kept so: it shares all but a few dozen of its 32,000 keys
    with the site at 10,000 answers, where saving the pages record with both whole took an edit
    41-44 ms, and so 21-30 ms."""
    return {path: key for path, key in other.items() if keys.get(path) != key}, [path for path in keys if path not in other]


def keys_from_difference(keys: dict[str, str], other: tuple[dict[str, str], list[str]]) -> dict[str, str]:
    """The keys difference(keys, o) was made from (o)."""
    changed, gone = other
    made = dict(keys)
    for path in gone:
        made.pop(path)
    made.update(changed)
    return made


def load_postings(folder: Path, code: str) -> tuple[list, tuple, dict] | None:
    """The last search index's postings and shard keys, as save_postings kept them: (docs, flattened
    postings, shard keys by span), or None if there are none for this code."""
    try:
        version, made_by, docs, flattened, keys = load_pickle(folder / POSTINGS)
    except UNREADABLE:
        return None
    return (docs, flattened, keys) if (version, made_by) == (CACHE_VERSION, code) and isinstance(keys, dict) else None


def save_postings(folder: Path, code: str, docs: list, flattened: tuple, keys: dict) -> None:
    """Postings (Postings.flattened) of documents `docs`, in document order: (slug, input key), and the
    key of each shard made of them, by its span (search_index.index_of). A record of its own, true
    whatever the build that made it did after: a later build takes what it can of it."""
    folder.mkdir(parents=True, exist_ok=True)
    save_pickle(folder / POSTINGS, (CACHE_VERSION, code, docs, flattened, keys))


def load_pickle(path: Path):
    with path.open("rb") as f, collector_paused():
        return pickle.load(f)


def save_pickle(path: Path, record) -> None:
    replace_file(path, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def save_with_blobs(path: Path, record) -> None:
    """Pickle `record` to `path` with its large byte strings (those marked as PickleBuffers) in a file
    beside it, which load_with_blobs maps into memory instead of reading: a build after an edit reads
    little of them (at 2,000 answers, 18 of 19 MB; loading the answers took 45-53 ms, so 18-20 ms).
    The blobs file has a name of its own, written before the record that names it, so a build killed
    in between leaves the last record and its blobs as they were; the older blobs go after."""
    blobs = []
    payload = pickle.dumps(record, protocol=5, buffer_callback=blobs.append)
    name = f"{path.stem}-{os.urandom(8).hex()}.blobs"
    with open(path.with_name(name), "wb") as f:
        for blob in blobs:
            f.write(blob.raw())
    replace_file(path, pickle.dumps((name, [len(blob.raw()) for blob in blobs]), protocol=5) + payload)
    for old in path.parent.glob(f"{path.stem}-*.blobs"):
        if old.name != name:
            old.unlink(missing_ok=True)  # mapped by a running build, it stays readable to it (unlinked, not gone)


def load_with_blobs(path: Path):
    """The record save_with_blobs wrote, its byte strings as views of the mapped blobs file; UNREADABLE
    (ValueError) if that file is missing or not the length the record says."""
    with path.open("rb") as f, collector_paused():
        name, lengths = pickle.load(f)
        if not isinstance(name, str) or "/" in name or "\\" in name or not isinstance(lengths, list):
            raise ValueError(f"{path}: not a record with blobs")
        views = blob_views(path.with_name(name), lengths)
        return pickle.loads(f.read(), buffers=views)


def blob_views(path: Path, lengths: list[int]) -> list[memoryview]:
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size != sum(lengths):
            raise ValueError(f"{path}: {size} bytes where {sum(lengths)} were written")
        if size == 0:
            return []
        whole = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
    views, start = [], 0
    for length in lengths:
        views.append(whole[start:start + length])
        start += length
    return views
