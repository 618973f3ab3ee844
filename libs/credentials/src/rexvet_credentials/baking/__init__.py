"""Baked badges: an Open Badges credential carried inside its PNG or SVG image (OB 3.0 section 5.3)."""

from rexvet_credentials.baking.common import BakedCredential, BakingError, CredentialFormat, image_kind
from rexvet_credentials.baking.png_baking import bake_png, extract_png
from rexvet_credentials.baking.svg_baking import bake_svg, extract_svg

__all__ = [
    "BakedCredential",
    "BakingError",
    "CredentialFormat",
    "bake_image",
    "bake_png",
    "bake_svg",
    "extract_image",
    "extract_png",
    "extract_svg",
    "image_kind",
]


def bake_image(image: bytes, credential: str) -> bytes:
    """Bake `credential` (JSON text or a compact JWS) into a PNG or SVG image, replacing any baked one."""
    return bake_png(image, credential) if image_kind(image) == "png" else bake_svg(image, credential)


def extract_image(image: bytes) -> BakedCredential:
    """The credential (OB 3.0) or assertion (OB 2.0) baked into a PNG or SVG image."""
    return extract_png(image) if image_kind(image) == "png" else extract_svg(image)
