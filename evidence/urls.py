from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("households/<int:household_pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/file/", views.download, name="download"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("notices/<int:notice_pk>/photo/", views.notice_photo, name="notice_photo"),
    path("cases/<int:application_pk>/archive/", views.archive_start, name="archive_start"),
    path("archives/<int:pk>/", views.archive_job, name="archive_job"),
    path("archives/<int:pk>/file/", views.archive_file, name="archive_file"),
]
