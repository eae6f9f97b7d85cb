from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("households/<int:household_pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/file/", views.download, name="download"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
