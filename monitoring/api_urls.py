from django.urls import path

from . import api

urlpatterns = [
    path("datasets/<str:dataset>/imports/", api.ImportView.as_view(), name="api-dataset-import"),
    path("warnings/", api.WarningListView.as_view(), name="api-warnings"),
    path("warnings/<int:pk>/feedback/", api.WarningFeedbackView.as_view(), name="api-warning-feedback"),
]
