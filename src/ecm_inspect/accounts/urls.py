from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/two-factor/", views.two_factor, name="two-factor"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("account/", views.account, name="account"),
    path("account/two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("account/backup-codes/", views.backup_codes_new, name="backup-codes"),
    path("inspectors/", views.inspector_list, name="inspectors"),
    path("inspectors/<id:inspector_id>/edit/", views.inspector_edit, name="inspector-edit"),
    path("audit/", views.audit, name="audit"),
    path("audit/export/", views.audit_export, name="audit-export"),
    path("downloads/<str:token>/", views.download, name="download"),
]
