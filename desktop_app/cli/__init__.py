"""The administrator's command line: ``desktop-app admin ...`` and ``desktop-app verify``."""
