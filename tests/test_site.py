"""The built seed site as files: valid HTML (Nu validator), every link works hosted and from disk, indexes list the right answers."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sitetools import PROJECT

VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src", "action") and v:
                self.links.append(v)


def internal_links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [h for h in parser.links if not urlsplit(h).scheme and not h.startswith("#")]


def test_every_internal_link_names_an_existing_file(seed_site):
    broken = []
    for page in sorted(seed_site.rglob("*.html")):
        for href in internal_links(page):
            path = unquote(urlsplit(href).path)
            base = seed_site if path.startswith("/") else page.parent
            target = (base / path.lstrip("/")).resolve()
            if page.name == "404.html":
                assert path.startswith("/"), "404.html is served at any depth: it links from the top"
            if not target.is_file():  # a folder link would need a server to add index.html: not from file://
                broken.append(f"{page.relative_to(seed_site)}: {href}")
    assert not broken, broken


@pytest.mark.skipif(not shutil.which("java") or not VNU.is_file(), reason="needs Java and npm's vnu-jar (scripts/test.sh installs both)")
def test_nu_validator_finds_no_errors(seed_site):
    pages = sorted(str(p) for p in seed_site.rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert not messages, [(m.get("url", "").rsplit("/site/", 1)[-1], m["message"]) for m in messages]


def listed(page: Path, section: str = "") -> list[str]:
    html = page.read_text(encoding="utf-8")
    if section:
        html = html.split(section, 1)[1]
    else:
        html = html.split('id="overlamnade"', 1)[0]
    return [part.split('/index.html"', 1)[0] for part in html.split('class="answer-title" href="../../svar/')[1:]]


def test_minister_pages_list_signed_and_handed_over_answers_separately(seed_site):
    assert listed(seed_site / "minister" / "anders-ygeman" / "index.html") == ["2016-17-1527"]
    morgan = seed_site / "minister" / "morgan-johansson" / "index.html"
    assert listed(morgan) == ["2017-18-112"]
    assert listed(morgan, 'id="overlamnade"') == ["2016-17-1527"]


def test_index_pages_list_exactly_the_right_answers(seed_site):
    assert listed(seed_site / "parti" / "m" / "index.html") == ["2017-18-112", "2016-17-1729", "2016-17-1527", "stockholm-2016-28"]
    assert listed(seed_site / "parti" / "sd" / "index.html") == ["2021-22-46"]
    assert listed(seed_site / "ar" / "2017" / "index.html") == ["2017-18-112", "2016-17-1729", "2016-17-1527"]
    assert listed(seed_site / "riksmote" / "2016-17" / "index.html") == ["2016-17-1729", "2016-17-1527"]
    assert listed(seed_site / "fragestallare" / "johanna-sjo" / "index.html") == ["stockholm-2016-28"]
    assert "Moderaterna" in (seed_site / "parti" / "m" / "index.html").read_text(encoding="utf-8")


def test_assets_are_named_by_content_hash(seed_site):
    names = sorted(p.name for p in (seed_site / "assets").iterdir())
    assert all(len(n.split(".")[-2]) == 10 for n in names), names


def test_feeds_and_sitemap_are_well_formed(seed_site):
    import xml.etree.ElementTree as ET

    for path in ["feed.xml", "sitemap.xml", "minister/anders-ygeman/feed.xml", "parti/m/feed.xml"]:
        ET.parse(seed_site / path)
    feed = ET.parse(seed_site / "feed.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 5
