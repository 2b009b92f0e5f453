from django.urls import path

from . import letter_views, views

app_name = "performance"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("incidents/new/", views.incident_new, name="incident-new"),
    path("calendar/<year:year>/", views.calendar_view, name="calendar"),
    path("runs/", views.assessment_run_new, name="run-new"),
    path("cpa-block-scores.csv", views.cpa_block_scores_csv, name="cpa-block-scores-csv"),
    path("runs/<id:run_id>/", views.assessment_run_detail, name="run"),
    path(
        "alerts/<id:alert_id>/acknowledge/", views.alert_acknowledge_view, name="alert-acknowledge"
    ),
    path("<year:year>/<str:gss_code>/", views.assessment_detail, name="detail"),
    path("<year:year>/<str:gss_code>/letter/", letter_views.letter, name="letter"),
    path("<year:year>/<str:gss_code>/letter.pdf", letter_views.letter_pdf, name="letter-pdf"),
    path(
        "<year:year>/<str:gss_code>/letter/<str:move>/",
        letter_views.letter_move,
        name="letter-move",
    ),
    path(
        "<year:year>/<str:gss_code>/letter/representations/<id:representation_id>/answer/",
        letter_views.representation_answer_view,
        name="representation-answer",
    ),
    path("letters/<year:year>/<str:gss_code>/", letter_views.letter_public, name="letter-public"),
    path(
        "letters/<year:year>/<str:gss_code>/letter.pdf",
        letter_views.letter_public_pdf,
        name="letter-public-pdf",
    ),
    path(
        "<year:year>/<str:gss_code>/self-assessment/", views.self_assessment, name="self-assessment"
    ),
    path(
        "<year:year>/<str:gss_code>/self-assessment/documents/<id:document_id>/",
        views.council_document_download,
        name="council-document",
    ),
]
