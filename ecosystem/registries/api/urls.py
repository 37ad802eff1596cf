from rest_framework.routers import SimpleRouter

from ecosystem.registries.api.views import ProgramViewSet

router = SimpleRouter(use_regex_path=False)
router.register("programs", ProgramViewSet, basename="api-program")

urlpatterns = router.urls
