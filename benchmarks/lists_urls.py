"""The project's URLs plus the lists benchmark's baseline: a page that renders the same base template as
every list, for the same logged-in user, and runs no query of its own."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from daye_relief.urls import urlpatterns as project_urlpatterns


@login_required
def trivial(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


urlpatterns = [path("bench/trivial/", trivial), *project_urlpatterns]
