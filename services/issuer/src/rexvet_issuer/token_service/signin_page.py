"""The development sign-in page's HTML: one accessible form (labels, fieldset, errors beside their fields), in the
portal's six languages.

Written with the standard library's escaping rather than a template engine: it is one small page in a service that
otherwise renders nothing, and every value put into it goes through `escape`. Its words go through gettext with the
portal's and the verifier's machinery (rexvet_common.web_i18n; catalogs under `locales/`, written by
services/issuer/tools/signin_translations.py). The language is the one the client asks for (OpenID Connect's
`ui_locales`: the portal sends its page's language), else the browser's Accept-Language; the switch on the page is
a link to the same authorization request with another `ui_locales`, so it needs no cookie of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from rexvet_common.web_i18n.catalogs import load_translations
from rexvet_common.web_i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, choose_language
from rexvet_issuer.token_service.people import PERSON_ROLES

LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def N_(message: str) -> str:
    """Marks a message for the catalogs; it is translated when the page is rendered."""
    return message


# each role's name as the portal says it; the role's id, which the services check, is shown beside it
ROLE_NAMES = {
    "staff": N_("Staff member"),
    "coach": N_("Coach"),
    "manager": N_("Manager"),
    "institution-admin": N_("Institution admin"),
    "consortium-admin": N_("Consortium admin"),
}
# what to change in a field the form refused (rexvet_issuer.token_service.people.person_from_form), by field
FIELD_ERRORS = {
    "tenant": N_("Give the institution id: 1-64 letters, digits, '.', '_' or '-', e.g. omnia."),
    "sub": N_("Give the person's staff id: 1-80 letters, digits or . _ : @ -, e.g. alice."),
    "name": N_("Give a display name of 1-200 characters."),
    "roles": N_("Choose one or more roles."),
}


def signin_language(ui_locales: str | None, accept_language: str | None) -> str:
    """OpenID Connect's `ui_locales` (space-separated tags, by preference) first, then the browser's preference."""
    for tag in (ui_locales or "").split():
        chosen = choose_language(None, tag)
        if chosen != DEFAULT_LANGUAGE or tag.lower().startswith(DEFAULT_LANGUAGE):
            return chosen
    return choose_language(None, accept_language)


@cache
def _gettext(language: str) -> Callable[[str], str]:
    return load_translations(LOCALES_DIR, language).gettext


STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1a1a1a;line-height:1.5}
main{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;border:1px solid #c9ced6}
label,legend{display:block;font-weight:600;margin-top:1rem}
input[type=text]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #5a6270;
 border-radius:4px}
fieldset{border:1px solid #5a6270;border-radius:4px;margin-top:1rem}
fieldset label{display:inline;font-weight:400;margin:0 1rem 0 .25rem}
.role{display:inline-block;margin:.25rem 0}
header{max-width:34rem;margin:1rem auto 0}
.languages{list-style:none;display:flex;flex-wrap:wrap;gap:.75rem;padding:0;margin:0}
.languages a{color:#1f4e9c}
.languages a[aria-current]{font-weight:700;color:#1a1a1a}
.hint{color:#3d4450;font-size:.9rem;margin:.25rem 0}
.error{color:#a4001d;font-weight:600;margin:.25rem 0}
.warning{background:#fff4d6;border:1px solid #8a6100;padding:.5rem 1rem;border-radius:4px}
button{margin-top:1.5rem;margin-right:.5rem;padding:.6rem 1.2rem;font-size:1rem;border-radius:4px;cursor:pointer}
button.primary{background:#1f4e9c;color:#fff;border:1px solid #1f4e9c}
button.secondary{background:#fff;color:#1f4e9c;border:1px solid #1f4e9c}
:focus-visible{outline:3px solid #c8590a;outline-offset:2px}
"""


