"""Administrator screens: user accounts, delegations, office profile and calendar settings."""
