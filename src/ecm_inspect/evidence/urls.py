from django.urls import path

from . import fieldwork_views, views

app_name = "evidence"
urlpatterns = [
    path("evidence/", views.evidence_list, name="list"),
    path("evidence/pull/", views.evidence_pull_view, name="pull"),
    path("evidence/<id:item_id>/", views.evidence_detail, name="detail"),
    path(
        "evidence/<id:item_id>/files/<id:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("analysis/", views.analysis, name="analysis"),
    path("analysis.csv", views.analysis_csv, name="analysis-csv"),
    path("fieldwork-specification/", views.specification, name="specification"),
    path("requests/", views.requests, name="requests"),
    path("requests/<id:request_id>/<str:action>/", views.request_answer, name="request-answer"),
    path("case-files/", views.case_files, name="case-files"),
    path("case-files/<id:case_file_id>/", fieldwork_views.case_file, name="case-file"),
    path("neighbourhoods/", views.neighbourhoods, name="neighbourhoods"),
    path("tracked-children/", views.tracked_children, name="tracked-children"),
    path("tracked-children/<id:child_id>/", fieldwork_views.tracked_child, name="tracked-child"),
    path("neighbourhoods/<id:study_id>/", fieldwork_views.neighbourhood, name="neighbourhood"),
    path("findings/", fieldwork_views.findings, name="findings"),
    path("meetings/", fieldwork_views.meetings, name="meetings"),
    path("meetings/<id:meeting_id>/", fieldwork_views.meeting, name="meeting"),
    path(
        "findings/<id:finding_id>/withdraw/",
        fieldwork_views.finding_withdraw_view,
        name="finding-withdraw",
    ),
]
