"""Typed dependencies of the coaching routes: the service objects and "who may call this"."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from rexvet_coaching import scopes
from rexvet_coaching.application.catalogue import FrameworkCatalogue
from rexvet_coaching.application.directory import PeopleDirectory
from rexvet_coaching.application.received_evidence import ReceivedEvidence
from rexvet_coaching.application.service import CoachingService
from rexvet_common.auth import Principal, require
from rexvet_common.http import runtime_from


def coaching_service(request: Request) -> CoachingService:
    service = getattr(runtime_from(request).context, "coaching", None)
    assert isinstance(service, CoachingService)
    return service


def framework_catalogue(request: Request) -> FrameworkCatalogue:
    catalogue = getattr(runtime_from(request).context, "catalogue", None)
    assert isinstance(catalogue, FrameworkCatalogue)
    return catalogue


Service = Annotated[CoachingService, Depends(coaching_service)]
Catalogue = Annotated[FrameworkCatalogue, Depends(framework_catalogue)]

STAFF_READERS = ("staff", "coach", "manager", "institution-admin")
# Beyond their own data: managers and institution admins see their institution, a coach their coachees.
SEE_INSTITUTION = frozenset({"manager", "institution-admin"})

StaffReader = Annotated[Principal, Depends(require(scopes.READ, roles=STAFF_READERS))]
StaffWriter = Annotated[Principal, Depends(require(scopes.WRITE, roles=["staff"]))]
CoachReader = Annotated[Principal, Depends(require(scopes.READ, roles=["coach"]))]
CoachWriter = Annotated[Principal, Depends(require(scopes.WRITE, roles=["coach"]))]
ManagerReader = Annotated[Principal, Depends(require(scopes.READ, roles=sorted(SEE_INSTITUTION)))]
ManagerWriter = Annotated[Principal, Depends(require(scopes.WRITE, roles=sorted(SEE_INSTITUTION)))]
InstitutionAdmin = Annotated[Principal, Depends(require(scopes.WRITE, roles=["institution-admin"]))]
ConsortiumAdmin = Annotated[Principal, Depends(require(scopes.WRITE, roles=["consortium-admin"]))]


def people_directory(request: Request) -> PeopleDirectory:
    directory = getattr(runtime_from(request).context, "directory", None)
    assert isinstance(directory, PeopleDirectory)
    return directory


Directory = Annotated[PeopleDirectory, Depends(people_directory)]
# Everyone who signs in as a person (not a system such as an HR client) has a directory entry.
PERSON_ROLES = ("staff", "coach", "manager", "institution-admin", "consortium-admin")
Person = Annotated[Principal, Depends(require(scopes.WRITE, roles=PERSON_ROLES))]


def received_evidence(request: Request) -> ReceivedEvidence:
    store = getattr(runtime_from(request).context, "received_evidence", None)
    assert isinstance(store, ReceivedEvidence)
    return store


ReceivedEvidenceStore = Annotated[ReceivedEvidence, Depends(received_evidence)]
