"""Server-rendered pages in the partners' six languages, shared by the portal and the verifier's public pages.

`languages`: which languages, and the choice from a cookie or Accept-Language; `catalogs`: the gettext catalogs
(`.po` files written from one table per package, compiled in memory at start); `pages`: one Jinja2 environment per
language; `switch`: the language switch's redirect and the cookie that remembers the choice;
`shared_templates`: the templates every package's pages share (the switch's links, `templates/rexvet_common/`).
"""