def _field(name: str, label: str, value: str, hint: str, errors: Mapping[str, str], _: Callable[[str], str]) -> str:
    """One text field; `label` and `hint` come escaped."""
    error = _(FIELD_ERRORS[name]) if name in errors else None
    described = f"{name}-hint" + (f" {name}-error" if error else "")
    invalid = ' aria-invalid="true"' if error else ""
    error_html = f'<p class="error" id="{name}-error">{escape(error)}</p>' if error else ""
    return (
        f'<label for="{name}">{label}</label>'
        f'<p class="hint" id="{name}-hint">{hint}</p>{error_html}'
        f'<input type="text" id="{name}" name="{name}" value="{escape(value)}" required '
        f'aria-describedby="{described}"{invalid}>'
    )


def _language_switch(authorization: Mapping[str, str], language: str, label: str) -> str:
    links = []
    for code, name in LANGUAGES.items():
        query = urlencode({**authorization, "ui_locales": code})
        current = ' aria-current="true"' if code == language else ""
        links.append(
            f'<li><a href="/authorize?{escape(query)}" lang="{code}" hreflang="{code}"{current}>{escape(name)}</a></li>'
        )
    return f'<nav aria-label="{escape(label)}"><ul class="languages">{"".join(links)}</ul></nav>'


def _words(_: Callable[[str], str]) -> dict[str, str]:
    """The page's words in its language, escaped (named outside the page's f-string, where extraction finds them)."""
    words = {
        "title": _("Development sign-in"),
        "language": _("Language"),
        "warning": _(
            "This page exists only in development (%(setting)s): anyone may sign in as anyone. In production "
            "people sign in through their institution's OpenID provider."
        ),
        "signing_in": _("Signing in to %(client)s."),
        "refused": _("The sign-in could not go on: correct the fields marked below."),
        "tenant": _("Institution"),
        "tenant_hint": _("The institution's id, e.g. omnia."),
        "sub": _("Person id"),
        "sub_hint": _("The person's staff id in the institution, e.g. alice."),
        "name": _("Display name"),
        "name_hint": _("The name pages show, e.g. Alice Virtanen."),
        "roles": _("Roles"),
        "roles_hint": _("Choose one or more."),
        "sign_in": _("Sign in"),
        "cancel": _("Cancel"),
    }
    return {key: escape(text) for key, text in words.items()}


def render_signin_page(
    *,
    authorization: Mapping[str, str],
    csrf_token: str,
    values: Mapping[str, str],
    roles: list[str],
    errors: Mapping[str, str],
    client_name: str,
    language: str = "en",
) -> str:
    _ = _gettext(language)
    w = _words(_)
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in {**authorization, "ui_locales": language}.items()
    )
    role_error = _(FIELD_ERRORS["roles"]) if "roles" in errors else None
    role_boxes = "".join(
        f'<span class="role"><input type="checkbox" id="role-{role}" name="roles" value="{role}"'
        f'{" checked" if role in roles else ""}><label for="role-{role}">{escape(_(ROLE_NAMES[role]))} '
        f"<code>{role}</code></label></span>"
        for role in PERSON_ROLES
    )
    summary = f'<div role="alert"><p class="error">{w["refused"]}</p></div>' if errors else ""
    warning = w["warning"] % {"setting": "<code>REXVET_ENV=development</code>"}
    signing_in = w["signing_in"] % {"client": f"<strong>{escape(client_name)}</strong>"}
    fields = "\n".join(
        _field(name, w[name], values.get(name, ""), w[f"{name}_hint"], errors, _) for name in ("tenant", "sub", "name")
    )
    return f"""<!doctype html>
<html lang="{language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{w["title"]} - rexvet</title><style>{STYLE}</style></head>
<body><header>{_language_switch(authorization, language, w["language"])}</header><main>
<h1>{w["title"]}</h1>
<p class="warning">{warning}</p>
<p>{signing_in}</p>
{summary}
<form method="post" action="/authorize" novalidate>
<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">{hidden}
{fields}
<fieldset aria-describedby="roles-hint{" roles-error" if role_error else ""}"><legend>{w["roles"]}</legend>
<p class="hint" id="roles-hint">{w["roles_hint"]}</p>
{f'<p class="error" id="roles-error">{escape(role_error)}</p>' if role_error else ""}
{role_boxes}</fieldset>
<button type="submit" name="action" value="sign-in" class="primary">{w["sign_in"]}</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>{w["cancel"]}</button>
</form>
</main></body></html>"""
