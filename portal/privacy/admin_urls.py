from django.urls import path

from . import admin_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/export.json", views.person_export, name="person_export"),
]
