from django.urls import path

from . import public_views, views

app_name = "online"

urlpatterns = [
    path("public/apply/", public_views.apply, name="apply"),
    path("public/apply/receipt/", public_views.receipt, name="receipt"),
    path("public/progress/", public_views.progress, name="progress"),
    path("online/", views.inbox, name="inbox"),
    path("online/<int:pk>/", views.detail, name="detail"),
    path("online/<int:pk>/accept/", views.accept, name="accept"),
    path("online/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("online/<int:pk>/join/", views.join, name="join"),
    path("online/<int:pk>/spam/", views.spam, name="spam"),
    path("online/documents/<int:pk>/<slug:part>/", views.document_file, name="document"),
]
