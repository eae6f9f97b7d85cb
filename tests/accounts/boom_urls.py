"""The project's URLs and one view that fails, to see the 500 page."""

from django.urls import path

from daye_relief.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [*project_urlpatterns, path("boom/", boom)]
