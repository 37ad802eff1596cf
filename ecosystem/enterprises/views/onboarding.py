"""The registration wizard: credit code, company, contact, review.

Every step is saved as an ``OnboardingDraft`` (``services.onboarding_draft_save``), so a
user who closes the browser resumes at the same step with the same values, in any
browser. Steps swap in place with htmx; without JavaScript each step is a plain
POST-redirect-GET.
"""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ecosystem.core.errors import ApplicationError
from ecosystem.core.uscc import ALPHABET, normalize_uscc, validate_uscc
from ecosystem.enterprises import services
from ecosystem.enterprises.forms import CompanyForm, ContactForm, JoinForm, UsccForm
from ecosystem.enterprises.selectors import enterprise_registered_as, onboarding_draft_of
from ecosystem.enterprises.views.common import form_error

STEPS = ("code", "company", "contact", "review")
STEP_FORMS = {"code": UsccForm, "company": CompanyForm, "contact": ContactForm}
STEP_TITLES = {
    "code": gettext_lazy("Credit code"),
    "company": gettext_lazy("Company"),
    "contact": gettext_lazy("Contact"),
    "review": gettext_lazy("Review and confirm"),
}


def _partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _reached(draft) -> str:
    return draft.step if draft is not None and draft.step in STEPS else STEPS[0]


def _step_data(step: str, data: dict) -> dict:
    return {name: data.get(name, "") for name in STEP_FORMS[step].base_fields}


def _typed(step: str, post) -> dict:
    """What the user typed into one step, as text, exactly as it will be shown again."""
    return {name: post.get(name, "") for name in STEP_FORMS[step].base_fields}


def _finish(request, url: str):
    return HttpResponseClientRedirect(url) if _partial(request) else redirect(url)


def _render(request, step: str, *, form=None, reached: str | None = None, **extra):
    reached = reached or step
    url = reverse("onboarding_step", args=[step])
    if form is not None and step == "code":
        form.fields["uscc"].widget.attrs.update(
            {
                "hx-get": reverse("onboarding_uscc_check"),
                "hx-trigger": "input changed delay:300ms, load",
                "hx-target": "#uscc-feedback",
                "hx-swap": "innerHTML",
            }
        )
    context = {
        "step": step,
        "step_url": url,
        "title": STEP_TITLES[step],
        "form": form,
        "steps": [
            {
                "name": name,
                "number": number,
                "title": STEP_TITLES[name],
                "active": name == step,
                "reachable": STEPS.index(name) <= STEPS.index(reached),
            }
            for number, name in enumerate(STEPS, start=1)
        ],
        "previous": STEPS[STEPS.index(step) - 1] if STEPS.index(step) else None,
        **extra,
    }
    template = "_step.html" if _partial(request) else "wizard.html"
    response = render(request, f"enterprises/onboarding/{template}", context)
    if _partial(request):
        response["HX-Push-Url"] = url
    return response


def _review_forms(data: dict) -> dict:
    forms = {step: STEP_FORMS[step](data=_step_data(step, data)) for step in STEP_FORMS}
    for form in forms.values():
        form.is_valid()
    return forms


def _review_rows(forms: dict) -> list:
    rows = []
    for step, form in forms.items():
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name) if name in form.cleaned_data else form[name].value()
            rows.append(
                {
                    "step": step,
                    "label": field.label,
                    "value": "" if value is None else value,
                    "errors": form.errors.get(name),
                }
            )
    return rows


def _show(request, step: str, draft):
    """A step as saved in the draft: the form unbound, with the saved values."""
    data = draft.data if draft is not None else {}
    reached = _reached(draft)
    if step == "review":
        forms = _review_forms(data)
        return _render(
            request,
            step,
            reached=reached,
            rows=_review_rows(forms),
            complete=all(f.is_valid() for f in forms.values()),
        )
    return _render(
        request, step, form=STEP_FORMS[step](initial=_step_data(step, data)), reached=reached
    )


def _advance(request, step: str, typed: dict):
    draft = services.onboarding_draft_save(user=request.user, step=step, data=typed)
    if _partial(request):
        return _show(request, step, draft)
    return redirect("onboarding_step", step=step)


@verified_email_required
def onboarding_start(request):
    """Open the wizard where the user left it."""
    return redirect("onboarding_step", step=_reached(onboarding_draft_of(user=request.user)))


