from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from safer.accounts import views
from safer.accounts.forms import SignInForm
from safer.accounts.middleware import two_factor_exempt

app_name = "accounts"
urlpatterns = [
    path(
        "sign-in/",
        login_not_required(
            auth_views.LoginView.as_view(
                template_name="accounts/sign_in.html",
                authentication_form=SignInForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("sign-out/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("two-factor/", views.two_factor_verify, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.new_recovery_codes, name="recovery-codes"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
    path("audit/unusual/", views.unusual_access_page, name="unusual-access"),
    path("subject-access/", views.subject_access, name="subject-access"),
    path("subject-access/<int:pk>/", views.subject_access_report, name="subject-access-report"),
    path(
        "subject-access/<int:pk>/requests/",
        views.subject_request_create,
        name="subject-request-create",
    ),
    path(
        "subject-access/<int:pk>/requests/<int:request_pk>/",
        views.subject_request_complete,
        name="subject-request-complete",
    ),
    path("shares/<int:pk>/end/", views.share_end, name="share-end"),
    path("sharing-agreements/", views.agreement_list, name="agreement-list"),
    path("sharing-agreements/new/", views.agreement_create, name="agreement-create"),
    path("sharing-agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
]
