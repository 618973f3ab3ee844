"""Published framework versions and institutions' extensions, kept in the document store.

A published version never changes, so each is cached once parsed. The shipped default is published as version 1 on
first start. An institution's extension adds its own badges to one base version, and may replace the coaching module
of consortium badges for its staff; enrolments name the base version and keep the badge as they were made under it
(with the institution's module when it had one), like any other.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from rexvet_coaching.application.read_models import AchievementOut, BadgeSummaryOut, FrameworkOut, FrameworkVersionOut
from rexvet_coaching.domain.achievement import achievement_id, render_achievement, version_url
from rexvet_coaching.domain.errors import InvalidInput, UnknownBadge, UnknownFrameworkVersion, VersionAlreadyPublished
from rexvet_coaching.domain.framework import Badge, Framework
from rexvet_coaching.domain.loading import parse_extension, parse_framework
from rexvet_coaching.domain.translation import FrameworkTranslation
from rexvet_common.errors import DuplicateKeyError
from rexvet_common.ports.document_store import Document, DocumentStore, Index, SortOrder

FRESH_SECONDS = 5.0
VERSIONS = "framework_versions"
EXTENSIONS = "framework_extensions"


class FrameworkCatalogue:
    def __init__(
        self,
        documents: DocumentStore,
        *,
        base_url: str,
        default: Framework,
        translations: Iterable[FrameworkTranslation] = (),
    ) -> None:
        self.documents = documents
        self.base_url = base_url.rstrip("/")
        self.default = default
        self._translations = list(translations)
        self._versions: dict[int, Framework] = {}
        self._extended: dict[tuple[str, int, int], Framework] = {}
        # Every request needs "the latest version" and the institution's extension: read them at most every
        # FRESH_SECONDS per process (this process's own publications take effect at once).
        self._latest: tuple[float, int] | None = None
        self._extension_docs: dict[tuple[str, int], tuple[float, Document | None]] = {}

    async def prepare(self) -> None:
        await self.documents.ensure_collection(VERSIONS, [Index(("version",), unique=True)])
        await self.documents.ensure_collection(EXTENSIONS, [Index(("tenant",))])
        if await self.documents.get(VERSIONS, str(self.default.version)) is None:
            with contextlib.suppress(DuplicateKeyError):  # another replica published it first
                await self._store_version(self.default, published_by="default framework file")

    async def _store_version(self, framework: Framework, *, published_by: str) -> None:
        await self.documents.insert(
            VERSIONS,
            {
                "_id": str(framework.version),
                "version": framework.version,
                "framework": framework.model_dump(mode="json"),
                "published_at": datetime.now(UTC).isoformat(),
                "published_by": published_by,
            },
        )
        self._versions[framework.version] = framework

    async def versions(self) -> list[FrameworkVersionOut]:
        page = await self.documents.find(VERSIONS, sort=[("version", SortOrder.ASCENDING)], limit=1000)
        return [
            FrameworkVersionOut(version=d["version"], published_at=d["published_at"], published_by=d["published_by"])
            for d in page.items
        ]

    async def latest_version(self) -> int:
        now = time.monotonic()
        if self._latest is not None and now - self._latest[0] < FRESH_SECONDS:
            return self._latest[1]
        page = await self.documents.find(VERSIONS, sort=[("version", SortOrder.DESCENDING)], limit=1)
        latest = int(page.items[0]["version"]) if page.items else self.default.version
        self._latest = (now, latest)
        return latest

    async def _extension_document(self, tenant: str, version: int) -> Document | None:
        now = time.monotonic()
        cached = self._extension_docs.get((tenant, version))
        if cached is not None and now - cached[0] < FRESH_SECONDS:
            return cached[1]
        document = await self.documents.get(EXTENSIONS, f"{tenant}:{version}")
        self._extension_docs[(tenant, version)] = (now, document)
        return document

    async def get(self, version: int | None = None) -> Framework:
        wanted = version if version is not None else await self.latest_version()
        cached = self._versions.get(wanted)
        if cached is not None:
            return cached
        document = await self.documents.get(VERSIONS, str(wanted))
        if document is None:
            known = ", ".join(str(v.version) for v in await self.versions())
            raise UnknownFrameworkVersion(f"framework version {wanted} is not published; published: {known}")
        framework = Framework.model_validate(document["framework"])
        self._versions[wanted] = framework
        return framework

    async def publish(self, data: object, *, published_by: str) -> Framework:
        framework = parse_framework(data, source="the request body")
        latest = await self.latest_version()
        if await self.documents.get(VERSIONS, str(framework.version)) is not None:
            raise VersionAlreadyPublished(
                f"framework version {framework.version} is already published and cannot change; publish {latest + 1}"
            )
        if framework.version < latest:
            raise InvalidInput(f"a new version must be numbered above the latest ({latest}); use {latest + 1}")
        try:
            await self._store_version(framework, published_by=published_by)
        except DuplicateKeyError as exc:
            raise VersionAlreadyPublished(f"framework version {framework.version} was published meanwhile") from exc
        self._latest = None
        return framework

    async def for_tenant(self, tenant: str, version: int | None = None) -> Framework:
        """The framework an institution's staff see: the base version plus the institution's own badges."""
        base = await self.get(version)
        document = await self._extension_document(tenant, base.version)
        if document is None:
            return base
        key = (tenant, base.version, int(document["_version"]))
        cached = self._extended.get(key)
        if cached is None:
            cached = parse_extension(document["extension"], base, source=f"extension of {tenant}")
            self._extended[key] = cached
        return cached

    async def set_extension(self, tenant: str, data: object, *, updated_by: str) -> Framework:
        if not isinstance(data, dict) or not isinstance(data.get("base_version"), int):
            raise InvalidInput(
                "the extension needs an integer `base_version`, and a list of `badges` and/or a mapping of `modules`"
            )
        base = await self.get(data["base_version"])
        combined = parse_extension(data, base, source="the request body")
        doc_id = f"{tenant}:{base.version}"
        document = {
            "_id": doc_id,
            "tenant": tenant,
            "base_version": base.version,
            "extension": data,
            "updated_at": datetime.now(UTC).isoformat(),
            "updated_by": updated_by,
        }
        current = await self.documents.get(EXTENSIONS, doc_id)
        if current is None:
            await self.documents.insert(EXTENSIONS, document)
        else:
            await self.documents.replace(EXTENSIONS, {**document, "_version": current["_version"]})
        self._extension_docs.pop((tenant, base.version), None)
        return combined

    def is_base_badge(self, framework: Framework, badge: Badge) -> bool:
        base = self._versions.get(framework.version)
        return base is not None and base.badge(badge.id) is not None

    def has_own_module(self, framework: Framework, badge: Badge) -> bool:
        """True when an institution's module replaces the consortium's for this base badge."""
        base = self._versions.get(framework.version)
        consortium = base.badge(badge.id) if base is not None else None
        return consortium is not None and consortium.module != badge.module

    def catalogue_url(self, framework: Framework, badge: Badge, tenant: str | None) -> str:
        """Base badges live at the consortium's address; an institution's own badges under the institution."""
        own = tenant is not None and not self.is_base_badge(framework, badge)
        return version_url(self.base_url, framework, tenant if own else None)

    def achievement(self, framework: Framework, badge: Badge, tenant: str | None = None) -> dict[str, Any]:
        """The badge's Achievement as `tenant`'s staff earn it: the OB 3.0 JSON document itself, not a read model, since
        an enrolment stores it by the hash of exactly these keys in this order and `badge.eligible` carries it (the API
        returns it as `AchievementOut`). A consortium badge keeps the consortium's id even with the institution's own
        module; its criteria then describe that module and live at the institution's address."""
        criteria_url = None
        if tenant is not None and self.has_own_module(framework, badge):
            criteria_url = achievement_id(version_url(self.base_url, framework, tenant), badge)
        return render_achievement(
            framework, badge, self.catalogue_url(framework, badge, tenant), criteria_url=criteria_url
        )

    def framework_view(
        self, framework: Framework, tenant: str | None = None, *, shown: Framework | None = None
    ) -> FrameworkOut:
        """The framework as `tenant`'s staff see it, in the words of `shown` (its translation, when the caller reads
        another language); each badge's Achievement (its identity) from `framework`, the English one."""
        body = (shown or framework).model_dump(mode="json", exclude_none=True)
        for badge_json, badge in zip(body["badges"], framework.badges, strict=True):
            badge_json["achievement_id"] = self.achievement(framework, badge, tenant)["id"]
            if tenant is not None and self.has_own_module(framework, badge):
                badge_json["module_institution"] = tenant
        return FrameworkOut.model_validate(body)

    def badge_summaries(self, framework: Framework, tenant: str | None = None) -> list[BadgeSummaryOut]:
        return [
            BadgeSummaryOut(
                **badge.model_dump(include={"id", "direction", "level", "title"}),
                framework_version=framework.version,
                achievement=AchievementOut.model_validate(self.achievement(framework, badge, tenant)),
            )
            for badge in framework.badges
        ]

    def badge(self, framework: Framework, badge_id: str) -> Badge:
        badge = framework.badge(badge_id)
        if badge is None:
            raise UnknownBadge(
                f"badge {badge_id!r} is not in framework version {framework.version}; see GET /v1/framework/badges"
            )
        return badge

    def translations(self, languages: Sequence[str]) -> list[FrameworkTranslation]:
        """The translations of the caller's first preferred language that has any (none: English, the default)."""
        for language in languages:
            if language == "en":
                return []
            found = [t for t in self._translations if t.language == language]
            if found:
                return found
        return []
