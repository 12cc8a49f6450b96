from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# Under accounts/, beside Django's log-in and log-out (csa_site/urls.py).
urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/", views.verify, name="two_factor"),
    path("two-factor/set-up/", views.set_up, name="two_factor_setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.renew_recovery_codes, name="renew_recovery_codes"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
