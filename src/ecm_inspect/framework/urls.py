from django.urls import path

from . import views

app_name = "framework"
urlpatterns = [
    path("", views.index, name="index"),
    path("outcomes/<str:code>/", views.outcome, name="outcome"),
    path("principles/", views.principles, name="principles"),
    path("relevance/", views.relevance, name="relevance"),
    path("2004/", views.proposals_2004, name="proposals_2004"),
]
