from django.urls import path

from . import views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/history/", views.household_history, name="history"),
    path("<int:pk>/members/new/", views.member_edit, name="member_create"),
    path("<int:pk>/members/<int:member_pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/<slug:kind>/new/", views.record_edit, name="record_create"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/edit/", views.record_edit, name="record_edit"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/delete/", views.record_delete, name="record_delete"),
]
