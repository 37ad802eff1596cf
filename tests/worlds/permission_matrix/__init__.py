"""The permission matrix: for every URL pattern, what each role gets.

One line per URL name: ``E("role=status …", pk=…, method=…)`` in ``api.py`` (the API) or
``pages.py`` (everything else but the admin, which ``ADMIN_GROUP`` covers). ``*`` stands
for every role not named. Roles (``ROLES``):

- ``anonymous``; ``member`` (owner of the enterprise every URL points into);
  ``other_member`` (owner of another enterprise);
- ``official`` (of the enterprise's zone); ``other_official`` (of another zone);
- ``registry`` (officer of the claim's program);
- ``rm`` (relationship manager of the branch serving the zone), ``other_rm`` (an RM of
  another branch of the same bank: the firm is not of their branch), ``manager`` (of that
  bank), ``other_bank`` (manager of another bank); ``admin`` (platform admin).

Every object a URL points at exists in the world (``world.py``): no entry answers 404 to
every signed-in role. ``pk`` names the object a bare ``<pk>`` points at, ``objects`` the
object of another argument. An unsafe entry sends the valid request ``unsafe.py`` holds
for it, in a transaction rolled back after each request: every role in ``changes`` makes
the change that request names (a status, a new row…), and every other role leaves every
table as it was.

A new URL fails ``test_every_url_pattern_has_a_matrix_entry`` until it has a line here;
``PERMISSION_MATRIX_PROBE=1 pytest tests/unit/test_permission_matrix.py -s`` prints the
observed line to start from.
"""

from tests.worlds.permission_matrix.api import API
from tests.worlds.permission_matrix.entry import ADMIN_GROUP, ROLES, SIGNED_IN, E, Entry
from tests.worlds.permission_matrix.fund_schemes import SCHEME_API, SCHEME_PAGES
from tests.worlds.permission_matrix.funds import FUNDS_API, FUNDS_PAGES
from tests.worlds.permission_matrix.pages import PAGES

_PARTS = (PAGES, API, FUNDS_PAGES, FUNDS_API, SCHEME_PAGES, SCHEME_API)
MATRIX: dict[str, Entry] = {name: entry for part in _PARTS for name, entry in part.items()}
assert len(MATRIX) == sum(len(part) for part in _PARTS)

__all__ = ["ADMIN_GROUP", "MATRIX", "ROLES", "SIGNED_IN", "E", "Entry"]
