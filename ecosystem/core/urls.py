from django.urls import include, path

from ecosystem.core import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("", include("ecosystem.core.export_jobs.urls")),
]
