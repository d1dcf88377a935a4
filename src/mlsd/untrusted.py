"""A design's text is untrusted: where it may link, and how README.md keeps it text.

Links may go to relative or https URLs, images only to relative ones: a `javascript:` link runs
on click, and a remote image makes every reader's browser call a stranger's server.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
# browsers drop tabs and newlines inside a URL and read "\" as "/", so "java\tscript:" and
# "\\host" are not what they seem: refuse them rather than guess
_UNCLEAR_RE = re.compile(r"[\x00-\x20\x7f\\]")

# Parses as the web pages do (raw HTML off) but keeps every destination as written, entities
# decoded, even those the HTML renderer would drop: another renderer may link them.
_FINDER = MarkdownIt("commonmark", {"html": False})
_FINDER.validateLink = lambda url: True
_FINDER.normalizeLink = lambda url: url

# GitHub renders README.md with raw HTML on, so there "<" and ">" are backslash-escaped, outside
# code spans (code shows them as they are). "]:" is escaped too, or a field starting "[x]: url"
# defines a link. "&" stays: an entity only ever makes text, and README shows what HTML shows.
_MD_SPECIAL_RE = re.compile(r"\\[!-/:-@\[-`{-~]|`+|[<>]|\]:")
_MD_PLAIN_RE = re.compile(r"([\\`*_\[\]<>&!])")


def link_problem(url: str, *, image: bool = False) -> str:
    """Return why url may not be linked (or shown, for an image); '' when it may."""
    what = "image" if image else "link"
    if _UNCLEAR_RE.search(url):
        return (f"{what} {url!r} holds a space, control character or backslash: "
                f"percent-encode it")
    remote = url.startswith("//") or _SCHEME_RE.match(url)
    if image and remote:
        return (f"image {url!r} should be a relative path to a file beside the page: built "
                f"pages load nothing remote")
    if remote and not url.lower().startswith("https://"):
        return f"link {url!r} should be a relative URL or start with https://"
    return ""


def text_problem(text: str) -> str:
    """Return why inline Markdown links or shows what it may not, in HTML or README; or ''."""
    if "](" not in text and "<" not in text:  # no inline link, image or autolink
        return ""
    # escaping can change the parse ("<x [a](b) >" is one autolink before, a link after)
    for source in (text, markdown_inline(text)):
        for token in _walk(_FINDER.parseInline(source)):
            if token.type in ("link_open", "image"):
                image = token.type == "image"
                problem = link_problem(str(token.attrGet("src" if image else "href")),
                                       image=image)
                if problem:
                    return problem
    return ""


def _walk(tokens):
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def markdown_inline(value: str) -> str:
    """Return inline Markdown for README.md: the author's formatting kept, HTML escaped."""
    text, out, pos = str(value), [], 0
    while match := _MD_SPECIAL_RE.search(text, pos):
        out.append(text[pos:match.start()])
        token, pos = match.group(), match.end()
        if token[0] == "`":  # a code span runs to the next backtick string of the same length
            close = re.compile(f"(?<!`){token}(?!`)").search(text, pos)
            if close:
                token, pos = text[match.start():close.end()], close.end()
        elif token in "<>":
            token = "\\" + token
        elif token == "]:":
            token = "]\\:"
        out.append(token)  # a backslash escape stays as the author wrote it
    return "".join(out) + text[pos:]


def markdown_plain(value: str) -> str:
    """Return text that Markdown shows exactly as written, on one line (titles, alt text)."""
    return _MD_PLAIN_RE.sub(r"\\\1", " ".join(str(value).splitlines()))


def markdown_code(value: str) -> str:
    """Return text as a Markdown code span, fenced by more backticks than it holds."""
    text = " ".join(str(value).splitlines())
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
