from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.journal_list, name="journal"),
    path("journal.xlsx", audit_views.journal_export, name="journal_export"),
    path("unusual/", audit_views.unusual, name="unusual"),
    path("users/", audit_views.users, name="users"),
]
