from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/<int:pk>/", views.provider_detail, name="provider"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/request/", views.request_create, name="request_create"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:pk>/", views.desk_detail, name="desk_detail"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/unregister/", views.event_unregister, name="event_unregister"),
]
