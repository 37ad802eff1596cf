"""``/api/schema/``: the OpenAPI document, built once per process and language.

drf-spectacular builds the document from the code on every request (every view, serializer
and filter inspected: 0.5 s) and renders it (YAML: another 0.3 s). Nothing in it depends
on the request but its language, the API version asked for and the format: the document is
public (``SERVE_PUBLIC``: every operation is listed, whoever asks; the view allows anyone),
so the rendered bytes are kept per (language, version, renderer, media type) in the
process. The code only changes with a deploy, which starts new processes, so a cached
document is never older than the code that serves it; a change of settings (tests'
``override_settings``) empties the cache.

Only keys from known values are kept: a ``lang`` not in ``LANGUAGES``, a version the API
does not list, or an ``Accept`` header with parameters are served uncached, so requests
cannot grow the cache.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.settings import api_settings

_documents: dict[tuple, tuple[bytes, str, str]] = {}
_lock = threading.Lock()


def forget_schemas() -> None:
    """Empty the cache (a settings change in tests; never needed after a deploy)."""
    with _lock:
        _documents.clear()


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    forget_schemas()


class CachedSchemaView(SpectacularAPIView):
    """``SpectacularAPIView`` serving each rendered document from the process's cache."""

    def _cache_key(self, request) -> tuple | None:
        lang = request.GET.get("lang")
        if lang and settings.USE_I18N:
            if lang not in dict(settings.LANGUAGES):
                return None
        else:
            lang = translation.get_language()
        version = self.api_version or request.version or request.GET.get("version")
        allowed = api_settings.ALLOWED_VERSIONS or ()
        if version is not None and version not in allowed:
            return None
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        if media_type != renderer.media_type:  # e.g. "application/json; indent=4"
            return None
        return (lang, version, type(renderer), media_type, self.serve_public, self.urlconf)

    @extend_schema(**SCHEMA_KWARGS)  # as the view it overrides (itself out of the schema)
    def get(self, request, *args, **kwargs):
        key = self._cache_key(request)
        document = _documents.get(key) if key is not None else None
        if document is None:
            response = super().get(request, *args, **kwargs)
            if key is None:
                return response
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response.render()
            document = (
                response.content,
                response["Content-Type"],
                response["Content-Disposition"],
            )
            with _lock:
                _documents[key] = document
        content, content_type, disposition = document
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )
