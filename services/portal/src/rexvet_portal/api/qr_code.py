"""QR codes drawn on the server as inline SVG (segno): no script and nothing fetched, so the page's CSP holds."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str) -> Markup:
    """`text` as a QR code (error correction M: phones read it off a screen).

    Hidden from assistive technology: the page names the picture around it and prints the link beside it.
    """
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(scale=4, border=4, dark="#000", light="#fff")
    # Markup: segno's own SVG of the text's modules; the text itself is not in it.
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
