from django.urls import path

from . import views

app_name = "provision"

urlpatterns = [
    path("", views.index, name="index"),
    path("areas/<str:gss_code>/", views.area, name="area"),
    path("providers/<str:urn>/", views.provider, name="provider"),
    path("providers/<str:urn>/burden/", views.burden, name="burden"),
    path("providers/<str:urn>/burden/new/", views.contact_new, name="contact-new"),
    path("inspections/new/", views.inspection_new, name="inspection-new"),
    path("inspections/<id:inspection_id>/", views.inspection, name="inspection"),
    path(
        "inspections/<id:inspection_id>/publish/",
        views.inspection_publish,
        name="inspection-publish",
    ),
    path(
        "inspections/<id:inspection_id>/judgements/new/",
        views.judgement_new,
        name="judgement-new",
    ),
    path("calendar.ics", views.calendar, name="calendar"),
]
