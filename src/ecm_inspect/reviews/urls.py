from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_new, name="new"),
    path("<id:review_id>/", views.review_detail, name="detail"),
    path("<id:review_id>/team/", views.review_team, name="team"),
    path("<id:review_id>/stages/<str:stage>/", views.review_stage, name="stage"),
    path("<id:review_id>/confirm/<str:stage>/", views.review_confirm, name="confirm"),
    path("<id:review_id>/advance/", views.review_advance_view, name="advance"),
    path("<id:review_id>/calendar.ics", views.review_calendar, name="calendar"),
]
