"""A design's strings are untrusted: they stay text in every output, link only where they may,
and a diagram's edges only join nodes of that diagram."""
from __future__ import annotations

import dataclasses
import re

import pytest
from diagrams import Cluster, Edge
from diagrams.onprem.client import User
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from conftest import FIXTURES, needs_graphviz, write_design
from mlsd import CaseStudy, Metric, Requirements, stage
from mlsd.cli import main
from mlsd.drawing import draw
from mlsd.errors import DesignError, Location
from mlsd.loader import load_design
from mlsd.model import DiagramSpec
from mlsd.pages import DiagramRef, design_context, environment, render
from mlsd.scale import Scale
from mlsd.untrusted import markdown_code, markdown_inline, markdown_plain

SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()
PAYLOADS = ("<script>alert(1)</script>", "<iframe src=https://e.example/></iframe>",
            "<img src=x onerror=alert(1)>")
# GitHub renders README.md as CommonMark with raw HTML on, then sanitises; rely on neither
# its sanitiser nor markdown-it's own refusal of javascript: links
GITHUB = MarkdownIt("commonmark", {"html": True})
GITHUB.validateLink = lambda url: True


def _tokens(markdown: str, inline: bool = False):
    todo = GITHUB.parseInline(markdown) if inline else GITHUB.parse(markdown)
    while todo:
        token = todo.pop()
        yield token
        todo += token.children or []


def _markup(markdown: str, inline: bool = False) -> list[str]:
    """Return the raw HTML a Markdown renderer with HTML on would pass through."""
    return [t.content for t in _tokens(markdown, inline) if t.type.startswith("html_")]


def _line(body: str, needle: str) -> int:
    return next(i for i, line in enumerate(body.splitlines(), 1) if needle in line)


# 1. README.md keeps every text field text ---------------------------------------------------

