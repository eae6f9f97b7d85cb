from django.urls import path

from .api import IntakeDocumentView, IntakeView, ProgressView

urlpatterns = [
    path("intake/applications/", IntakeView.as_view(), name="api-intake-applications"),
    path(
        "intake/applications/<str:number>/documents/",
        IntakeDocumentView.as_view(),
        name="api-intake-documents",
    ),
    path("public/progress/", ProgressView.as_view(), name="api-public-progress"),
]
