from django.urls import path

from ecosystem.registries import views

urlpatterns = [
    path("imports/", views.import_list, name="registry_imports"),
    path("imports/export/<str:fmt>/", views.import_list_export, name="registry_imports_export"),
    path("imports/upload/", views.import_upload, name="registry_import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="registry_import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="registry_import_progress"),
    path("imports/<int:pk>/adjust/", views.import_adjust, name="registry_import_adjust"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="registry_import_confirm"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="registry_import_cancel"),
    path("imports/<int:pk>/errors/", views.import_errors, name="registry_import_errors"),
    path(
        "imports/<int:pk>/errors/export/<str:fmt>/",
        views.import_errors_export,
        name="registry_import_errors_export",
    ),
    path("entries/", views.entry_lookup, name="registry_entry_lookup"),
]
