"""The pages: home, my ladder, a badge (and enrolling in it), my badges (and offering one to a wallet)."""

from __future__ import annotations

import re
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rexvet_portal.api.deps import Context, MaybeSession, SignedIn, check_csrf
from rexvet_portal.api.path_ids import id_or_404
from rexvet_portal.api.qr_code import qr_svg
from rexvet_portal.application.errors import NotFoundThere, Refused

router = APIRouter(include_in_schema=False)

ID_PATTERN = re.compile(r"^[A-Za-z0-9._:@-]{1,80}$")  # coaching's ids


@router.get("/")
async def home(request: Request, context: Context, session: MaybeSession) -> Response:
    if session is not None:
        # A coach's first page is their queue; everyone else's (a coach who is also staff too) their ladder.
        first = "/coach" if session.person.main_role == "coach" else "/ladder"
        return RedirectResponse(first, status_code=303)
    return context.pages.render(request, "home.html", session=None)


@router.get("/ladder")
async def ladder(request: Request, context: Context, session: SignedIn) -> Response:
    view = await context.ladder.run(session)
    return context.pages.render(request, "ladder.html", session=session, view=view)


async def _badge_page(
    request: Request,
    context: Context,
    session: SignedIn,
    badge_id: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    coach_id: str = "",
    enrolled: bool = False,
) -> Response:
    view = await context.badge.run(session, id_or_404(badge_id, "badge", pattern=ID_PATTERN, service="coaching"))
    if view is None:
        raise NotFoundThere("coaching", f"no badge {badge_id!r}")
    return context.pages.render(
        request,
        "badge.html",
        session=session,
        status=status,
        view=view,
        errors=errors or {},
        coach_id=coach_id,
        enrolled=enrolled,
    )


@router.get("/badges")
async def badges() -> Response:
    """The badges are reached from the ladder, rung by rung."""
    return RedirectResponse("/ladder", status_code=303)


@router.get("/badges/{badge_id}")
async def badge(request: Request, context: Context, session: SignedIn, badge_id: str, enrolled: str = "") -> Response:
    return await _badge_page(request, context, session, badge_id, enrolled=enrolled == "1")


@router.post("/badges/{badge_id}/enrol")
async def enrol(request: Request, context: Context, session: SignedIn, badge_id: str) -> Response:
    await check_csrf(request, session)
    form = await request.form()
    raw_coach = form.get("coach_id")
    coach_id = raw_coach.strip() if isinstance(raw_coach, str) else ""
    if coach_id and not ID_PATTERN.match(coach_id):
        return await _badge_page(
            request, context, session, badge_id, status=422, errors={"coach_id": "invalid"}, coach_id=coach_id
        )
    try:
        await context.enrol.run(session, badge_id, coach_id or None)
    except Refused as refused:
        # Shown beside the field it is about when the service said which; the typed value is kept.
        field = "coach_id" if "coach_id" in refused.errors else "form"
        return await _badge_page(
            request, context, session, badge_id, status=422, errors={field: refused.detail}, coach_id=coach_id
        )
    return RedirectResponse(f"/badges/{badge_id}?enrolled=1", status_code=303)


@router.get("/my-badges")
async def my_badges(request: Request, context: Context, session: SignedIn) -> Response:
    cards = await context.my_badges.run(session)
    return context.pages.render(request, "my_badges.html", session=session, cards=cards)


@router.post("/my-badges/{credential_uuid}/wallet")
async def offer_to_wallet(request: Request, context: Context, session: SignedIn, credential_uuid: str) -> Response:
    """A one-time offer of the badge to the person's wallet: its link and QR code, valid for minutes."""
    await check_csrf(request, session)
    try:
        the_uuid = str(uuid.UUID(credential_uuid))
    except ValueError:
        raise NotFoundThere("issuer", "no such badge") from None
    form = await request.form()
    view = await context.offer_to_wallet.run(session, the_uuid, with_tx_code=form.get("tx_code") == "1")
    if view is None:
        raise NotFoundThere("issuer", "no such badge of yours")
    lcw = view.offer.lcw_link
    return context.pages.render(
        request,
        "wallet_offer.html",
        session=session,
        view=view,
        qr=qr_svg(view.offer.offer_link),
        lcw_qr=qr_svg(lcw) if lcw else None,
    )
