"""The shared planning calendar is for inspectorate staff; the composite report is public."""

import rules

from ecm_inspect.accounts.rules import is_inspectorate_staff

rules.add_perm("national.view_planning", is_inspectorate_staff)
