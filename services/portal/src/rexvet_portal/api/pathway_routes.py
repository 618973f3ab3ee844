"""The self-assessment of a direction, and a pathway in progress: its steps, its evidence upload."""

from __future__ import annotations

import hmac
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from rexvet_common.http.edge import BodyLimit
from rexvet_portal.api.deps import Context, CsrfRefused, SignedIn, check_csrf
from rexvet_portal.api.path_ids import id_or_404
from rexvet_portal.api.upload_form import ENVELOPE_ALLOWANCE, FileTooLarge, UnreadableForm, read_upload_form
from rexvet_portal.application.errors import NotFoundThere, Refused, ServiceDown
from rexvet_portal.application.pathway_pages import NewEvidence, PathwayView, QuestionnaireView
from rexvet_portal.domain.session import Session

router = APIRouter(include_in_schema=False)

ID_PATTERN = re.compile(r"^[A-Za-z0-9._:@-]{1,80}$")
EVIDENCE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
TITLE_MAX = 200
DESCRIPTION_MAX = 5000


def _id_or_404(value: str, what: str) -> str:
    return id_or_404(value, what, pattern=ID_PATTERN, service="coaching")


# --- the self-assessment ---------------------------------------------------------------------------------------


def _render_self_assessment(
    request: Request,
    context: Context,
    session: Session,
    view: QuestionnaireView,
    *,
    status: int = 200,
    chosen: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    suggestion: Any = None,
) -> Response:
    return context.pages.render(
        request,
        "self_assessment.html",
        session=session,
        status=status,
        view=view,
        chosen=chosen or {},
        errors=errors or {},
        suggestion=suggestion,
    )


@router.get("/self-assessment/{direction}")
async def self_assessment(request: Request, context: Context, session: SignedIn, direction: str) -> Response:
    view = await context.self_assessment.questionnaire(session, _id_or_404(direction, "direction"))
    return _render_self_assessment(request, context, session, view)


@router.post("/self-assessment/{direction}")
async def answer_self_assessment(request: Request, context: Context, session: SignedIn, direction: str) -> Response:
    await check_csrf(request, session)
    view = await context.self_assessment.questionnaire(session, _id_or_404(direction, "direction"))
    form = await request.form()
    chosen: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in view.questionnaire.questions:
        value = form.get(f"q-{question.id}")
        if isinstance(value, str) and any(answer.id == value for answer in question.answers):
            chosen[question.id] = value
        else:
            errors[question.id] = "choose"
    if errors:
        return _render_self_assessment(request, context, session, view, status=422, chosen=chosen, errors=errors)
    try:
        suggestion = await context.self_assessment.answer(session, view, chosen)
    except Refused as refused:
        return _render_self_assessment(
            request, context, session, view, status=422, chosen=chosen, errors={"form": refused.detail}
        )
    return _render_self_assessment(request, context, session, view, chosen=chosen, suggestion=suggestion)


# --- a pathway in progress -------------------------------------------------------------------------------------


def _render_pathway(
    request: Request,
    context: Context,
    session: Session,
    view: PathwayView,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    done: str = "",
    sent: str = "",
) -> Response:
    return context.pages.render(
        request,
        "pathway.html",
        session=session,
        status=status,
        view=view,
        errors=errors or {},
        typed=typed or {},
        done=done,
        sent=sent,
    )


@router.get("/pathways/{enrolment_id}")
async def pathway(
    request: Request, context: Context, session: SignedIn, enrolment_id: str, done: str = "", sent: str = ""
) -> Response:
    view = await context.pathway.run(session, _id_or_404(enrolment_id, "pathway"))
    return _render_pathway(request, context, session, view, done=done, sent=sent)


@router.get("/pathways/{enrolment_id}/evidence")
@router.get("/pathways/{enrolment_id}/steps/{step_id}/complete")
async def back_to_pathway(enrolment_id: str) -> Response:
    """A form's address opened as a page (the language switch on a form's answer links there): the pathway."""
    return RedirectResponse(f"/pathways/{_id_or_404(enrolment_id, 'pathway')}", status_code=303)


