"""Page skeletons of the three LWN generations: head, navigation, footer."""

from __future__ import annotations

from html import escape

from .shape import Layout

_NAV = (
    ("/current/", "Weekly Edition"),
    ("/Archives/", "Archives"),
    ("/Search/", "Search"),
    ("/Kernel/", "Kernel"),
    ("/Security/", "Security"),
    ("/Calendar/", "Events calendar"),
    ("/Comments/unread", "Unread comments"),
)


def page(*, layout: Layout, charset: str, title: str, body: str, target: str, year: int) -> str:
    """A whole page: *body* goes inside ``div.ArticleText`` (inside ``<main>`` in the
    modern layout); *target* is the login form's return path, which names the page."""
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n'
        f"<head><title>{escape(title)} [LWN.net]</title>\n"
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        '<link rel="stylesheet" href="/CSS/lwn">\n</head>\n<body>\n<a name="t"></a>\n'
    )
    headline = f'<div class="PageHeadline">\n<h1>{escape(title)}</h1>\n</div>\n'
    footer = (
        f'<br clear="all">\n<center>\n<p>\n<font size="-2">\nCopyright &copy; {year}, '
        "Eklektix, Inc.<br>\nComments and public postings are copyrighted by their "
        "creators.<br>\n</font>\n</p>\n</center>\n"
    )
    if layout == "table":
        nav = "".join(f'<td class="NavLink"><a href="{h}">{t}</a></td>\n' for h, t in _NAV)
        return (
            head + '<table class="Page">\n<tr>\n<td class="LeftColumn">\n'
            '<div class="SideBox">\n<p class="Header">User:</p>\n'
            '<form action="https://lwn.net/login" method="post" name="loginform" '
            'class="loginform">\n'
            '<input type="text" name="Username" value="" size="8">\n'
            '<input type="password" name="Password" size="8">\n'
            f'<input type="hidden" name="target" value="{target}">\n'
            '<input type="submit" name="submit" value="Log in">\n</form>\n</div>\n</td>\n<td>\n'
            '<table><tr><td class="MidColumn">\n<table class="TopNavigation"><tr>\n'
            f"{nav}</tr></table>\n</td></tr>\n"
            '<tr><td colspan="2" class="MCTopBanner"><div '
            'class="ad">Advertisement</div></td></tr>\n'
            f'<tr><td class="MidColumn">\n{headline}<div class="ArticleText">\n{body}'
            "</div> <!-- ArticleText -->\n</td><!-- MC -->\n"
            '<td class="RightColumn"><div class="ad">Advertisement</div></td>\n'
            "</tr></table></td>\n</tr></table> <!-- endpage -->\n" + footer + "</body></html>\n"
        )
    modern = layout == "modern"
    user, password = ("uname", "pword") if modern else ("Username", "Password")
    nav = "".join(f'  <li><a href="{h}">{t}</a></li>\n' for h, t in _NAV)
    main_open, main_close = ("<main>\n", "</main>\n") if modern else ("", "")
    consent = (
        '<div class="osano-cm-window"><div class="osano-cm-dialog">This site uses cookies. '
        "<button>Accept</button></div></div>\n"
        if modern
        else ""
    )
    return (
        head + '<div id="menu"><a href="/"><img class="logo" src="/images/logo.png" '
        'alt="LWN.net Logo"></a>\n'
        '<ul class="navmenu">\n<li><a class="navmenu" '
        'href="#t"><b>Content</b></a><ul class="navsubmenu">\n'
        f"{nav}</ul></li>\n</ul>\n</div> <!-- menu -->\n"
        '<div class="topnav-container">\n<div class="not-handset">'
        '<form action="https://lwn.net/Login/" method="post" name="loginform" class="loginform">\n'
        f'<label><b>User:</b> <input type="text" name="{user}" value="" size="8"></label>\n'
        f'<label><b>Password:</b> <input type="password" name="{password}" size="8"></label>\n'
        f'<input type="hidden" name="target" value="{target}">\n'
        '<input type="submit" name="submit" value="Log in"></form>\n</div>\n</div>\n'
        '<div class="pure-grid maincolumn">\n<div class="lwn-u-1 pure-u-md-19-24">\n'
        f'{headline}<div class="ArticleText">\n{main_open}{body}{main_close}'
        "</div> <!-- ArticleText -->\n</div>\n"
        '<div class="lwn-u-1 pure-u-md-1-6 not-print">\n<div class="SideBox">'
        '<p class="Header">Recent Features</p></div>\n</div>\n</div> <!-- pure-grid -->\n'
        + footer
        + consent
        + "</body></html>\n"
    )
