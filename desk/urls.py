from django.urls import path

from . import pages

app_name = "desk"

urlpatterns: list = [
    path("lists/<slug:key>/", pages.todo_list, name="list"),
    path("dashboard/", pages.dashboard, name="dashboard"),
]