def _poison(obj, payload: str) -> None:
    """Put payload into every string of a declared object, its lists and its dict keys."""
    def spoil(value):
        if isinstance(value, str):
            return f"{payload} {value}"
        if isinstance(value, list):
            return [spoil(v) for v in value]
        if isinstance(value, dict):
            return {spoil(k): spoil(v) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, Scale):
            _poison(value, payload)
        return value
    for f in dataclasses.fields(obj):
        if f.init and f.name not in ("slug", "mode"):
            object.__setattr__(obj, f.name, spoil(getattr(obj, f.name)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_readme_keeps_html_in_every_text_field_as_text(payload, tmp_path):
    path = write_design(tmp_path, "spam_filter.py", SPAM)
    case = load_design(path)
    _poison(case, payload)
    refs = [DiagramRef(f"{payload} Flow", "flow", "", f"{payload} Flow. Stage 3: {payload}."),
            DiagramRef(f"{payload} Model", "model", "model", f"Model: [x](javascript:y) {payload}")]
    readme = render(environment(), "readme.md.j2", **design_context(case, refs))
    assert readme.count(payload.split()[0].split(">")[0]) > 40  # it is there, as text
    assert _markup(readme) == []
    links = [t.attrGet("href") or t.attrGet("src") for t in _tokens(readme)
             if t.type in ("link_open", "image")]
    assert all(not re.match(r"\w+:", str(u)) for u in links), links


def test_readme_keeps_the_authors_inline_markdown():
    text = ("*fast* and **cheap**, `p99 < 50 ms`, see [notes](notes.html) & "
            "[docs](https://d.example)")
    html = GITHUB.renderInline(markdown_inline(text))
    assert html == ('<em>fast</em> and <strong>cheap</strong>, <code>p99 &lt; 50 ms</code>, see '
                    '<a href="notes.html">notes</a> &amp; <a href="https://d.example">docs</a>')
    assert GITHUB.renderInline(markdown_inline("a<b>c</b>")) == "a&lt;b&gt;c&lt;/b&gt;"


@pytest.mark.parametrize("text", [
    "\\`<img src=x onerror=alert(1)>`",  # an escaped backtick opens no code span
    "``<script>`",  # nor does a run with no closing run of the same length
    "`<script>``", "``<script>```",  # a longer run closes nothing
    "`a``<script>`",
    "\\\\`x`<script>",
    "x\n<script>alert(1)</script>",  # a block of HTML after a line break
])
def test_readme_escapes_html_beside_backticks_and_backslashes(text):
    assert _markup(markdown_inline(text)) == []


@settings(max_examples=500)
@given(st.text(alphabet="`\\<>&[]()!*_:a /\n", max_size=40))
def test_no_inline_text_becomes_html_in_readme(text):
    escaped = markdown_inline(text)
    assert _markup(escaped) == [] and _markup(f"- {escaped}") == []
    assert _markup(markdown_inline(text).replace("|", "\\|"), inline=True) == []


@given(st.text(alphabet="`\\<>&[]()!*_:a #|\n", max_size=40))
def test_plain_and_code_text_show_exactly_what_was_written(text):
    flat = " ".join(text.splitlines())
    tokens = [t for t in _tokens(markdown_plain(text), inline=True) if t.type != "inline"]
    assert all(t.type == "text" for t in tokens)
    assert "".join(t.content for t in tokens) == flat
    assert GITHUB.renderInline(markdown_plain("[x](y) *z* <b>")) == "[x](y) *z* &lt;b&gt;"
    code = [t for t in _tokens(markdown_code(text), inline=True) if t.type != "inline"]
    if flat.strip(" "):
        assert [t.type for t in code] == ["code_inline"]


def test_a_field_cannot_define_a_link_for_readme(tmp_path):
    body = SPAM.replace('"Sender blocklist."', '"[a]: javascript:alert(1)"').replace(
        '"Bodies are hashed before training."', '"See [a] and ![b][c]."').replace(
        '"Score every incoming message"', '"[c]: https://e.example/x.png"')
    case = load_design(write_design(tmp_path, "spam_filter.py", body))
    readme = render(environment(), "readme.md.j2", **design_context(case, []))
    assert "[a]\\: javascript:alert(1)" in readme
    urls = {str(t.attrGet("href") or t.attrGet("src")) for t in _tokens(readme)
            if t.type in ("link_open", "image")}
    assert {u for u in urls if not u.startswith("#")} == set(), urls


# 1b. Links and images in text: relative or https, images relative only ---------------------

REFUSED = {
    "[x](javascript:alert(1))": "link 'javascript:alert(1)' should be a relative URL",
    "[x](JavaScript:alert(1))": "link 'JavaScript:alert(1)' should be a relative URL",
    "[x](&#106;avascript:alert(1))": "link 'javascript:alert(1)' should be a relative URL",
    "[x](data:text/html,<b>hi</b>)": "link 'data:text/html,<b>hi</b>' should be",
    "[x](vbscript:msgbox)": "link 'vbscript:msgbox' should be",
    "[x](file:///etc/passwd)": "link 'file:///etc/passwd' should be",
    "[x](http://e.example/)": "link 'http://e.example/' should be",
    "[x](//e.example/)": "link '//e.example/' should be",
    "<javascript:alert(1)>": "link 'javascript:alert(1)' should be",
    "<https://e.example/[y](javascript:z)>": "link 'javascript:z'",  # an autolink until escaped
    "![x](https://e.example/a.png)": "image 'https://e.example/a.png' should be a relative path",
    "![x](http://e.example/a.png)": "image 'http://e.example/a.png' should be a relative path",
    "![x](//e.example/a.png)": "image '//e.example/a.png' should be a relative path",
    "![x](data:image/png;base64,AAAA)": "image 'data:image/png;base64,AAAA' should be",
    "[![x](https://e.example/a.png)](https://e.example/)": "image 'https://e.example/a.png'",
    "[x](\\\\e.example\\a)": "holds a space, control character or backslash",
    "[x](<java\tscript:alert(1)>)": "holds a space, control character or backslash",
}
ALLOWED = ["[x](https://e.example/a?b=c#d)", "![x](figures/a.png)", "[x](../news-feed/index.html)",
           "[x](#requirements)", "<https://e.example>", "a < b > c", "`[x](javascript:y)`",
           "costs $5 (roughly)"]


@pytest.mark.parametrize("text", REFUSED)
def test_text_links_only_to_relative_or_https_and_images_stay_local(text):
    for make in (lambda t: CaseStudy(slug="s", title="T", summary=t),  # a text field
                 lambda t: Requirements(functional=["ok", t]),  # a list item
                 lambda t: Requirements(questions={t: "ok"}),  # a dict key
                 lambda t: Requirements(non_functional={"latency": t}),  # a dict value
                 lambda t: Metric("AUC", t)):  # a positional field
        with pytest.raises(DesignError) as caught:
            make(text)
        assert REFUSED[text] in caught.value.message, caught.value.message


@pytest.mark.parametrize("text", ALLOWED)
def test_relative_and_https_links_are_welcome(text):
    assert CaseStudy(slug="s", title="T", summary=text, prompt=text).summary == text


@needs_graphviz
@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_name_the_field_line_of_a_remote_image(command, tmp_path, runner,
                                                               monkeypatch):
    body = SPAM.replace('        bias="Heavy reporters are over-represented.",',
                        '        bias="Heavy reporters are over-represented.",\n'
                        '        notes="See ![chart](https://e.example/c.png).",')
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", body)
    result = runner.invoke(main, [command, "--designs", "designs"] +
                           (["--out", "out", "--format", "md"] if command == "build" else []))
    assert result.exit_code == 1
    assert f"\ndesigns/spam_filter.py:{_line(body, 'notes=')}: " in "\n" + result.output
    assert ("DataPreparation: field 'notes': image 'https://e.example/c.png' should be a relative "
            "path to a file beside the page: built pages load nothing remote") in result.output


# 1c. Links on diagram nodes, edges and labels -------------------------------------------------

def _draw(fn):
    """Draw fn as a diagram of this file and return the DesignError it raises."""
    spec = DiagramSpec("T", "t", fn, "LR", "", Location(__file__, fn.__code__.co_firstlineno))
    with pytest.raises(DesignError) as caught:
        draw(spec)
    return caught.value


def _here(marker: str) -> int:
    return _line(open(__file__).read(), marker)


def test_node_url_must_be_relative_or_https():
    def fn():
        User("a", URL="javascript:alert(1)")  # mark: node URL
    exc = _draw(fn)
    assert exc.location.line == _here("# mark: node URL")
    assert exc.message == ("node 'a': URL: link 'javascript:alert(1)' should be a relative URL "
                           "or start with https://")


@pytest.mark.parametrize("attrs", [{"URL": "data:text/html,x"}, {"href": "http://e.example"},
                                   {"labelURL": "vbscript:x"}, {"headhref": "file:///etc"},
                                   {"tailURL": "//e.example/"}, {"edgehref": "java\tscript:x"}])
def test_edge_urls_must_be_relative_or_https(attrs):
    def fn():
        a, b = User("a"), User("b")
        a >> Edge(**attrs) >> b  # mark: edge URL
    exc = _draw(fn)
    assert exc.location.line == _here("# mark: edge URL")
    assert exc.message.startswith(f"edge from 'a' to 'b': {next(iter(attrs))}: link ")


@pytest.mark.parametrize("label, problem", [
    ('<<table><tr><td href="javascript:alert(1)">x</td></tr></table>>', "href: link"),
    ("<<table><tr><td HREF='http://e.example'>x</td></tr></table>>", "HREF: link"),
    ('<<table><tr><td><img src="https://e.example/a.png"/></td></tr></table>>', "src: image"),
])
def test_html_like_labels_cannot_link_out(label, problem):
    def fn():
        User(label)  # mark: html label
    assert _draw(fn).location.line == _here("# mark: html label")
    assert problem in _draw(fn).message

    def edge():
        User("a") >> Edge(xlabel=label) >> User("b")  # mark: html edge label
    assert _draw(edge).location.line == _here("# mark: html edge label")

    def cluster():
        with stage("data", label):  # mark: html stage label
            User("a")
    assert _draw(cluster).location.line == _here("# mark: html stage label")


def test_a_plain_cluster_cannot_smuggle_a_link():
    def fn():
        User("outside")
        with Cluster("c", graph_attr={"URL": "javascript:alert(1)"}):
            User("a", tooltip="fine")
    exc = _draw(fn)
    assert exc.location.line == fn.__code__.co_firstlineno
    assert exc.message == ("diagram 'T': URL: link 'javascript:alert(1)' should be a relative "
                           "URL or start with https://")

    def node():
        User("outside")
        with Cluster("c"):
            User("a", href="http://e.example")
    assert "href: link 'http://e.example'" in _draw(node).message


def test_relative_and_https_diagram_links_draw():
    def fn():
        a = User("a", URL="https://e.example/a", tooltip="<b>not a link</b>")
        with stage("serving", "<<b>bold</b>>"):
            b = User("b", URL="../news-feed/index.html")
        a >> Edge(URL="b.html#x", label="<<i>calls</i>>") >> b
    drawing = draw(DiagramSpec("T", "t", fn, "LR", "", Location(__file__, 1)))
    assert 'URL="https://e.example/a"' in drawing.source and 'URL="b.html#x"' in drawing.source


# 1d. Slugs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", ["ok-slug\n", "ok-slug\r\n", "ok\x00slug", "ok-slug\t", "\nok",
                                  "ok-slug\u2028", "ok-slug "])
