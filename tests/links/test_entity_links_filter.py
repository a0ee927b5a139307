"""The ``entity_links`` template filter."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils.safestring import SafeString, mark_safe

from articles.templatetags.entity_links import entity_links


def render(html: str) -> str:
    template = Template("{% load entity_links %}{{ html|entity_links }}")
    return template.render(Context({"html": mark_safe(html)}))


def test_it_links_identifiers_in_text_and_tt() -> None:
    html = "<p>The new <tt>faccessat2()</tt> call and CAP_BPF arrive in 5.8.</p>"
    assert render(html) == (
        '<p>The new <tt><a class="entity" href="/entities/syscall/faccessat2/">faccessat2()</a>'
        '</tt> call and <a class="entity" href="/entities/capability/CAP_BPF/">CAP_BPF</a> '
        'arrive in <a class="entity" href="/entities/release/5.8/">5.8</a>.</p>'
    )


def test_it_leaves_links_pre_and_code_alone() -> None:
    html = (
        '<p><a href="https://lwn.net/">CAP_BPF in a link</a></p>'
        "<pre>#define CAP_BPF 39\nmmap(NULL, len);</pre>"
        "<p><code>madvise()</code> and madvise().</p>"
    )
    assert render(html) == (
        '<p><a href="https://lwn.net/">CAP_BPF in a link</a></p>'
        "<pre>#define CAP_BPF 39\nmmap(NULL, len);</pre>"
        '<p><code>madvise()</code> and <a class="entity" href="/entities/syscall/madvise/">'
        "madvise()</a>.</p>"
    )


def test_it_never_unescapes_text() -> None:
    html = "<p>&lt;script&gt;alert(1)&lt;/script&gt; uses mmap() &amp; CAP_BPF &lt;b&gt;</p>"
    out = render(html)
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&amp;" in out
    assert "&lt;b&gt;</p>" in out
    assert 'href="/entities/syscall/mmap/">mmap()</a>' in out


def test_it_keeps_attribute_values_intact_and_links_paths() -> None:
    out = render("<p title=\"a &quot;q&quot; &amp; 's'\">Read /proc/1234/maps now.</p>")
    paragraph = BeautifulSoup(out, "html.parser").p
    assert paragraph is not None
    assert paragraph["title"] == "a \"q\" & 's'"
    assert [(a["href"], a.string) for a in paragraph.find_all("a")] == [
        ("/entities/path/proc/pid/maps/", "/proc/1234/maps")
    ]


def test_it_returns_html_without_identifiers_untouched_and_safe() -> None:
    html = "<p>Nothing<br>to see &nbsp;here.</p>"
    out = entity_links(html)
    assert isinstance(out, SafeString)
    assert out == html


def test_it_does_not_link_ordinary_words_or_kernel_functions() -> None:
    html = "<p>Pipe it through tee; copy_from_user() is internal.</p>"
    assert render(html) == html


def test_it_links_a_name_once_per_paragraph_that_repeats_it() -> None:
    html = "<p>" + " ".join(["faccessat2() is new."] * 8) + "</p>"
    out = render(html)
    assert out.count('href="/entities/syscall/faccessat2/"') == 1
    assert out.count("faccessat2()") == 8  # the text is all still there


def test_it_links_a_name_again_after_each_heading() -> None:
    html = (
        "<p>mmap() first, mmap() again.</p>"
        "<h4>Core kernel</h4><ul><li>mmap() here</li><li>and mmap() there</li></ul>"
        "<h3>Elsewhere</h3><p>mmap() once more, <tt>mmap()</tt>.</p>"
    )
    soup = BeautifulSoup(render(html), "html.parser")
    parents = [a.find_parent(["p", "li"]) for a in soup.select("a.entity")]
    linked = [parent.get_text()[:12] for parent in parents if parent is not None]
    assert linked == ["mmap() first", "mmap() here", "mmap() once "]


def test_it_links_the_first_mention_it_may_link_when_the_first_is_code() -> None:
    out = render("<p><code>mmap()</code> then mmap() then mmap().</p>")
    assert out.count('class="entity"') == 1
    assert out.index('class="entity"') > out.index("</code>")


def test_it_treats_the_items_of_one_group_as_one_section() -> None:
    from articles.templatetags.entity_links import entity_links_sections

    out = entity_links_sections(["<p>CAP_BPF in one</p>", "<p>CAP_BPF in two</p>", "<p>x</p>"])
    assert ["CAP_BPF</a>" in html for html in out] == [True, False, False]
    assert all(isinstance(html, SafeString) for html in out)
