"""Registry pages. Views parse input and call services and selectors; objects are
fetched only through the scoped selectors, so what a user may not see is a 404."""

from ecosystem.registries.views.imports import (
    import_adjust,
    import_cancel,
    import_confirm,
    import_detail,
    import_errors,
    import_errors_export,
    import_list,
    import_list_export,
    import_progress,
    import_upload,
)
from ecosystem.registries.views.lookup import entry_lookup

__all__ = [
    "import_adjust",
    "entry_lookup",
    "import_cancel",
    "import_confirm",
    "import_detail",
    "import_errors",
    "import_errors_export",
    "import_list",
    "import_list_export",
    "import_progress",
    "import_upload",
]
