"""Administrator screens: user accounts, delegations, office profile and calendar settings,
SOP versions (import, comparison, activation, BPMN)."""
