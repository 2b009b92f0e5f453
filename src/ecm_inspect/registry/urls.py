from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("areas/", views.area_list, name="areas"),
    path("areas/<str:gss_code>/", views.area_detail, name="area"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/<str:urn>/", views.provider_detail, name="provider"),
]
