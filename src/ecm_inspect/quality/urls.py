from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<str:reference>/", views.complaint_detail, name="complaint"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("questionnaires/<str:token>/", views.questionnaire, name="questionnaire"),
]
