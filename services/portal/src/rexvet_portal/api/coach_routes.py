"""The coach's pages: the queue (`/coach`), a coachee (`/coach/staff/{id}`), a piece of evidence and its decisions
(`/coach/evidence/{id}`), the sign-off of a step from the queue."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rexvet_portal.api.deps import Context, SignedIn, check_csrf
from rexvet_portal.api.path_ids import id_or_404
from rexvet_portal.application.coach_pages import DECISIONS, EvidenceView, QueueView
from rexvet_portal.application.errors import Refused
from rexvet_portal.domain.session import Session

router = APIRouter(include_in_schema=False)

ID_PATTERN = re.compile(r"^[A-Za-z0-9._:@-]{1,100}$")
COMMENT_MAX = 5000


def _id_or_404(value: str, what: str) -> str:
    return id_or_404(value, what, pattern=ID_PATTERN, service="portal")


def _render_queue(
    request: Request, context: Context, session: Session, view: QueueView, *, status: int = 200, **values: object
) -> Response:
    return context.pages.render(
        request, "coach_queue.html", session=session, status=status, view=view, coach_counts=view.queue, **values
    )


@router.get("/coach")
async def queue(request: Request, context: Context, session: SignedIn, signed: str = "", decided: str = "") -> Response:
    view = await context.coach_queue.run(session)
    return _render_queue(request, context, session, view, signed=signed, decided=decided, error=None)


@router.post("/coach/sign-off")
async def sign_off(request: Request, context: Context, session: SignedIn) -> Response:
    await check_csrf(request, session)
    form = await request.form()
    fields = {name: str(form.get(name) or "") for name in ("staff_id", "enrolment_id", "step_id")}
    for name, value in fields.items():
        _id_or_404(value, name)
    try:
        await context.sign_off.run(session, fields["staff_id"], fields["enrolment_id"], fields["step_id"])
    except Refused as refused:
        view = await context.coach_queue.run(session)
        error = {"key": f"{fields['enrolment_id']}/{fields['step_id']}", "detail": refused.detail}
        return _render_queue(request, context, session, view, status=409, signed="", decided="", error=error)
    return RedirectResponse(f"/coach?signed={fields['step_id']}", status_code=303)


@router.get("/coach/staff/{staff_id}")
async def coachee(request: Request, context: Context, session: SignedIn, staff_id: str) -> Response:
    view = await context.coachee.run(session, _id_or_404(staff_id, "staff member"))
    return context.pages.render(request, "coach_staff.html", session=session, view=view, coach_counts=view.counts)


def _render_evidence(
    request: Request,
    context: Context,
    session: Session,
    view: EvidenceView,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    return context.pages.render(
        request,
        "coach_evidence.html",
        session=session,
        status=status,
        view=view,
        coach_counts=view.counts,
        errors=errors or {},
        typed=typed or {},
    )


@router.get("/coach/evidence/{evidence_id}")
async def evidence(request: Request, context: Context, session: SignedIn, evidence_id: str) -> Response:
    view = await context.coach_evidence.run(session, _id_or_404(evidence_id, "evidence"))
    return _render_evidence(request, context, session, view)


@router.get("/coach/evidence/{evidence_id}/review")
async def back_to_evidence(evidence_id: str) -> Response:
    """The decision form's address opened as a page (the language switch on its answer links there)."""
    return RedirectResponse(f"/coach/evidence/{_id_or_404(evidence_id, 'evidence')}", status_code=303)


@router.post("/coach/evidence/{evidence_id}/review")
async def decide(request: Request, context: Context, session: SignedIn, evidence_id: str) -> Response:
    await check_csrf(request, session)
    _id_or_404(evidence_id, "evidence")
    form = await request.form()
    decision = str(form.get("decision") or "")
    # Each decision's form has its own comment field, so an error shows beside the one that was sent.
    comment = str(form.get("comment") or "").strip()
    typed = {"decision": decision, "comment": comment}
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = "unknown"
    elif len(comment) > COMMENT_MAX:
        errors[f"comment-{decision}"] = "too_long"
    if not errors:
        try:
            await context.coach_evidence.decide(session, evidence_id, decision, comment or None)
        except Refused as refused:
            # The service's problem names the field (`comment` is required to return or reject): beside it.
            if "comment" in refused.errors:
                errors[f"comment-{decision}"] = "required"
            else:
                errors["decision"] = refused.detail
    if errors:
        view = await context.coach_evidence.run(session, evidence_id)
        return _render_evidence(request, context, session, view, status=422, errors=errors, typed=typed)
    return RedirectResponse(f"/coach?decided={decision}", status_code=303)