def test_slugs_refuse_control_characters_and_a_final_newline(slug, tmp_path, runner,
                                                             monkeypatch):
    with pytest.raises(DesignError, match="should be lowercase words joined by hyphens"):
        CaseStudy(slug=slug, title="T", summary="s")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new", "A title", "--slug", slug])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: slug {slug!r} should be lowercase words")
    assert not (tmp_path / "designs").exists() or not list((tmp_path / "designs").iterdir())


# 2. Edges to a node of another diagram --------------------------------------------------------

FOREIGN = SPAM.replace('    user = User("Recipient")',
                       '    global kept\n    user = kept = User("Recipient")')
FOREIGN_EDGES = {
    "right": "NeuralNetwork(\"Logistic regression\") >> kept",
    "left": "kept >> NeuralNetwork(\"Logistic regression\")",
    "list": "NeuralNetwork(\"Logistic regression\") >> [NeuralNetwork(\"Other\"), kept]",
    "edge": "NeuralNetwork(\"Logistic regression\") >> Edge(label=\"to\") >> kept",
    "line": "NeuralNetwork(\"Logistic regression\") - kept",
}


def _foreign(edge: str) -> str:
    old = ('        NeuralNetwork("Logistic regression over hashed tokens and sender '
           'reputation")')
    assert old in FOREIGN
    return FOREIGN.replace(old, f"        {edge}").replace(
        "from mlsd import (", "from diagrams import Edge\nfrom mlsd import (")


@needs_graphviz
@pytest.mark.parametrize("name", FOREIGN_EDGES)
def test_an_edge_to_a_node_of_another_diagram_is_an_error_at_its_line(name, tmp_path, runner,
                                                                       monkeypatch):
    body = _foreign(FOREIGN_EDGES[name])
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", body)
    result = runner.invoke(main, ["check", "--designs", "designs"])
    assert result.exit_code == 1
    first, second = ("Recipient", "Logistic regression") if name == "left" else (
        "Logistic regression", "Recipient")
    assert result.output == (
        f"designs/spam_filter.py:{_line(body, FOREIGN_EDGES[name])}: diagrams: edge from "
        f"'{first}' to '{second}': node 'Recipient' belongs to another diagram: draw the node "
        f"again in this one\n")


@needs_graphviz
def test_nodes_of_the_same_diagram_still_connect(tmp_path, runner, monkeypatch):
    body = FOREIGN  # the global is kept but only used where it was drawn
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", body)
    result = runner.invoke(main, ["check", "--designs", "designs"])
    assert result.exit_code == 0, result.output
