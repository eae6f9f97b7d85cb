from django.urls import path

from . import views

app_name = "charities"

urlpatterns = [
    path("", views.resource_list, name="resources"),
    path("resources/new/", views.resource_edit, name="resource_create"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("needs/", views.need_list, name="needs"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/match/", views.need_match, name="need_match"),
    path("needs/<int:pk>/close/", views.need_close, name="need_close"),
    path("matches/<int:pk>/help/", views.help_record, name="help_record"),
    path("households/<int:pk>/needs/new/", views.need_create, name="need_create"),
]
