"""Bodies are shown through an allow-list: the seeds' markup survives, scripts never do."""

from __future__ import annotations

from hagukumi.cases.body_html import body_as_text_html, sanitize_body_html


def test_script_and_handlers_never_survive() -> None:
    body = (
        '<p onclick="steal()">段落</p><script>alert("x")</script>'
        '<div style="border: 1px"><u>下線</u></div><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">危険</a><a href="https://example.jp/">安全</a>'
        "<style>body{display:none}</style><iframe src=//evil></iframe>"
    )
    html = sanitize_body_html(body)
    lowered = html.lower()
    for forbidden in (
        "<script",
        'alert("x")',
        "onclick",
        "onerror",
        "<img",
        "javascript:",
        "style=",
        "<style",
        "display:none",
        "<iframe",
    ):
        assert forbidden not in lowered, forbidden
    assert "<p>段落</p>" in html
    assert "<u>下線</u>" in html
    assert 'href="https://example.jp/"' in html


def test_seed_markup_and_text_are_kept() -> None:
    body = (
        '取組内容\t<ul style="list-style-type: none"> <li>○ 研修 &amp; 演習</li></ul>\n次の行 < 3'
    )
    html = sanitize_body_html(body)
    assert "<ul>" in html
    assert "<li>○ 研修 &amp; 演習</li>" in html
    assert "<br>" in html  # line breaks kept
    assert "&lt; 3" in html


def test_plain_text_view_escapes_everything() -> None:
    assert body_as_text_html("<script>x</script>\n行") == "&lt;script&gt;x&lt;/script&gt;<br>\n行"


def test_lists_get_list_items_and_no_breaks_inside_structure() -> None:
    from hagukumi.cases.body_html import sanitize_body_html

    html_out = sanitize_body_html(
        "a\nb<ul>x\ny<li>one</li>z</ul><table><tr><td>1\n2</td></tr></table><ul><p>p</p>"
    )
    assert "<ul><li>x<br>\ny</li><li>one</li><li>z</li></ul>" in html_out
    assert "<td>1<br>\n2</td>" in html_out
    assert "<tr><br>" not in html_out
    assert "<ul><br>" not in html_out
    assert html_out.endswith("<ul><li><p>p</p></li></ul>")


# Markdown of .md/.txt imports (issue #14, defect 3) -------------------------------


def test_markdown_is_rendered_then_sanitised() -> None:
    from hagukumi.cases.body_html import render_body_html

    body = (
        "# 見出し\n\n"
        "- ① **デジタル人材像の明確化**\n"
        "- ② 目標の設定\n\n"
        "本文の行\n次の行\n\n"
        "\t取組内容\t<ul><li>○ 研修</li></ul>\n\n"
        "<script>alert(1)</script>\n\n"
        "[危険](javascript:alert(2)) [安全](https://example.jp/)\n"
    )
    html_out = render_body_html(body, markdown=True)
    assert "**" not in html_out
    assert "<h3>見出し</h3>" in html_out  # the page holds h1 and h2: headings start at h3
    assert "<li>① <strong>デジタル人材像の明確化</strong></li>" in html_out
    assert "本文の行<br>" in html_out  # line breaks kept as in the text
    assert "<li>○ 研修</li>" in html_out  # the seeds' HTML fragments survive
    assert "<pre" not in html_out  # indentation is layout, not code
    assert "<script" not in html_out
    assert 'href="javascript' not in html_out
    assert 'href="https://example.jp/"' in html_out
    assert "<ul><br>" not in html_out


def test_text_from_other_formats_is_not_markdown() -> None:
    from hagukumi.cases.body_html import render_body_html

    assert "**太字**" in render_body_html("PDF の **太字**\n", markdown=False)


def test_markdown_text_drops_the_markup() -> None:
    from hagukumi.cases.body_html import markdown_text

    text = markdown_text(
        "## 目的\n\n- ① **デジタル人材像**の明確化\n1. 一つ目\n\n[リンク](https://x.jp/)"
    )
    assert "**" not in text
    assert "#" not in text
    assert "- ①" not in text
    assert "① デジタル人材像の明確化" in text
    assert "1. 一つ目" in text
    assert "リンク" in text
    assert "https://x.jp/" not in text
