"""Sanitizing, proved on the whole path: feed HTML -> clean_html -> to_markdown ->
Python-Markdown (as MkDocs renders it) -> the HTML a browser would get.

The sanitizer's own output is not what people open; the rendered page is. Each
vector below is pushed through every hop and the final HTML is parsed and
checked for anything that could run.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.config import FeedConfig
from hub.feeds.parse import parse_feed
from hub.feeds.sanitize import clean_html, plain_text, safe_url, to_markdown

FEEDS = Path(__file__).parent / "data" / "feeds"
EXTENSIONS = ["attr_list", "md_in_html", "tables", "pymdownx.superfences"]
BASE = "https://www.acme.example/blog/post"

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "form", "svg", "math", "base", "meta",
    "link", "frame", "frameset", "applet", "input", "button", "textarea", "template",
}  # fmt: skip
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "data",
             "background", "cite", "lowsrc", "dynsrc", "ping", "manifest"}  # fmt: skip
BAD_SCHEMES = ("javascript", "data", "vbscript", "livescript", "mocha")

# OWASP filter-evasion classics, escaped markup as text, Markdown syntax as
# text, URL tricks nh3 treats as relative, SVG/MathML, attr_list and fences.
VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",  # noqa: E501
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",  # noqa: E501
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<a href="&nbsp;javascript:alert(1)">x</a>',
    '<a href="`javascript:alert(1)`">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\u0000script:alert(1)">x</a>',
    '<a href="/\\javascript:alert(1)">x</a>',
    "<BODY ONLOAD=alert('XSS')>",
    '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<IMG SRC=\"javascript:alert('XSS')\"",
    "<iframe src=http://xss.example/scriptlet.html <",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    '<svg/onload=alert("XSS")>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",  # noqa: E501
    '<math href="javascript:alert(1)">CLICKME</math>',
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',  # noqa: E501
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">x</button></form>',
    '<img src="x.png" srcset="javascript:alert(1) 1x, data:image/png;base64,xx 2x">',
    '<a href="https://ok.example/" onclick="alert(1)" onmouseover=alert(2)>ok</a>',
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # escaped markup that is text in the feed and must stay text on the page
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
    "<p>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</p>",
    "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>",
    "<p>&lt;div markdown=&quot;1&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/div&gt;</p>",
    "<p>&lt;iframe src=javascript:alert(1)&gt;</p>",
    "<p>&lt;!-- x --&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    # Markdown syntax in text
    "<p>[x](javascript:alert(1))</p>",
    "<p>![x](javascript:alert(1))</p>",
    "<p>[x]( javascript:alert(1) )</p>",
    "<p>&lt;javascript:alert(1)&gt;</p>",
    "<p>&lt;https://ok.example/&gt; &lt;mailto:x@example.com&gt;</p>",
    "<p>[x][r]</p><p>[r]: javascript:alert(1)</p>",
    '<p>[x]</p><p>[x]: javascript:alert(1) "t"</p>',
    "<p>`javascript:alert(1)`</p>",
    "<p>[a](`javascript:alert(1)`)</p>",
    "<p>[a](&nbsp;javascript:alert(1))</p>",
    "<p>[a](jav&amp;#x09;ascript:alert(1))</p>",
    "<p>[a](jav&#x09;ascript:alert(1))</p>",
    "<p>text {: onclick=&quot;alert(1)&quot; }</p>",
    "<p>text</p><p>{: onclick=&quot;alert(1)&quot; }</p>",
    "<h2>Title {: onclick=alert(1) }</h2>",
    "<h2>Title {#id onclick=alert(1)}</h2>",
    '<a href="https://ok.example/">link</a>{: onclick="alert(1)" }',
    "<p>```</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>```</p>",
    "<p>~~~ {: onclick=alert(1)}</p>",
    "<p>```{ .x onclick=&quot;alert(1)&quot; }</p><p>code</p><p>```</p>",
    "<pre><code>```\n&lt;script&gt;alert(1)&lt;/script&gt;\n```</code></pre>",
    "<pre>~~~\n&lt;img src=x onerror=alert(1)&gt;\n~~~</pre>",
    "<pre><code>````\n</code></pre><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<blockquote><pre>```\n&lt;script&gt;alert(1)&lt;/script&gt;</pre></blockquote>",
    "<ul><li>x<pre>&lt;script&gt;alert(1)&lt;/script&gt;\n\n[x](javascript:alert(1))</pre></li></ul>",
    "<ol><li><ul><li><pre>```\n&lt;script&gt;alert(1)&lt;/script&gt;</pre></li></ul></li></ol>",
    "<table><tr><td><pre>```&lt;script&gt;alert(1)&lt;/script&gt;</pre></td></tr></table>",
    "<table><tr><td>&lt;script&gt;alert(1)&lt;/script&gt; | x</td></tr></table>",
    "<dl><dt>&lt;script&gt;</dt><dd><pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre></dd></dl>",
    "<p><code>``</code>&lt;script&gt;alert(1)&lt;/script&gt;<code>``</code></p>",
    "<p><code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
    # raw code text must not be cut open by a line break or a wrapping link
    "<p><code>a\n# &lt;script&gt;alert(1)&lt;/script&gt;</code></p>",
    "<p>x <code>a\n&gt; &lt;script&gt;alert(1)&lt;/script&gt;</code></p>",
    "<p><code>a<br>&lt;script&gt;alert(1)&lt;/script&gt;<br></code></p>",
    '<p><a href="https://ok.example/"><code>a\n    &lt;script&gt;alert(1)&lt;/script&gt;</code></a></p>',  # noqa: E501
    "<code>&lt;script&gt;alert(1)&lt;/script&gt;<ul><li>&lt;</li></ul></code>",
    '<a href="https://ok.example/"><pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre></a>',
    "<p>t<strong><pre>```\n&lt;script&gt;alert(1)&lt;/script&gt;</pre></strong></p>",
    '<img alt="x](javascript:alert(1)) ![y" src="https://ok.example/a.png">',
    '<a href="https://ok.example/" title="a&quot; onclick=&quot;alert(1)">t</a>',
    '<a href="https://ok.example/x)&lt;script&gt;alert(1)&lt;/script&gt;">t</a>',
    '<a href="https://ok.example/x&quot;onmouseover=&quot;alert(1)">t</a>',
    '<a href="https://ok.example/&lt;img src=x onerror=alert(1)&gt;">t</a>',
    '<h1><a href="javascript:alert(1)"><img src="javascript:alert(2)" alt="[x](javascript:alert(3))"></a></h1>',  # noqa: E501
    "<p>--8&lt;-- &quot;/etc/passwd&quot;</p>",
    "<p>!!! note &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</p>",
    "<p>*[HTML]: &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<p>a<br>&lt;script&gt;alert(1)&lt;/script&gt;<br># h<br>=== <br>- [x](javascript:alert(1))</p>",  # noqa: E501
    '<p style="behavior:url(x.htc)" class="x" id="y" onfocus="alert(1)" autofocus>t</p>',
    '<a href="https://user:pass@evil.example/">creds</a>',
    '<a href="https://www.acme.example@evil.example/">lure</a>',
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str:
    cleaned = re.sub(r"[\x00-\x20]", "", url).replace("\\", "/").lower()
    return urlsplit(cleaned).scheme if ":" in cleaned else ""


def assert_inert(page: str) -> None:
    """No element, attribute or URL on the rendered page can run script."""
    collector = _Collector()
    collector.feed(page)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag not in FORBIDDEN_TAGS, (tag, page)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, page)
            assert name != "style", (tag, page)
            if name in URL_ATTRS and value:
                candidates = value.split(",") if name == "srcset" else [value]
                for candidate in candidates:
                    url = candidate.strip().split(" ")[0] if name == "srcset" else candidate
                    assert _scheme(url) not in BAD_SCHEMES, (tag, name, value, page)
                    if name in ("href", "src"):
                        assert _scheme(url) in ("http", "https"), (tag, name, value, page)
    assert not re.search(
        r"<\s*/?\s*(?:script|iframe|object|embed|form|style|svg|math)\b", page, re.I
    ), page


def whole_path(feed_html: str, base: str | None = BASE) -> str:
    md = to_markdown(clean_html(feed_html, base))
    return markdown.markdown(md, extensions=EXTENSIONS)


@pytest.mark.parametrize("vector", VECTORS)
@pytest.mark.parametrize("base", [BASE, None])
def test_vectors_are_inert_on_the_rendered_page(vector: str, base: str | None) -> None:
    assert_inert(whole_path(vector, base))


@pytest.mark.parametrize("vector", VECTORS)
def test_vectors_are_inert_inside_structures(vector: str) -> None:
    for wrapper in ("<ul><li>{}</li></ul>", "<blockquote>{}</blockquote>",
                    "<table><tr><td>{}</td></tr></table>", "<h3>{}</h3>",
                    "<ol><li><blockquote>{}</blockquote></li></ol>"):  # fmt: skip
        assert_inert(whole_path(wrapper.format(vector)))


def test_hostile_feed_is_inert_end_to_end() -> None:
    feed = FeedConfig(name="hostile", url="hostile.xml")
    parsed = parse_feed((FEEDS / "hostile.xml").read_bytes(), feed, source="hostile.xml")
    assert len(parsed.items) == 3
    for item in parsed.items:
        page = whole_path(item.content_html, item.link)
        assert_inert(page)
        assert "<" not in item.title or "onerror" not in item.title.lower()
    first = whole_path(parsed.items[0].content_html, parsed.items[0].link)
    assert "a fine link" in first and 'href="https://www.acme.example/ok"' in first
    assert "&lt;script&gt;alert(21)&lt;/script&gt;" in first  # escaped text stays visible text
    assert "stats.wordpress.com" not in first and "feedburner" not in first


_FRAGMENTS = [
    "<", ">", "&lt;", "&gt;", "&amp;", "&quot;", "[", "]", "(", ")", "`", "```", "~~~", "{:",
    "}", "{", "#", "!", "*", "_", "|", "\n", "\n\n", " ", "    ", "-", "1.", ">",
    "javascript:", "jav&#x09;ascript:", "data:", "alert(1)", "onclick=", "onerror=",
    "<script>", "</script>", "&lt;script&gt;", "<img src=x onerror=alert(1)>",
    '<a href="', '">', "</a>", "<a href='javascript:alert(1)'>", "<pre>", "</pre>", "<code>",
    "</code>", "<li>", "<ul>", "</ul>", "<blockquote>", "<td>", "<table>", "<p>", "</p>",
    "<br>", "<h2>", "</h2>", '<img alt="', '" src="https://ok.example/i.png">', "--8<--",
    "<svg>", "<math>", "<style>", "<iframe>", "&#106;avascript:", "\\", "<div markdown=1>",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=30))
def test_any_mix_of_dangerous_fragments_is_inert(parts: list[str]) -> None:
    assert_inert(whole_path("".join(parts)))


# --- clean_html -------------------------------------------------------------------


def test_clean_html_keeps_structure_and_resolves_relative_urls() -> None:
    html = '<h2>T</h2><p>a <a href="/x?a=1&amp;b=2">link</a> <img src="i.png" alt="A pic" width="600"></p>'  # noqa: E501
    out = clean_html(html, "https://www.acme.example/blog/post")
    assert (
        '<a href="https://www.acme.example/x?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
        in out
    )
    assert '<img src="https://www.acme.example/blog/i.png" alt="A pic" width="600">' in out
    assert "<h2>T</h2>" in out


def test_clean_html_without_base_drops_relative_urls() -> None:
    out = clean_html('<a href="/x">rel</a> <img src="i.png" alt="a">', None)
    assert "href" not in out and "<img" not in out and "rel</a>" in out


@pytest.mark.parametrize(
    "img",
    [
        '<img src="https://x.example/a.gif" width="1" height="1">',
        '<img src="https://x.example/a.gif" height="0">',
        '<img src="https://x.example/a.gif" width="2">',
        '<img src="https://pixel.wp.com/g.gif?v=1">',
        '<img src="https://stats.wordpress.com/b.gif">',
        '<img src="https://feeds.feedburner.com/~r/acme/~4/abc">',
        '<img src="https://www.google-analytics.com/collect?v=1">',
        '<img src="https://mail.acme.example/track/open.gif?id=9">',
        '<img src="https://x.example/1x1.gif">',
        '<img src="javascript:alert(1)">',
    ],
)
def test_tracking_pixels_are_dropped(img: str) -> None:
    assert "<img" not in clean_html(f"<p>{img}text</p>", BASE)


def test_ordinary_images_stay() -> None:
    out = clean_html(
        '<img src="https://cdn.acme.example/photos/team.jpg" width="800" alt="Team">', None
    )
    assert "team.jpg" in out


def test_dropped_tags_lose_their_content() -> None:
    out = clean_html("<p>keep</p><script>bad()</script><style>.x{}</style><svg><text>s</text></svg>"
                     "<form><input value=v>f</form><iframe>i</iframe>", None)  # fmt: skip
    assert out == "<p>keep</p>"


# --- safe_url ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://www.acme.example/a", None, "https://www.acme.example/a"),
        ("HTTPS://WWW.Acme.Example:443/a b", None, "https://www.acme.example/a%20b"),
        ("http://x.example:8080", None, "http://x.example:8080/"),
        ("/p?q=1#f", "https://x.example/a/b", "https://x.example/p?q=1#f"),
        ("c", "https://x.example/a/b", "https://x.example/a/c"),
        ("//cdn.example/i.png", "https://x.example/", "https://cdn.example/i.png"),
        ("  https://x.example/\t", None, "https://x.example/"),
        ("https://例え.jp/パス", None, "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"),
        ("https://x.example/a(b)'c\"<d>`e", None, "https://x.example/a%28b%29%27c%22%3Cd%3E%60e"),
        ("https://x.example/100%", None, "https://x.example/100%25"),
        ("https://x.example/%E4%B8%AD", None, "https://x.example/%E4%B8%AD"),
        ("https://[::1]:8000/x", None, "https://[::1]:8000/x"),
        ("javascript:alert(1)", "https://x.example/", None),
        ("jav\tascript:alert(1)", "https://x.example/", None),
        ("\x01javascript:alert(1)", None, None),
        ("data:text/html,x", None, None),
        ("mailto:a@b.example", None, None),
        ("ftp://x.example/f", None, None),
        ("/relative", None, None),
        ("relative", "javascript:alert(1)", None),
        ("https://user:pw@x.example/", None, None),
        ("https://x.example@evil.example/", None, None),
        ("https://evil.example\\@x.example/", None, "https://evil.example/@x.example/"),
        ("https:///nohost", None, None),
        ("https://bad_host!.example/", None, None),
        ("https://x.example:99999/", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_safe_url(url: str | None, base: str | None, expected: str | None) -> None:
    assert safe_url(url, base) == expected


# --- to_markdown -----------------------------------------------------------------


def test_to_markdown_is_readable() -> None:
    html = (
        "<h1>Title</h1><p>Some <strong>bold</strong> and <em>em</em> text, AT&amp;T, 50% off.</p>"
        '<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul><ol start="3"><li>three</li></ol>'
        "<blockquote><p>quoted</p></blockquote><h3>Sub</h3><p>#LifeAtAcme e.g. 1. item</p>"
        "\n\n\n\n<p></p><p>end</p>"
    )
    md = to_markdown(clean_html(html, None))
    assert md == (
        "# Title\n\nSome **bold** and *em* text, AT&T, 50% off.\n\n- one\n- two\n\n"
        "    - nested\n\n3. three\n\n> quoted\n\n### Sub\n\n\\#LifeAtAcme e.g. 1. item\n\nend\n"
    )
    page = markdown.markdown(md, extensions=EXTENSIONS)
    assert "<li>nested</li>" in page and "AT&amp;T" in page and "#LifeAtAcme" in page
    assert "\\" not in re.sub(r"<[^>]+>", "", page)  # no stray backslashes shown


def test_to_markdown_renders_escaped_text_verbatim() -> None:
    text = "a < b & c > d [x](y) {z} `q` *s* _u_ | # ! ~ = ? &lt;b&gt; &amp;amp; &copy; &#60;"
    html = "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"
    page = markdown.markdown(to_markdown(clean_html(html, None)), extensions=EXTENSIONS)
    collector_text = re.sub(r"<[^>]+>", "", page)
    import html as htmllib

    assert htmllib.unescape(collector_text).strip() == text


def test_to_markdown_code_blocks_keep_backticks() -> None:
    md = to_markdown("<pre><code>a ``` b\nprint('x')</code></pre>")
    assert md == "````\na ``` b\nprint('x')\n````\n"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<table><thead><tr><th>Role</th><th>City</th></tr></thead><tbody><tr><td>Engineer"
            '</td><td>Kuala Lumpur</td></tr><tr><td colspan="2">Remote <em>possible</em></td>'
            "</tr></tbody></table>",
            "| Role | City |\n| --- | --- |\n| Engineer | Kuala Lumpur |\n"
            "| Remote *possible* | |\n",
        ),
        (
            "<table><tr><td>a</td><td>b|c</td></tr></table>",
            "|  |  |\n| --- | --- |\n| a | b\\|c |\n",
        ),
        (
            '<ol start="3"><li>three</li><li>four<ol><li>sub <strong>one</strong></li></ol></li>'
            "</ol><p>after</p>",
            "3. three\n4. four\n\n    1. sub **one**\n\nafter\n",
        ),
        (
            "<p>Run <code>pip install x</code> or <code>a `b` c</code>, then <kbd>Ctrl</kbd>.</p>",
            "Run `pip install x` or `` a `b` c ``, then `Ctrl`.\n",
        ),
        ("<p><code>a\nb<br>c</code></p>", "`a b c`\n"),
        (
            '<ul><li>step<pre>x = 1\ny = "2"</pre></li></ul>',
            "- step\n\n    <pre><code>x &#61; 1&#10;y &#61; &#34;2&#34;</code></pre>\n",
        ),
        (
            '<p>See <a href="https://www.acme.example/a?b=1&amp;c=2" title="t">the <em>guide</em>'
            '</a> and <img src="https://cdn.acme.example/i.png" alt="A [team] photo">.</p>',
            "See [the *guide*](https://www.acme.example/a?b=1&c=2) and "
            "![A \\[team\\] photo](https://cdn.acme.example/i.png).\n",
        ),
        (
            '<h2>Jobs <img src="https://cdn.acme.example/i.png" alt="icon"></h2><p>line one<br>'
            "line two</p><hr><blockquote><p>q1</p><p>q2</p></blockquote>",
            "## Jobs icon\n\nline one  \nline two\n\n---\n\n> q1\n>\n> q2\n",
        ),
        (
            '<dl><dt>Term</dt><dd>Definition</dd></dl><figure><img alt="x" '
            'src="https://cdn.acme.example/i.png"><figcaption>Caption</figcaption></figure>',
            "Term\n:   Definition\n\n![x](https://cdn.acme.example/i.png)\n\nCaption\n",
        ),
        (
            "<p>中文 <strong>粗体</strong>，عربي <em>مائل</em> हिन्दी</p>",
            "中文 **粗体**，عربي *مائل* हिन्दी\n",
        ),
    ],
)
def test_to_markdown_structures(html: str, expected: str) -> None:
    assert to_markdown(clean_html(html, None)) == expected


_URL_PARTS = [
    "https://", "http://", "HTTPS://", "javascript:", "x.example", "X.Example", "xn--r8jz45g.jp",
    "a-b.example", "1.2.3.4", ":8080", ":443", ":99999", "@evil.example", "user:pw@", "/", "//",
    "a", "%", "%2F", "%zz", "?", "#", "&", "=", ";", "(", ")", '"', "'", " ", "\t", "é", "中",
    "\\", "..", ".", "-", "_", "~", "*", "+", "`", "<", ">", "[", "]", "{", "|", "x" * 64,
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_URL_PARTS), min_size=1, max_size=12))
def test_links_carry_exactly_what_safe_url_gives(parts: list[str]) -> None:
    """The converter re-checks URLs with a shape test first; it must agree with safe_url."""
    import html as htmllib

    url = "".join(parts)
    expected = safe_url(url)
    attribute = htmllib.escape(url, quote=True)
    assert to_markdown(f'<p><a href="{attribute}">t</a></p>') == (
        f"[t]({expected})\n" if expected else "t\n"
    )
    alt_only = to_markdown(f'<img alt="a" src="{attribute}">')
    assert alt_only == (f"![a]({expected})\n" if expected else "a\n")


def test_to_markdown_is_deterministic_and_trims_blank_lines() -> None:
    html = "<p>a</p>" + "<br><br><br><div></div>" * 5 + "<p>b</p>"
    first = to_markdown(clean_html(html, None))
    assert first == to_markdown(clean_html(html, None))
    assert "\n\n\n" not in first and first.endswith("b\n")
    assert to_markdown("") == "" and to_markdown("<p> </p>") == ""


# --- plain_text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("<p>Hello &amp; <b>world</b></p><p>again</p>", None, "Hello & world again"),
        ("Fish &amp;amp; chips", None, "Fish &amp; chips"),
        ("A &lt;b&gt; tag", None, "A <b> tag"),
        ("<script>x()</script>Visible<style>.a{}</style>", None, "Visible"),
        ("  many\n\t spaces\u200b here ", None, "many spaces here"),
        ("The quick brown fox jumps over the lazy dog", 20, "The quick brown fox…"),
        ("Supercalifragilistic", 10, "Supercali…"),
        ("我们如何在上海打造多语言客服平台", 8, "我们如何在上海…"),
        ("नमस्ते दुनिया से", 9, "नमस्ते…"),
        ("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 10, "👨‍👩‍👧‍👦…"),
        ("short", 10, "short"),
        ("", 10, ""),
        (None, None, ""),
    ],
)
def test_plain_text(html: str | None, limit: int | None, expected: str) -> None:
    out = plain_text(html, limit)
    assert out == expected
    if limit is not None:
        assert len(out) <= limit
