from django.urls import path

from . import views
from .print_views import print_form

app_name = "applications"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("new/", views.intake_start, name="intake_start"),
    path("new/<int:household_pk>/", views.intake, name="intake"),
    path("adjust/<int:household_pk>/", views.adjust, name="adjust"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/print/<slug:form>.pdf", print_form, name="print"),
    path("<int:pk>/<slug:action>/", views.step, name="step"),
    path("filings/<slug:bureau>/", views.filing_queue, name="filings"),
    path("filing/<int:pk>/<slug:verb>/", views.filing_act, name="filing_act"),
]
