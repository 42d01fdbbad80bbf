"""Answer bodies to HTML: the quick path for plain paragraphs gives exactly what Markdown gives."""

from __future__ import annotations

import markdown
from conftest import CORPUS, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import read_answers
from generator.render import plain_paragraphs, text_markdown


def markdown_only(text: str) -> str:
    """The slow path alone: the converter text_markdown sets up, without the quick path."""
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    for pattern in ("html", "link", "image_link", "image_reference", "reference", "short_reference",
                    "short_image_ref", "autolink", "automail", "entity"):
        if pattern in md.inlinePatterns:
            md.inlinePatterns.deregister(pattern)
    return md.convert(text)


def test_seed_and_corpus_bodies_take_the_quick_path_and_match_markdown():
    bodies = [a.body_markdown for folder in (SEEDS, CORPUS) for a in read_answers(folder, workers=1).answers]
    to_html = text_markdown()
    quick = 0
    for body in bodies:
        text = body.replace("&lt;", "<").replace("&amp;", "&")
        quick += plain_paragraphs(text) is not None
        assert to_html(body) == markdown_only(text)
    assert quick >= len(bodies) - 2, f"only {quick} of {len(bodies)} bodies took the quick path"


# Words, and everything Markdown reads as markup: escapes, emphasis, code, brackets, entities, list and
# heading starts, setext underlines, indents, hard line breaks.
PIECES = st.sampled_from([
    "ord", "Åsa", "svar", "2017", "1.", "1)", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "-", "+", "*", "_", "#", ">",
    "<", "&", "&amp;", "&lt;", "`", "[", "]", "(", ")", "{", "}", "!", ".", "=", "===", "---", "\\", "\\*", "\\_",
    "\\[", "\\>", "\\#", "\\\\", "\\.", "\\-", "'", '"', "–", "§", "    ", "http://x.se", "a@b.se", "\r", "\r\n", "\x02", "\x03", "\x0b",
])


WORDS = st.sampled_from(["ord", " ", "svar", "Åsa", "2017", ",", ".", "\n", "\n\n"])  # so that many texts are plain


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.lists(st.one_of(PIECES, WORDS, WORDS, WORDS), min_size=1, max_size=40).map("".join))
def test_the_quick_path_is_markdown_or_declines(text):
    quick = plain_paragraphs(text)
    if quick is not None:
        assert quick == markdown_only(text)
