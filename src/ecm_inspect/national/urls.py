from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.latest, name="latest"),
    path("planning/", views.planning, name="planning"),
    path("email/", views.undelivered_email, name="undelivered-email"),
    path("framework/", views.framework_versions, name="framework-versions"),
    path("framework/<str:code>/", views.framework_version, name="framework-version"),
    path("<year:year>/", views.composite, name="composite"),
    path("<year:year>/report.pdf", views.composite_pdf, name="composite-pdf"),
    path("<year:year>/data.json", views.composite_json, name="composite-json"),
]
