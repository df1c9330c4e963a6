from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import CallForm
from .http import AuthenticatedHttpRequest
from .models import CallRequest

# Status codes for a refused call, so monitoring can tell abuse from outages.
_REFUSAL_STATUS = {
    "rate_limited": 429,
    "busy": 503,
    "unavailable": 503,
    "not_found": 503,
    "hours_unknown": 503,
}


@login_required
@require_GET
def live_support(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("queue")
    form = CallForm(initial={"queue": name, "phone": _default_phone(request)})
    return _render_live(request, form, queue_name=name)


@login_required
@require_POST
def call_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CallForm(request.POST)
    if not form.is_valid():
        return _render_refusal(request, form, status=400)
    try:
        call = services.call_request_start(
            user=request.user,
            queue=form.cleaned_data["queue"],
            raw_number=form.cleaned_data["phone"],
            language=get_language(),
        )
    except services.CallRefused as refused:
        form.add_error(None, refused.message)
        return _render_refusal(request, form, status=_REFUSAL_STATUS.get(refused.call.reason, 400))
    return redirect("support:call_status", public_id=call.public_id)


@login_required
@require_GET
def call_status(request: HttpRequest, public_id: str) -> HttpResponse:
    call = _own_call(request, public_id)
    context = {
        "call": call,
        "status": selectors.contact_status(call),
        "simulation": selectors.call_simulation(call),
    }
    return render(request, "support/call_status.html", context)


@login_required
@require_GET
@never_cache
def call_status_fragment(request: HttpRequest, public_id: str) -> HttpResponse:
    call = _own_call(request, public_id)
    context = {"call": call, "status": selectors.contact_status(call)}
    return render(request, "support/includes/call_status_panel.html", context)


def _own_call(request: HttpRequest, public_id: str) -> CallRequest:
    call = selectors.call_request_for_user(user=request.user, public_id=public_id)
    if call is None:
        raise Http404
    return call


def _default_phone(request: HttpRequest) -> str:
    profile = getattr(request.user, "profile", None)
    return profile.phone_number if profile and profile.phone_verified else ""


def _render_live(
    request: HttpRequest, form: CallForm, *, queue_name: str | None, status: int = 200
) -> HttpResponse:
    departments = list(selectors.department_list_with_queues())
    queues = [q for d in departments for q in d.visible_queues]
    # Only a queue shown on the site opens its panel; any other name shows the list alone.
    selected = next((q for q in queues if q.connect_name == queue_name), None)
    hours = selectors.queue_hours_many(queues)
    context = {
        "departments": departments,
        "selected": selected,
        "hours": hours,
        "selected_hours": hours.get(selected.pk) if selected else None,
        "form": form,
    }
    return render(request, "support/live.html", context, status=status)


def _render_refusal(request: HttpRequest, form: CallForm, *, status: int) -> HttpResponse:
    chosen = form.cleaned_data.get("queue") if hasattr(form, "cleaned_data") else None
    return _render_live(
        request, form, queue_name=chosen.connect_name if chosen else None, status=status
    )
