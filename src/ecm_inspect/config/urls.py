from django.contrib import admin
from django.urls import include, path, register_converter
from django_otp.admin import OTPAdminSite

from ecm_inspect.core.inputs import CONVERTERS

from .api import api

# <id:...>, <year:...> and <number:...> in every app's URLs: bounded, so a value the database
# cannot hold is a 404, not a server error (core/inputs.py). Before the apps' URLs load.
for _name, _converter in CONVERTERS.items():
    register_converter(_converter, _name)

# The admin, like every staff page, needs the second factor.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("ecm_inspect.web.urls")),
    path("framework/", include("ecm_inspect.framework.urls")),
    path("", include("ecm_inspect.registry.urls")),
    path("", include("ecm_inspect.accounts.urls")),
    path("", include("ecm_inspect.reports.urls")),
    path("", include("ecm_inspect.followup.urls")),
    path("national/", include("ecm_inspect.national.urls")),
    path("reviews/", include("ecm_inspect.reviews.urls")),
    path("reviews/<id:review_id>/", include("ecm_inspect.evidence.urls")),
    path("apa/", include("ecm_inspect.performance.urls")),
    path("provision/", include("ecm_inspect.provision.urls")),
    path("programme/", include("ecm_inspect.programme.urls")),
    path("", include("ecm_inspect.quality.urls")),
    path("", include("ecm_inspect.voices.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
