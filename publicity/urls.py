from django.urls import path

from . import public_views, views

app_name = "publicity"

urlpatterns = [
    path("notices/", views.board, name="board"),
    path("notices/new/<int:village_pk>/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/delete/", views.notice_delete, name="notice_delete"),
    path("notices/<int:pk>/print.pdf", views.notice_print, name="notice_print"),
    path("notices/<int:pk>/post/", views.notice_post, name="notice_post"),
    path("notices/<int:pk>/close/", views.notice_close, name="notice_close"),
    path("notices/items/<int:item_pk>/objection/", views.objection_create, name="objection_create"),
    path("notices/objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("public/", public_views.index, name="public_index"),
    path("public/notices/<int:pk>/", public_views.notice, name="public_notice"),
    path("public/notices/<int:pk>.pdf", public_views.notice_pdf, name="public_notice_pdf"),
    path("public/villages/<str:code>/", public_views.village_list, name="public_list"),
    path("public/villages/<str:code>.pdf", public_views.village_list_pdf, name="public_list_pdf"),
]
