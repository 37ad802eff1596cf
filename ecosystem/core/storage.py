"""Private file storage: outside static and MEDIA_URL, served only by permission-checked views."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(
            location=settings.PRIVATE_MEDIA_ROOT,
            base_url=None,
            file_permissions_mode=0o640,
            directory_permissions_mode=0o750,
        )

    def deconstruct(self):
        return ("ecosystem.core.storage.PrivateStorage", (), {})


private_storage = PrivateStorage()
