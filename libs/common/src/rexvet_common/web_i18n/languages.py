"""The languages pages are offered in, the choice from a cookie or Accept-Language, and dates and numbers in them."""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import datetime as Instant  # `datetime` is also a method's name in LocaleFormat

from babel.core import Locale, negotiate_locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from babel.units import format_unit

DEFAULT_LANGUAGE = "en"
# Each language's name in itself, as the switch shows it.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fi": "Suomi",
    "et": "Eesti",
    "it": "Italiano",
    "nl": "Nederlands",
    "es": "Español",
}
LANGUAGE_COOKIE = "rexvet_lang"
# The locale each language's dates and numbers are written in. English pages are read by the partners, European
# VET institutions, and by the employers and schools they send badges to: British English writes "3 December 2026"
# and a 24-hour clock, as every other language of the platform does, where Babel's plain "en" is American
# ("December 3, 2026", "9:00:00 AM"), which reads as foreign there and puts the month first, which misleads.
FORMAT_LOCALES: dict[str, str] = {"en": "en_GB"}


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags by preference (RFC 9110 §12.5.4 q-values), as babel's negotiation takes them."""
    weighted = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            weighted.append((-quality, index, tag.replace("-", "_")))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGUAGES:
        return cookie
    preferred = parse_accept_language(accept_language)
    # Also offer the plain language for a regional tag ("fi_FI" -> "fi").
    preferred += [tag.split("_")[0] for tag in preferred]
    chosen = negotiate_locale(preferred, list(LANGUAGES), sep="_")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


class LocaleFormat:
    """Dates and numbers as the language writes them."""

    def __init__(self, language: str) -> None:
        self.locale = Locale.parse(FORMAT_LOCALES.get(language, language))

    def date(self, value: datetime) -> str:
        return format_date(value, format="long", locale=self.locale)

    def datetime(self, value: datetime) -> str:
        return format_datetime(value, format="medium", locale=self.locale)

    def utc_datetime(self, value: Instant) -> str:
        """An instant in UTC with the zone named (the server knows no reader's zone, so it says which it wrote),
        joined as the language joins date and time: "3 Dec 2026, 09:30:00 UTC", "3.12.2026 9.30.00 UTC"."""
        moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        time = format_time(moment, format="long", tzinfo=UTC, locale=self.locale)
        day = format_date(moment, format="medium", locale=self.locale)
        return str(self.locale.datetime_formats["medium"]).format(time, day)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def size(self, value: int) -> str:
        """A file size in the unit a person reads at a glance (binary multiples, as the limits are set)."""
        for unit, scale in (("digital-gigabyte", 1024**3), ("digital-megabyte", 1024**2), ("digital-kilobyte", 1024)):
            if value >= scale:
                return format_unit(round(value / scale, 1), unit, length="short", locale=self.locale)
        return format_unit(value, "digital-byte", length="short", locale=self.locale)
