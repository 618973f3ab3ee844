"""The institution's people directory: who a person id is, so that pages show names instead of ids.

Each person records their own entry on sign-in (`PUT /v1/me/profile`): tenant, id and roles come from the verified
token, only the display name and e-mail from the body. Staff list their institution's coaches for the enrol form; a
person's entry is read by id; an institution admin erases one. Everything is within the caller's institution: another
institution's people answer 404, as if they did not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, StringConstraints

from rexvet_coaching.api.deps import SEE_INSTITUTION, Directory, InstitutionAdmin, Person, Service, StaffReader
from rexvet_coaching.api.read_model_route import ReadModelRoute
from rexvet_coaching.application.read_models import CoachOut, ErasedOut, PersonOut
from rexvet_coaching.domain import directory
from rexvet_coaching.domain.directory import PersonEntry, SignIn
from rexvet_coaching.domain.errors import InvalidInput
from rexvet_common.auth import Principal
from rexvet_common.problems import NotFound

router = APIRouter(prefix="/v1", tags=["people directory"], route_class=ReadModelRoute)


class ProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[str, StringConstraints(max_length=directory.MAX_NAME_LENGTH)] | None = None
    email: Annotated[str, StringConstraints(max_length=directory.MAX_EMAIL_LENGTH)] | None = None


def person_view(entry: PersonEntry, *, with_email: bool) -> PersonOut:
    """Only the fields that have a value are set: the JSON leaves the others out (see `read_models`)."""
    shown = {
        "display_name": entry.display_name or None,
        "email": entry.email if with_email else None,
        "updated_at": entry.updated_at.isoformat() if entry.updated_at is not None else None,
    }
    return PersonOut(id=entry.person_id, roles=entry.roles, **{k: v for k, v in shown.items() if v})


@router.put("/me/profile", summary="Record your directory entry (the portal calls it on each sign-in)")
async def record_profile(body: ProfileIn, principal: Person, people: Directory, service: Service) -> PersonOut:
    if body.email is not None and body.email.strip() and directory.clean_email(body.email) is None:
        raise InvalidInput(f"email {body.email!r} is not one address like name@example.org; send it or leave it out")
    # who signs in, from the token; their name and e-mail, from the body
    at = service.clock()
    sign_in = SignIn(principal.tenant, principal.sub, principal.roles, body.display_name, body.email, at)
    entry = await people.record_sign_in(sign_in)
    return person_view(entry, with_email=True)


@router.get(
    "/institution/coaches", summary="The coaches of your institution, by name (for choosing one when enrolling)"
)
async def coaches(principal: StaffReader, people: Directory) -> list[CoachOut]:
    return [
        CoachOut(id=entry.person_id, display_name=entry.display_name)
        if entry.display_name
        else CoachOut(id=entry.person_id)
        for entry in await people.coaches(principal.tenant)
    ]


async def _may_see_email(principal: Principal, service: Service, person_id: str) -> bool:
    if person_id == principal.sub or principal.roles & SEE_INSTITUTION:
        return True
    if "coach" not in principal.roles:
        return False
    record = await service.records.get(principal.tenant, person_id)
    return record is not None and record.coach_id == principal.sub


@router.get(
    "/people/{person_id}",
    summary="A person of your institution: display name and roles (and e-mail for them, their coach and managers)",
)
async def person(person_id: str, principal: StaffReader, people: Directory, service: Service) -> PersonOut:
    entry = await people.get(principal.tenant, person_id)
    if entry is None:
        raise NotFound(f"no person {person_id!r} in your institution's directory")
    return person_view(entry, with_email=await _may_see_email(principal, service, person_id))


@router.delete(
    "/people/{person_id}",
    summary="Erase a person's directory entry (institution admin); their id stays wherever it is used",
)
async def erase(person_id: str, principal: InstitutionAdmin, people: Directory, service: Service) -> ErasedOut:
    at = service.clock()
    if not await people.erase(principal.tenant, person_id, at=at):
        raise NotFound(f"no person {person_id!r} in your institution's directory")
    return ErasedOut(id=person_id, erased_at=at.isoformat())
