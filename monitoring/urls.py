from django.urls import path

from .views import checks as check_views
from .views import imports as import_views
from .views import risk as risk_views
from .views import visits as visit_views
from .views import warnings as warning_views

app_name = "monitoring"
urlpatterns = [
    path("", import_views.desk, name="desk"),
    path("upload/", import_views.upload, name="upload"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", import_views.import_status, name="import_status"),
    path("imports/<int:pk>/rejected.<str:fmt>", import_views.import_rejected, name="import_rejected"),
    path("warnings/", warning_views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", warning_views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/<str:action>/", warning_views.warning_act, name="warning_act"),
    path("visits/", visit_views.visit_list, name="visits"),
    path("visits/export.xlsx", visit_views.visit_list_xlsx, name="visits_xlsx"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/adjust/", visit_views.visit_adjust, name="visit_adjust"),
    path("households/<int:pk>/visits/new/", visit_views.visit_new, name="visit_new"),
    path("risk/", risk_views.risk_candidates, name="risk_candidates"),
    path("risk/reviews/", risk_views.risk_reviews, name="risk_reviews"),
    path("risk/reviews/new/", risk_views.risk_review_new, name="risk_review_new"),
    path("risk/reviews/<int:pk>/", risk_views.risk_review, name="risk_review"),
    path("risk/reviews/<int:pk>/print.pdf", risk_views.risk_review_pdf, name="risk_review_pdf"),
    path("risk/reviews/<int:pk>/<str:action>/", risk_views.risk_review_act, name="risk_review_act"),
    path("checks/", check_views.check_list, name="checks"),
    path("checks/tasks/<int:pk>/", check_views.task_detail, name="check_task"),
    path("checks/households/<int:household_pk>/open/", check_views.open_ad_hoc, name="check_open"),
    path("checks/plans/", check_views.plans, name="check_plans"),
    path("checks/plans/<int:pk>/", check_views.plan_detail, name="check_plan"),
    path("checks/central.<str:fmt>", check_views.central_export, name="central_export"),
    path("checks/central/<str:period>.<str:fmt>", check_views.central_run_file, name="central_run_file"),
]
