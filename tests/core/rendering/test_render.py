"""Card Markdown renders to safe, offline HTML that QTextBrowser can show."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from studyapp.core.rendering.math_render import MathRenderer
from studyapp.core.rendering.render import DARK, LIGHT, Renderer, Theme, theme_for

ROOT = Path(__file__).resolve().parents[3]
DATA_IMG = re.compile(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" width="\d+" height="\d+"')


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(MathRenderer())


def html(renderer: Renderer, text: str, theme: Theme = LIGHT) -> str:
    return renderer.markdown_to_html(text, theme)


def pre_blocks(fragment: str) -> list[str]:
    return re.findall(r"<pre[^>]*>(.*?)</pre>", fragment, flags=re.DOTALL)


def visible_text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


# -- Markdown ---------------------------------------------------------------------------------


def test_fenced_python_is_highlighted_and_keeps_indentation(renderer: Renderer) -> None:
    card = "```python\ndef f(x):\n    if x:\n        return x  # done\n```\n"
    (block,) = pre_blocks(html(renderer, card))
    assert '<span style="color:' in block
    assert visible_text(block) == "def f(x):\n    if x:\n        return x  # done"
    assert not block.endswith("\n")  # no empty shaded line under the code


@pytest.mark.parametrize("fence", ["```", "```no-such-language", "~~~ {.nope}"])
def test_code_without_known_language_is_plain(renderer: Renderer, fence: str) -> None:
    closing = fence[:3]
    fragment = html(renderer, f"{fence}\nif a < b and c & d:\n    pass\n{closing}\n")
    (block,) = pre_blocks(fragment)
    assert block == "if a &lt; b and c &amp; d:\n    pass"


def test_code_block_has_a_background(renderer: Renderer) -> None:
    fragment = html(renderer, "```python\nx = 1\n```")
    assert re.search(rf"<pre[^>]*background-color:{LIGHT.code_background}", fragment)


def test_inline_markup_lists_and_links(renderer: Renderer) -> None:
    fragment = html(
        renderer,
        "Use **bold**, *italic* and `x[i] * 2`.\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "[docs](https://example.org/a?b=1) and <mailto:me@example.org>",
    )
    assert "<strong>bold</strong>" in fragment and "<em>italic</em>" in fragment
    assert "<code>x[i] * 2</code>" in fragment
    assert "<ul>" in fragment and "<ol>" in fragment and fragment.count("<li>") == 4
    assert '<a href="https://example.org/a?b=1">docs</a>' in fragment
    assert 'href="mailto:' in fragment


def test_table_renders_with_borders(renderer: Renderer) -> None:
    fragment = html(renderer, "| op | cost |\n|----|-----:|\n| add | O(1) |\n| sort | O(n log n) |")
    assert re.search(r'<table[^>]*border="1"', fragment)
    assert "<th>op</th>" in fragment
    assert re.search(r"<td[^>]*>O\(n log n\)</td>", fragment)


def test_cyrillic_passes_through_untouched(renderer: Renderer) -> None:
    text = "Градиентный спуск: **шаг** обновления — «ёж»"
    fragment = html(renderer, text)
    assert "Градиентный спуск: <strong>шаг</strong> обновления — «ёж»" in fragment


# -- sanitising -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>hello", "alert"),
        ('<p onclick="steal()">click</p>', "onclick"),
        ('<img src="x.png" onerror="steal()">', "onerror"),
        ("[link](javascript:alert(1))", "javascript"),
        ('<a href="JavaScript:alert(1)">x</a>', "javascript"),
        ('<a href="data:text/html,hi">x</a>', "data:"),
        ("![chart](http://example.org/chart.png)", "example.org"),
        ('<img src="https://example.org/pixel.gif">', "example.org"),
        ('<img src="data:image/svg+xml;base64,PHN2Zy8+">', "svg"),
        ('<span style="background-image: url(http://example.org/x)">x</span>', "url("),
        ("<iframe src='http://example.org'></iframe>", "iframe"),
        ("<style>body { color: red }</style>text", "color: red"),
    ],
)
def test_dangerous_or_remote_content_is_removed(
    renderer: Renderer, source: str, forbidden: str
) -> None:
    fragment = html(renderer, source)
    assert forbidden.lower() not in fragment.lower()


def test_remote_images_disappear_entirely(renderer: Renderer) -> None:
    fragment = html(renderer, 'before <img src="http://example.org/a.png" alt="a"> after')
    assert "<img" not in fragment
    assert "before" in fragment and "after" in fragment


def test_safe_links_are_kept(renderer: Renderer) -> None:
    fragment = html(renderer, '<a href="http://example.org" title="t">x</a>')
    assert '<a href="http://example.org" title="t">x</a>' in fragment


# -- maths ------------------------------------------------------------------------------------


def test_inline_maths_is_an_image_and_underscores_stay_tex(renderer: Renderer) -> None:
    fragment = html(renderer, "Sum $x_1 + y_2$ and $a_i * b_i * c$ here")
    assert len(DATA_IMG.findall(fragment)) == 2
    assert "<em>" not in fragment
    assert 'style="vertical-align:middle"' in fragment
    assert 'alt="x_1 + y_2"' in fragment
    assert fragment.startswith("<p>Sum <img") and fragment.endswith("here</p>")


def test_display_maths_is_centred_in_its_own_paragraph(renderer: Renderer) -> None:
    fragment = html(renderer, "The loss is\n$$\nL = -\\sum_i y_i\n  \\log p_i\n$$\nwhere p is a")
    paragraphs = re.findall(r"<p[^>]*>.*?</p>", fragment, flags=re.DOTALL)
    assert len(paragraphs) == 3
    assert paragraphs[0] == "<p>The loss is</p>"
    assert paragraphs[1].startswith('<p style="text-align:center"><img src="data:image/png')
    assert paragraphs[2] == "<p>where p is a</p>"


def test_dollars_in_code_stay_literal(renderer: Renderer) -> None:
    card = textwrap.dedent(
        """\
        Shell: `echo $HOME $x$`.

        ```bash
        echo "$x_1 and $y_2$"
        ```

            price = "$5 $x$"
        """
    )
    fragment = html(renderer, card)
    assert "<img" not in fragment
    assert "<code>echo $HOME $x$</code>" in fragment
    blocks = [visible_text(b) for b in pre_blocks(fragment)]
    assert blocks == ['echo "$x_1 and $y_2$"', 'price = "$5 $x$"']


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("It costs $5 and $6 now.", "It costs $5 and $6 now."),
        ("Between $ 1 and 2 $ here", "Between $ 1 and 2 $ here"),
        ("Range $2$3 apples", "Range $2$3 apples"),
        (r"Escaped \$x\$ stays", "Escaped $x$ stays"),
        ("Lone $$ pair", "Lone $$ pair"),
    ],
)
def test_dollars_that_are_not_maths_stay_text(renderer: Renderer, text: str, shown: str) -> None:
    fragment = html(renderer, text)
    assert "<img" not in fragment
    assert visible_text(fragment) == shown


def test_maths_next_to_code_span(renderer: Renderer) -> None:
    fragment = html(renderer, "`$a$` then $b$ and `c`")
    assert "<code>$a$</code>" in fragment and "<code>c</code>" in fragment
    assert len(DATA_IMG.findall(fragment)) == 1


def test_invalid_tex_shows_a_marker_instead_of_raising(renderer: Renderer) -> None:
    fragment = html(renderer, "Bad $x^$ and worse $$\\frac{1}$$ end")
    assert fragment.count("⚠") == 2
    assert "<code" in fragment and "$x^$</code>" in fragment and "$$\\frac{1}$$</code>" in fragment
    assert "could not render" in fragment
    assert "end" in fragment


def test_maths_in_a_table_cell_and_list(renderer: Renderer) -> None:
    fragment = html(renderer, "| a | b |\n|---|---|\n| $|x|$ | 2 |\n\n- item $\\alpha$")
    assert re.search(r"<td[^>]*><img src=\"data:image/png", fragment)
    assert re.search(r"<li>item <img src=\"data:image/png", fragment)


# -- documents and themes ---------------------------------------------------------------------


def test_card_document_shows_answer_after_a_rule(renderer: Renderer) -> None:
    question_only = renderer.card_document("What is **SGD**?", None, LIGHT)
    assert question_only.startswith("<html><head>") and question_only.endswith("</html>")
    assert "<style" in question_only and "<hr>" not in question_only
    both = renderer.card_document("What is **SGD**?", "Stochastic gradient descent.", LIGHT)
    assert both.index("<strong>SGD</strong>") < both.index("<hr>") < both.index("Stochastic")


def test_dark_theme_uses_dark_colours(renderer: Renderer) -> None:
    assert theme_for(True) is DARK and theme_for(False) is LIGHT
    document = renderer.card_document("```python\nreturn None\n```", "$x$", DARK)
    css = renderer.stylesheet(DARK)
    assert css in document
    assert f"background-color: {DARK.background}" in css and f"color: {DARK.text}" in css
    assert f"background-color:{DARK.code_background}" in document
    assert "color:#FF7B72" in document  # github-dark's keyword colour, readable on dark
    assert LIGHT.background not in css and LIGHT.code_background not in document


def test_maths_is_drawn_in_the_theme_text_colour(renderer: Renderer) -> None:
    light = html(renderer, "$z^2$", LIGHT)
    dark = html(renderer, "$z^2$", DARK)
    assert DATA_IMG.search(light) and DATA_IMG.search(dark)
    assert light != dark


def test_rendering_again_gives_the_same_html(renderer: Renderer) -> None:
    card = "Text $a_1$ and\n\n```python\nx = 1\n```"
    assert html(renderer, card) == html(renderer, card)
    assert html(renderer, "plain") == "<p>plain</p>"


def test_no_matplotlib_without_maths_nor_for_cached_maths(tmp_path: Path) -> None:
    Renderer(MathRenderer(cache_dir=tmp_path)).markdown_to_html("$e^{x}$", DARK)
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from studyapp.core.rendering.math_render import MathRenderer
        from studyapp.core.rendering.render import DARK, Renderer
        assert "matplotlib" not in sys.modules, "imported with the module"
        renderer = Renderer(MathRenderer(cache_dir=Path({str(tmp_path)!r})))
        renderer.card_document("# Q\\n\\n```python\\nx = 1\\n```", "no maths", DARK)
        assert "matplotlib" not in sys.modules, "imported for a card without maths"
        fragment = renderer.markdown_to_html("$e^{{x}}$", DARK)
        assert 'src="data:image/png;base64,' in fragment, fragment
        assert "matplotlib" not in sys.modules, "imported for a cached formula"
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
