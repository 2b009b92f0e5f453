from django.urls import path

from . import child_views, parent_views, views

app_name = "voices"
urlpatterns = [
    # The pages children answer on: no account, reached by their school's code.
    path("s/", child_views.code_entry, name="code"),
    path("s/<str:code>/", child_views.start, name="start"),
    path("s/<str:code>/about/", child_views.about, name="about"),
    path("s/<str:code>/check/", child_views.check, name="check"),
    path("s/<str:code>/sent/", child_views.sent, name="sent"),
    path("s/<str:code>/saved/", child_views.saved, name="saved"),
    path("s/<str:code>/talk/", child_views.talk, name="talk"),
    path("s/<str:code>/talk/sent/", child_views.talk_sent, name="talk-sent"),
    path("s/<str:code>/privacy/", child_views.privacy, name="privacy"),
    path("s/<str:code>/summary/", views.children_summary, name="summary"),
    path("s/<str:code>/<slug:version>/<number:number>/", child_views.page, name="page"),
    # The pages parents and carers answer on: no account, reached by the review's code.
    path("p/", parent_views.parents_code, name="parents-code"),
    path("p/<str:code>/", parent_views.parents_start, name="parents-start"),
    path("p/<str:code>/questions/", parent_views.parents_questions, name="parents-questions"),
    path("p/<str:code>/sent/", parent_views.parents_sent, name="parents-sent"),
    path("p/<str:code>/privacy/", parent_views.parents_privacy, name="parents-privacy"),
    # The review team's pages.
    path("reviews/<id:review_id>/survey/", views.survey_detail, name="survey"),
    path("reviews/<id:review_id>/survey/results/", views.survey_results_view, name="results"),
    path("reviews/<id:review_id>/survey/concerns/", views.concerns, name="concerns"),
    path("reviews/<id:review_id>/survey/feedback/", views.feedback, name="feedback"),
    path("reviews/<id:review_id>/views/", views.gathered_views, name="views"),
    path(
        "reviews/<id:review_id>/views/hard-to-reach/",
        parent_views.hard_to_reach,
        name="hard-to-reach",
    ),
    path("reviews/<id:review_id>/parents/", parent_views.parents_detail, name="parents"),
]
