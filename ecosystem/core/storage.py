"""Private file storage: evidence and uploaded lists, served only by permission-checked views.

One setting decides where the files live (``STORAGES["private"]``, built from ``STORAGE_URL``
in the settings):

- by default a local folder, ``PRIVATE_MEDIA_ROOT`` (``make run`` needs nothing else);
- with ``STORAGE_URL=s3://bucket/prefix?endpoint_url=…`` an S3-compatible object store
  (django-storages), shared by every web host and worker.

Models keep one stable storage object, :data:`private_storage`, which hands every call to the
configured backend at call time: the migrations never change with the deployment, and a test
may swap the backend with ``override_settings(STORAGES=…)``. Neither backend has a public URL:
files go out through views that check permissions and stream them.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible

PRIVATE = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT`` (read at call time), with no public URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a permission check")


def backend() -> Storage:
    """The configured private backend (``STORAGES["private"]``; a local folder if unset)."""
    if PRIVATE in settings.STORAGES:
        return storages[PRIVATE]
    return PrivateFileSystemStorage()


@deconstructible(path="ecosystem.core.storage.PrivateStorage")
class PrivateStorage(Storage):
    """The models' storage: every call goes to :func:`backend`, resolved when it is made."""

    def _open(self, name, mode="rb"):
        return backend().open(name, mode)

    def _save(self, name, content):
        return backend().save(name, content, max_length=None)

    def get_available_name(self, name, max_length=None):
        return backend().get_available_name(name, max_length=max_length)

    def get_valid_name(self, name):
        return backend().get_valid_name(name)

    def generate_filename(self, filename):
        return backend().generate_filename(filename)

    def delete(self, name):
        return backend().delete(name)

    def exists(self, name):
        return backend().exists(name)

    def listdir(self, path):
        return backend().listdir(path)

    def size(self, name):
        return backend().size(name)

    def get_modified_time(self, name):
        return backend().get_modified_time(name)

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a permission check")

    def path(self, name):
        # A local folder has paths; object storage raises NotImplementedError: code that
        # needs a path would break in production, so only tests of the local default use it.
        return backend().path(name)


private_storage = PrivateStorage()
