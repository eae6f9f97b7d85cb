from django.urls import path

from . import export_views, pages, report_views

app_name = "desk"

urlpatterns: list = [
    path("lists/<slug:key>/", pages.todo_list, name="list"),
    path("dashboard/", pages.dashboard, name="dashboard"),
]
urlpatterns += [
    path("evaluation/", report_views.evaluation_page, name="evaluation"),
    path("evaluation/report.<str:fmt>", report_views.evaluation_download, name="evaluation_file"),
]
urlpatterns += [
    path("exports/<slug:key>.xlsx", export_views.export_list, name="export"),
    path("exports/<slug:key>/start/", export_views.export_start, name="export_start"),
    path("exports/jobs/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/jobs/<int:pk>/status/", export_views.export_job_status, name="export_job_status"),
    path("exports/jobs/<int:pk>/download/", export_views.export_job_download, name="export_job_download"),
]
