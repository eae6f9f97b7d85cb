from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/rejected.<str:fmt>", views.import_rejected, name="import_rejected"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/<str:action>/", views.warning_act, name="warning_act"),
]
