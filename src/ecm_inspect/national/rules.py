"""The shared planning calendar is for inspectorate staff; the composite report is public.
Framework review (paragraphs 13-14): inspectorate staff see the versions and drafts; the
national lead publishes a revision."""

import rules

from ecm_inspect.accounts.rules import is_inspectorate_staff, is_national_lead

rules.add_perm("national.view_planning", is_inspectorate_staff)
rules.add_perm("national.view_framework_versions", is_inspectorate_staff)
rules.add_perm("national.publish_framework", is_national_lead)
# E-mails the mail service never delivered (safeguarding alerts among them): the national lead
# sees every one until it is marked handled.
rules.add_perm("national.view_undelivered_email", is_national_lead)
