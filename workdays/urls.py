"""Mounted at api/v1/workdays/ by the project's urls."""

from django.urls import path

from .api import WorkdayAddView

urlpatterns = [
    path("add/", WorkdayAddView.as_view(), name="api-workdays-add"),
]
