"""The permission matrix: for every URL pattern, what each role gets.

One line per URL name: ``E("role=status …", pk=…, method=…)``. ``*`` stands for every role
not named. Roles (``ROLES``) are built by ``tests/unit/test_permission_matrix.py``:

- ``anonymous``; ``member`` (owner of the enterprise every URL points into);
  ``other_member`` (owner of another enterprise);
- ``official`` (of the enterprise's zone); ``other_official`` (of another zone);
- ``registry`` (officer of the claim's program);
- ``rm`` (relationship manager of the branch serving the zone), ``manager`` (of that
  bank), ``other_bank`` (manager of another bank); ``admin`` (platform admin).

``pk`` says what a bare ``<pk>`` in the route points at (``enterprise`` unless said);
``method="POST"`` entries are posted empty, in a transaction rolled back after each
request, and a role that is not in ``changes`` must leave every table as it was.
Public URLs are listed like the others, with the status everyone gets.

A new URL fails ``test_every_url_pattern_has_a_matrix_entry`` until it has a line here;
``PERMISSION_MATRIX_PROBE=1 pytest tests/unit/test_permission_matrix.py -s`` prints the
observed line to start from.
"""

from tests.permission_matrix.api import API
from tests.permission_matrix.entries import ROLES, E, Entry
from tests.permission_matrix.pages import PAGES

__all__ = ["ADMIN_GROUP", "MATRIX", "ROLES", "Entry"]

#: Every admin page: platform admins only; the admin's login sends everyone else away.
ADMIN_GROUP = E("admin=200 *=302", pk="none")

MATRIX: dict[str, Entry] = {**API, **PAGES}
