from django.urls import path

from ecosystem.core.export_jobs import views

urlpatterns = [
    path("exports/", views.export_job_list, name="export_job_list"),
    path("exports/<int:pk>/", views.export_job_detail, name="export_job_detail"),
    path("exports/<int:pk>/progress/", views.export_job_progress, name="export_job_progress"),
    path("exports/<int:pk>/download/", views.export_job_download, name="export_job_download"),
]
