"""The account page, two-factor sign-in and its set-up, and the e-mailed password reset."""

from functools import partial

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import CodeForm
from .signals import code_refused, code_verified, device_enrolled, recovery_codes_renewed

RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"
# The code and set-up pages offer one thing to do: no links to pages that would send the person back.
NO_NAVIGATION = {"nav_kcst": False, "nav_officer": False, "nav_reviewer": False}


@login_required
def account(request):
    user = request.user
    return render(request, "accounts/account.html", {
        "has_app": two_factor.has_app(user),
        "required": two_factor.required_for(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
    })


@login_required
def verify(request):
    """After the password: a code from the person's app, or one of their recovery codes."""
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not two_factor.has_app(user):
        if not two_factor.required_for(user):
            # Their app was deleted (a lost phone) and nobody requires one of them: nothing is owed.
            request.session[two_factor.HAS_DEVICE_SESSION_KEY] = False
            return redirect(next_url)
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(
        request.POST or None,
        check=partial(two_factor.check_code, user),
        seconds_to_wait=lambda: two_factor.seconds_to_wait(django_otp.devices_for_user(user)),
        wrong_message="The code is not right: enter the 6-digit code your authenticator app shows now, "
                      "or one of your recovery codes",
    )
    if request.method == "POST":
        if form.is_valid():
            _mark_verified(request, form.device)
            code_verified.send(sender=verify, request=request, user=user, kind=two_factor.kind_of(form.device))
            if two_factor.kind_of(form.device) == "recovery code":
                messages.warning(request, f"That recovery code cannot be used again. You have "
                                          f"{two_factor.recovery_codes_left(user)} left.")
            return redirect(next_url)
        code_refused.send(sender=verify, request=request, user=user)
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url, **NO_NAVIGATION})


@login_required
def set_up(request):
    """Setting up an authenticator app: first sign-in for KCST staff, a choice for everyone else."""
    user, next_url = request.user, _next_url(request)
    if two_factor.has_app(user):
        # Replacing an app needs the old one gone first (a superuser deletes it), so a stolen
        # password alone cannot swap in another app.
        return redirect("account")
    device = two_factor.app_being_set_up(user)
    form = CodeForm(
        request.POST or None,
        check=partial(two_factor.confirm_app, device),
        seconds_to_wait=lambda: two_factor.seconds_to_wait([device]),
        wrong_message="The code is not right: enter the 6-digit code your authenticator app shows now",
    )
    if request.method == "POST":
        if form.is_valid():
            request.session[RECOVERY_CODES_SESSION_KEY] = two_factor.new_recovery_codes(user)
            _mark_verified(request, form.device)
            device_enrolled.send(sender=set_up, request=request, user=user)
            return redirect(f"{reverse('recovery_codes')}?{urlencode({'next': next_url})}")
        code_refused.send(sender=set_up, request=request, user=user)
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "next": next_url, "required": two_factor.required_for(user),
        "secret": two_factor.secret_for_typing(device), "qr_code": two_factor.qr_code(device), **NO_NAVIGATION,
    })


@login_required
def recovery_codes(request):
    """New recovery codes, shown once: they are kept in the session only until this page is shown."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if codes is None:
        return redirect("account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
@require_POST
def renew_recovery_codes(request):
    if not two_factor.has_app(request.user):
        return redirect("account")
    request.session[RECOVERY_CODES_SESSION_KEY] = two_factor.new_recovery_codes(request.user)
    recovery_codes_renewed.send(sender=renew_recovery_codes, request=request, user=request.user)
    return redirect(f"{reverse('recovery_codes')}?{urlencode({'next': reverse('account')})}")


class PasswordResetView(auth_views.PasswordResetView):
    """The e-mailed link starts with SITE_URL, never with the Host header the request came with."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


def _mark_verified(request, device) -> None:
    django_otp.login(request, device)
    request.session[two_factor.HAS_DEVICE_SESSION_KEY] = True
    # A new session key once fully signed in, as Django does after the password.
    request.session.cycle_key()


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)
