from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("reviews/<id:review_id>/follow-up/", views.actions, name="actions"),
    path("follow-up/", views.overview, name="overview"),
    path("follow-up/cases/<id:case_id>/", views.case, name="case"),
]
