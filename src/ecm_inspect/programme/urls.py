from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.index, name="index"),
    path("versions/<id:version_id>/", views.version_detail, name="version"),
    path("versions/<id:version_id>/areas/<str:gss>/", views.area_slot, name="area"),
    path("versions/<id:version_id>/programme.<str:fmt>", views.export, name="export"),
    path("versions/<id:version_id>/approve/", views.approve, name="approve"),
    path("versions/<id:version_id>/publish/", views.publish, name="publish"),
    path("confirm/", views.confirm, name="confirm"),
    path("plan/", views.plan_start, name="plan-start"),
    path("replan/", views.replan_start, name="replan-start"),
    path("jobs/<id:job_id>/", views.job_detail, name="job"),
    path("risk/<year:year>/", views.risk, name="risk"),
    path("corporate-assessments/", views.corporate_assessments, name="corporate-assessments"),
    path("cpa-categories/", views.cpa_categories, name="cpa-categories"),
    path("areas/<str:gss>/", views.area_assessments, name="area-assessments"),
    path("published/", views.published, name="published"),
    path("published/programme.<str:fmt>", views.published_export, name="published-export"),
]
