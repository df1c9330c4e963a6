"""The admin call simulator: a call through the flows with the prompts DynamoDB holds now."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse

from support.http import AuthenticatedHttpRequest
from support.services import web_ingress_attributes

from . import simulation
from .forms import CallSimulatorForm


def call_simulator(request: AuthenticatedHttpRequest) -> HttpResponse:
    """For anyone who may view prompts; caller records only for those who may view them.

    Routed under /admin/ and wrapped in ``admin.site.admin_view``, so it asks for a staff
    sign-in like every admin page.
    """
    if not request.user.has_perm("prompts.view_prompt"):
        raise PermissionDenied
    caller_records = request.user.has_perm("customers.view_customer")
    form = CallSimulatorForm(
        request.GET or None,
        flow_names=sorted(simulation.flows().names),
        # Without caller records the demo caller is the one whose lookup finds someone.
        initial=None if caller_records else {"caller": simulation.DEMO_CALLER.phone_number},
    )
    result, error = None, ""
    if form.is_valid():
        data = form.cleaned_data
        visible = simulation.caller_records_visible(user=request.user, caller=data["caller"])
        result, error = _simulate(data, caller_records=visible)
    context = {
        **admin.site.each_context(request),
        "title": "Call simulator",
        "form": form,
        "result": result,
        "error": error,
        "caller_records_hidden": (
            "" if caller_records else simulation.MESSAGE_CALLER_RECORDS_HIDDEN
        ),
    }
    return TemplateResponse(request, "admin/instance/call_simulator.html", context)


def _simulate(data: dict, *, caller_records: bool) -> tuple[dict | None, str]:
    queue = data["queue"]
    attributes = None
    if queue is not None:
        attributes = web_ingress_attributes(
            queue,
            language_code=data["language"] or settings.PROMPT_LANGUAGES[0],
            customer_name="Customer",
            verified=data["verified"],
        )
    try:
        result = simulation.simulation_run(
            flow=simulation.WEB_FLOW if queue is not None else data["flow"],
            caller=data["caller"],
            inputs=simulation.inputs_parse(data["inputs"]),
            attributes=attributes,
            language=None if queue is not None else (data["language"] or None),
            caller_records=caller_records,
        )
    except ValueError as exc:  # an unknown flow or a broken flow file
        return None, str(exc)
    return result.as_dict(), ""
