from django.urls import path

from . import views

app_name = "eligibility"

urlpatterns = [
    path("parameters/", views.parameter_list, name="parameters"),
    path("parameters/new/", views.parameter_edit, name="parameter_create"),
    path("parameters/<int:pk>/edit/", views.parameter_edit, name="parameter_edit"),
    path("reevaluations/", views.reevaluation_list, name="reevaluations"),
    path("reevaluations/<int:pk>/", views.reevaluation_detail, name="reevaluation"),
    path("reevaluations/<int:pk>/restart/", views.reevaluation_restart, name="reevaluation_restart"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
]