@router.post("/pathways/{enrolment_id}/steps/{step_id}/complete")
async def complete_step(
    request: Request, context: Context, session: SignedIn, enrolment_id: str, step_id: str
) -> Response:
    await check_csrf(request, session)
    _id_or_404(enrolment_id, "pathway")
    _id_or_404(step_id, "step")
    try:
        await context.complete_step.run(session, enrolment_id, step_id)
    except Refused as refused:
        view = await context.pathway.run(session, enrolment_id)
        return _render_pathway(request, context, session, view, status=422, errors={f"step-{step_id}": refused.detail})
    return RedirectResponse(f"/pathways/{enrolment_id}?done={step_id}#step-{step_id}", status_code=303)


# Streamed: the form carries the evidence file, read as it arrives with its own limit (upload_form.py), not
# buffered by the platform edge (whose default body limit is far below an evidence file's).
@router.post("/pathways/{enrolment_id}/evidence", dependencies=[Depends(BodyLimit(streamed=True))])
async def submit_evidence(request: Request, context: Context, session: SignedIn, enrolment_id: str) -> Response:
    """The form's fields arrive before its file: they are checked, the evidence created, the file streamed on."""
    _id_or_404(enrolment_id, "pathway")
    limit = context.settings.max_upload_bytes
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise Refused("portal", "the evidence form is sent as multipart/form-data", 415)
    try:
        form = await read_upload_form(content_type, request.stream(), max_file_bytes=limit)
    except (UnreadableForm, FileTooLarge) as exc:
        view = await context.pathway.run(session, enrolment_id)
        kind = "too_large" if isinstance(exc, FileTooLarge) else "unreadable"
        return _render_pathway(request, context, session, view, status=400, errors={"file": kind})
    fields = form.fields
    sent_token = fields.get("csrf_token", "")
    if not hmac.compare_digest(sent_token, session.csrf_token):
        raise CsrfRefused()
    typed = {
        "requirement_id": fields.get("requirement_id", "").strip(),
        "title": fields.get("title", "").strip(),
        "description": fields.get("description", "").strip(),
        "evidence_id": fields.get("evidence_id", "").strip(),
    }
    try:
        view = await context.pathway.run(session, enrolment_id)
    except ServiceDown as down:
        down.kept = {**typed, "action": f"/pathways/{enrolment_id}/evidence"}
        raise
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + ENVELOPE_ALLOWANCE:
        # Refused before the file's first byte is read: the browser said how large the body is.
        return _render_pathway(request, context, session, view, status=413, errors={"file": "too_large"}, typed=typed)
    requirement = typed["requirement_id"]
    errors: dict[str, str] = {}
    if requirement not in view.evidence:
        errors["requirement_id"] = "unknown"
    if not typed["title"]:
        errors["title"] = "missing"
    elif len(typed["title"]) > TITLE_MAX:
        errors["title"] = "too_long"
    if len(typed["description"]) > DESCRIPTION_MAX:
        errors["description"] = "too_long"
    retry = next(
        (
            item
            for item in view.evidence.get(requirement, [])
            if item.id == typed["evidence_id"] and item.file is None and EVIDENCE_ID.match(item.id)
        ),
        None,
    )
    if form.file is None and not errors:
        errors["file"] = "missing"
    if errors:
        return _render_pathway(request, context, session, view, status=422, errors=errors, typed=typed)
    assert form.file is not None
    try:
        evidence = retry or await context.submit_evidence.create(
            session,
            view.enrolment,
            NewEvidence(requirement, typed["title"], typed["description"] or None),
        )
        typed["evidence_id"] = evidence.id
        await context.submit_evidence.attach(session, evidence.id, form.file.chunks, form.file.content_type)
    except (Refused, FileTooLarge, UnreadableForm) as failed:
        status, errors = _upload_failure(failed)
        view = await context.pathway.run(session, enrolment_id)
        return _render_pathway(request, context, session, view, status=status, errors=errors, typed=typed)
    except ServiceDown as down:
        # Keep what was typed on the 503 page, in a form that sends it again (the file has to be chosen again).
        down.kept = {**typed, "action": f"/pathways/{enrolment_id}/evidence"}
        raise
    return RedirectResponse(f"/pathways/{enrolment_id}?sent={requirement}#evidence", status_code=303)