@verified_email_required
def onboarding_step(request, step: str):
    if step not in STEPS:
        raise Http404
    draft = onboarding_draft_of(user=request.user)
    reached = _reached(draft)
    if STEPS.index(step) > STEPS.index(reached):
        return redirect("onboarding_step", step=reached)
    if request.method != "POST":
        return _show(request, step, draft)
    if step == "review":
        return _confirm(request, draft)
    index = STEPS.index(step)
    typed = _typed(step, request.POST)
    if request.POST.get("action") == "back" and index > 0:
        return _advance(request, STEPS[index - 1], typed)
    form = STEP_FORMS[step](request.POST)
    if not form.is_valid():
        return _render(request, step, form=form, reached=reached)
    if step == "code":
        typed["uscc"] = form.cleaned_data["uscc"]
        existing = enterprise_registered_as(uscc=typed["uscc"])
        if existing is not None:
            services.onboarding_draft_save(user=request.user, step="code", data=typed)
            return _render(
                request,
                step,
                form=form,
                reached=reached,
                existing=existing,
                join_form=JoinForm(initial={"uscc": typed["uscc"]}),
            )
    return _advance(request, STEPS[index + 1], typed)


def _confirm(request, draft):
    if request.POST.get("action") == "back":
        return _advance(request, "contact", {})
    forms = _review_forms(draft.data if draft is not None else {})
    for step, form in forms.items():
        if not form.is_valid():
            services.onboarding_draft_save(user=request.user, step=step, data={})
            return _render(request, step, form=form)
    profile = {**forms["company"].cleaned_data, **forms["contact"].cleaned_data}
    try:
        result = services.enterprise_register(
            user=request.user, uscc=forms["code"].cleaned_data["uscc"], **profile
        )
    except ApplicationError as exc:
        fields = set((exc.extra or {}).get("errors") or {})
        step = next((s for s, f in forms.items() if fields & set(f.fields)), None)
        if step is None:
            messages.error(request, exc.message)
            return _finish(request, reverse("onboarding_step", args=["review"]))
        form_error(forms[step], exc)
        services.onboarding_draft_save(user=request.user, step=step, data={})
        return _render(request, step, form=forms[step])
    if result.created:
        messages.success(
            request,
            _("%(name)s is registered. Add its yearly figures and qualifications next.")
            % {"name": result.enterprise.name},
        )
        return _finish(request, result.enterprise.get_absolute_url())
    messages.info(
        request,
        _(
            "%(name)s was registered by someone else meanwhile. Your request to join it was "
            "sent to its owners."
        )
        % {"name": result.enterprise.name},
    )
    return _finish(request, reverse("my_enterprises"))


@verified_email_required
@require_POST
def onboarding_join(request):
    """Ask to join the enterprise already registered under the code typed in step one."""
    form = JoinForm(request.POST)
    existing = enterprise_registered_as(uscc=request.POST.get("uscc", ""))
    if not form.is_valid() or existing is None:
        messages.error(request, _("No enterprise is registered with this code."))
        return _finish(request, reverse("onboarding_step", args=["code"]))
    try:
        result = services.enterprise_register(
            user=request.user, uscc=existing.uscc, join_message=form.cleaned_data["message"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _finish(request, reverse("onboarding_step", args=["code"]))
    messages.success(
        request,
        _(
            "Your request to join %(name)s was sent. Its owners decide; until then you have "
            "no access to its data."
        )
        % {"name": result.enterprise.name},
    )
    return _finish(request, reverse("my_enterprises"))


@verified_email_required
@require_POST
def onboarding_autosave(request, step: str):
    """Keep what is typed while it is typed (htmx, on change). The step reached stays as
    it is: an autosave landing after "Next" must not pull the wizard back."""
    if step not in STEP_FORMS:
        raise Http404
    reached = _reached(onboarding_draft_of(user=request.user))
    if STEPS.index(step) <= STEPS.index(reached):
        services.onboarding_draft_save(
            user=request.user, step=reached, data=_typed(step, request.POST)
        )
    return HttpResponse(status=204)


@verified_email_required
@require_GET
def onboarding_uscc_check(request):
    """Check a credit code as it is typed (htmx fragment)."""
    code = normalize_uscc(request.GET.get("uscc", ""))
    context = {"code": code, "length": len(code)}
    bad = sorted({symbol for symbol in code if symbol not in ALPHABET})
    if not code:
        context["state"] = "empty"
    elif bad:
        context.update(state="invalid", message=_bad_symbols(bad))
    elif len(code) < 18:
        context["state"] = "typing"
    else:
        try:
            validate_uscc(code)
        except ValidationError as exc:
            context.update(state="invalid", message=exc.messages[0])
        else:
            existing = enterprise_registered_as(uscc=code)
            context.update(state="registered" if existing else "valid", existing=existing)
    return render(request, "enterprises/onboarding/_uscc_feedback.html", context)


def _bad_symbols(bad: list[str]) -> str:
    return _("The code contains characters not used in credit codes: %(chars)s.") % {
        "chars": " ".join(bad)
    }
