from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.latest, name="latest"),
    path("planning/", views.planning, name="planning"),
    path("<int:year>/", views.composite, name="composite"),
    path("<int:year>/report.pdf", views.composite_pdf, name="composite-pdf"),
    path("<int:year>/data.json", views.composite_json, name="composite-json"),
]