def _upload_failure(failed: Refused | FileTooLarge | UnreadableForm) -> tuple[int, dict[str, str]]:
    """A file that did not reach the evidence service: the page's status and the error beside its field."""
    if isinstance(failed, FileTooLarge):
        return 413, {"file": "too_large"}
    if isinstance(failed, UnreadableForm):
        return 400, {"file": "unreadable"}
    return 422, {"file": "too_large"} if failed.status == 413 else _evidence_errors(failed)


def _evidence_errors(refused: Refused) -> dict[str, str]:
    """The evidence service's problem beside the field it names; otherwise beside the file."""
    for field in ("title", "description"):
        if field in refused.errors:
            return {field: refused.errors[field]}
    return {"file": refused.detail}


@router.get("/pathways/{enrolment_id}/evidence/{evidence_id}/resubmit")
async def back_to_pathway_from_resubmit(enrolment_id: str, evidence_id: str) -> Response:
    return RedirectResponse(f"/pathways/{_id_or_404(enrolment_id, 'pathway')}", status_code=303)


@router.post(
    "/pathways/{enrolment_id}/evidence/{evidence_id}/resubmit", dependencies=[Depends(BodyLimit(streamed=True))]
)
async def resubmit_evidence(
    request: Request, context: Context, session: SignedIn, enrolment_id: str, evidence_id: str
) -> Response:
    """Evidence the coach returned: a new file (optional) replaces the old one, then it goes back for review.

    The same evidence, never a new piece: the evidence service keeps its earlier submissions and reviews.
    """
    _id_or_404(enrolment_id, "pathway")
    id_or_404(evidence_id, "evidence", pattern=EVIDENCE_ID, service="evidence")
    limit = context.settings.max_upload_bytes
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise Refused("portal", "the resubmission form is sent as multipart/form-data", 415)
    typed = {"resubmit_id": evidence_id}
    try:
        form = await read_upload_form(content_type, request.stream(), max_file_bytes=limit)
    except (UnreadableForm, FileTooLarge) as exc:
        view = await context.pathway.run(session, enrolment_id)
        kind = "too_large" if isinstance(exc, FileTooLarge) else "unreadable"
        return _render_pathway(request, context, session, view, status=400, errors={"file": kind}, typed=typed)
    if not hmac.compare_digest(form.fields.get("csrf_token", ""), session.csrf_token):
        raise CsrfRefused()
    description = form.fields.get("description", "").strip()
    typed["description"] = description
    view = await context.pathway.run(session, enrolment_id)
    returned = next((item for items in view.evidence.values() for item in items if item.id == evidence_id), None)
    if returned is None:  # not this pathway's evidence: the person's other evidence is no business of this page
        raise NotFoundThere("evidence", f"no evidence {evidence_id!r} in this pathway")
    if len(description) > DESCRIPTION_MAX:
        return _render_pathway(
            request, context, session, view, status=422, errors={"description": "too_long"}, typed=typed
        )
    try:
        if form.file is not None:
            await context.submit_evidence.attach(session, evidence_id, form.file.chunks, form.file.content_type)
        await context.submit_evidence.resubmit(session, evidence_id, description or None)
    except (Refused, FileTooLarge, UnreadableForm) as failed:
        status, errors = _upload_failure(failed)
        view = await context.pathway.run(session, enrolment_id)
        return _render_pathway(request, context, session, view, status=status, errors=errors, typed=typed)
    return RedirectResponse(f"/pathways/{enrolment_id}?sent=resubmitted#evidence", status_code=303)
