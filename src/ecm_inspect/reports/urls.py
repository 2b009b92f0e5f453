from django.urls import path

from . import judgement_views, views

app_name = "reports"
urlpatterns = [
    path("reviews/<id:review_id>/judgements/", judgement_views.judgements, name="judgements"),
    path(
        "reviews/<id:review_id>/judgements/leads/",
        judgement_views.judgement_leads,
        name="judgement-leads",
    ),
    path(
        "reviews/<id:review_id>/judgements/gaps/",
        judgement_views.judgements_gaps,
        name="judgements-gaps",
    ),
    path(
        "reviews/<id:review_id>/judgements/<str:code>/correct/",
        judgement_views.judgement_correct,
        name="judgement-correct",
    ),
    path(
        "reviews/<id:review_id>/judgements/<str:part>/",
        judgement_views.judgements_part,
        name="judgements-part",
    ),
    path("reviews/<id:review_id>/report/", views.report, name="report"),
    path("reviews/<id:review_id>/report/compare/", views.draft_compare, name="compare"),
    path("reports/", views.published_list, name="published-list"),
    path("reports/open-data/grades.csv", views.open_data_csv, name="open-data-csv"),
    path("reports/open-data/grades.json", views.open_data_json, name="open-data-json"),
    path("reports/areas/<str:gss_code>/", views.area, name="area"),
    path("reports/<id:review_id>/", views.published, name="published"),
    path("reports/<id:review_id>/children/", views.published_children, name="published-children"),
    path("reports/<id:review_id>/report.pdf", views.published_pdf, name="published-pdf"),
]
