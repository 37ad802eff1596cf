from rest_framework.routers import SimpleRouter

from ecosystem.registries.api.views import (
    ListImportViewSet,
    ProgramViewSet,
    RegistryEntryViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("programs", ProgramViewSet, basename="api-program")
router.register("registry-entries", RegistryEntryViewSet, basename="api-registry-entry")
router.register("list-imports", ListImportViewSet, basename="api-list-import")

urlpatterns = router.urls
