from django.urls import path

from .views import assistance as assistance_views
from .views import households as views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    # Special assistance (DESIGN §3.8); before the generic record routes, which would take "assistance".
    path("assistance/", assistance_views.assistance_list, name="assistance_list"),
    path("assistance/temporary/", assistance_views.temporary_pending, name="temporary_pending"),
    path("<int:pk>/assistance/new/", assistance_views.assistance_create, name="assistance_create"),
    path("<int:pk>/assistance/temporary/new/", assistance_views.temporary_create, name="temporary_create"),
    path(
        "<int:pk>/assistance/<int:record_pk>/correct/",
        assistance_views.assistance_correct,
        name="assistance_correct",
    ),
    path(
        "<int:pk>/assistance/<int:record_pk>/delete/",
        assistance_views.assistance_delete,
        name="assistance_delete",
    ),
    path(
        "<int:pk>/assistance/<int:record_pk>/explain/",
        assistance_views.temporary_explain,
        name="temporary_explain",
    ),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/history/", views.household_history, name="history"),
    path("<int:pk>/members/new/", views.member_edit, name="member_create"),
    path("<int:pk>/members/<int:member_pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/<slug:kind>/new/", views.record_edit, name="record_create"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/edit/", views.record_edit, name="record_edit"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/delete/", views.record_delete, name="record_delete"),
]
