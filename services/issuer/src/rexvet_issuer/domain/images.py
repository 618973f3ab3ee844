"""Badge images generated here (never fetched): a small SVG and PNG per credential, into which it is baked.

Coaching serves the badge's own artwork; fetching it at issuance would make issuing depend on another service and
on the network, so the downloadable baked images are drawn locally from the achievement's name and a colour that
the badge id determines.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any
from xml.sax.saxutils import escape

import png

from rexvet_credentials.baking import bake_png, bake_svg

PNG_SIZE = 96


def _colour(seed: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(seed.encode()).digest()
    # dark enough for white text
    return digest[0] // 2 + 30, digest[1] // 2 + 30, digest[2] // 2 + 30


def badge_svg(title: str, seed: str) -> bytes:
    red, green, blue = _colour(seed)
    text = escape(title[:60])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">'
        f"<title>{text}</title>"
        f'<circle cx="120" cy="120" r="112" fill="rgb({red},{green},{blue})"/>'
        '<circle cx="120" cy="120" r="96" fill="none" stroke="#fff" stroke-width="4"/>'
        f'<text x="120" y="128" font-family="sans-serif" font-size="14" fill="#fff" text-anchor="middle">{text}</text>'
        "</svg>"
    ).encode()


def badge_png(seed: str) -> bytes:
    """A disc of the badge's colour on a transparent square."""
    red, green, blue = _colour(seed)
    centre, radius2 = (PNG_SIZE - 1) / 2, (PNG_SIZE / 2 - 2) ** 2
    rows = []
    for y in range(PNG_SIZE):
        row: list[int] = []
        for x in range(PNG_SIZE):
            inside = (x - centre) ** 2 + (y - centre) ** 2 <= radius2
            row += [red, green, blue, 255] if inside else [0, 0, 0, 0]
        rows.append(row)
    out = io.BytesIO()
    png.Writer(PNG_SIZE, PNG_SIZE, greyscale=False, alpha=True).write(out, rows)
    return out.getvalue()


def _title_and_seed(credential: dict[str, Any]) -> tuple[str, str]:
    achievement = credential["credentialSubject"]["achievement"]
    return str(achievement.get("name", "Badge")), str(achievement.get("id", credential["id"]))


def baked_svg(credential: dict[str, Any]) -> bytes:
    title, seed = _title_and_seed(credential)
    return bake_svg(badge_svg(title, seed), json.dumps(credential, ensure_ascii=False))


def baked_png(credential: dict[str, Any]) -> bytes:
    _title, seed = _title_and_seed(credential)
    return bake_png(badge_png(seed), json.dumps(credential, ensure_ascii=False))
