from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("ecm_inspect.web.urls")),
    path("framework/", include("ecm_inspect.framework.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
