"""The development sign-in page's HTML: one accessible form (labels, fieldset, errors beside their fields).

Written with the standard library's escaping rather than a template engine: it is one small page in a service that
otherwise renders nothing, and every value put into it goes through `escape`.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from rexvet_issuer.token_service.people import PERSON_ROLES

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1a1a1a;line-height:1.5}
main{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;border:1px solid #c9ced6}
label,legend{display:block;font-weight:600;margin-top:1rem}
input[type=text]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #5a6270;
 border-radius:4px}
fieldset{border:1px solid #5a6270;border-radius:4px;margin-top:1rem}
fieldset label{display:inline;font-weight:400;margin:0 1rem 0 .25rem}
.hint{color:#3d4450;font-size:.9rem;margin:.25rem 0}
.error{color:#a4001d;font-weight:600;margin:.25rem 0}
.warning{background:#fff4d6;border:1px solid #8a6100;padding:.5rem 1rem;border-radius:4px}
button{margin-top:1.5rem;margin-right:.5rem;padding:.6rem 1.2rem;font-size:1rem;border-radius:4px;cursor:pointer}
button.primary{background:#1f4e9c;color:#fff;border:1px solid #1f4e9c}
button.secondary{background:#fff;color:#1f4e9c;border:1px solid #1f4e9c}
:focus-visible{outline:3px solid #c8590a;outline-offset:2px}
"""


def _field(name: str, label: str, value: str, hint: str, errors: Mapping[str, str]) -> str:
    error = errors.get(name)
    described = f"{name}-hint" + (f" {name}-error" if error else "")
    invalid = ' aria-invalid="true"' if error else ""
    error_html = f'<p class="error" id="{name}-error">{escape(error)}</p>' if error else ""
    return (
        f'<label for="{name}">{escape(label)}</label>'
        f'<p class="hint" id="{name}-hint">{escape(hint)}</p>{error_html}'
        f'<input type="text" id="{name}" name="{name}" value="{escape(value)}" required '
        f'aria-describedby="{described}"{invalid}>'
    )


def render_signin_page(
    *,
    authorization: Mapping[str, str],
    csrf_token: str,
    values: Mapping[str, str],
    roles: list[str],
    errors: Mapping[str, str],
    client_name: str,
) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in authorization.items()
    )
    role_error = errors.get("roles")
    role_boxes = "".join(
        f'<input type="checkbox" id="role-{role}" name="roles" value="{role}"'
        f'{" checked" if role in roles else ""}><label for="role-{role}">{role}</label>'
        for role in PERSON_ROLES
    )
    summary = (
        '<div role="alert"><p class="error">The sign-in could not go on: correct the fields marked below.</p></div>'
        if errors
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Development sign-in - rexvet</title><style>{STYLE}</style></head>
<body><main>
<h1>Development sign-in</h1>
<p class="warning">This page exists only in development (<code>REXVET_ENV=development</code>): anyone may sign in
as anyone. In production people sign in through their institution's OpenID provider.</p>
<p>Signing in to <strong>{escape(client_name)}</strong>.</p>
{summary}
<form method="post" action="/authorize" novalidate>
<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">{hidden}
{_field("tenant", "Institution", values.get("tenant", ""), "The institution's id, e.g. omnia.", errors)}
{_field("sub", "Person id", values.get("sub", ""), "The person's staff id in the institution, e.g. alice.", errors)}
{_field("name", "Display name", values.get("name", ""), "The name pages show, e.g. Alice Virtanen.", errors)}
<fieldset aria-describedby="roles-hint{" roles-error" if role_error else ""}"><legend>Roles</legend>
<p class="hint" id="roles-hint">Choose one or more.</p>
{f'<p class="error" id="roles-error">{escape(role_error)}</p>' if role_error else ""}
{role_boxes}</fieldset>
<button type="submit" name="action" value="sign-in" class="primary">Sign in</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>Cancel</button>
</form>
</main></body></html>"""
