from django.urls import path

from . import api

urlpatterns = [
    path("applications/<int:pk>/documents/", api.CaseDocumentsView.as_view(), name="api-case-documents"),
    path(
        "households/<int:pk>/documents/", api.HouseholdDocumentsView.as_view(), name="api-household-documents"
    ),
    path("documents/<int:pk>/file/", api.DocumentFileView.as_view(), name="api-document-file"),
]
