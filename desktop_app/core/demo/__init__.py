"""Demo data: accounts with known passwords, sample cases in every SOP and status, demo signing.

Only the CLI's demo commands, the GUI's ``--demo`` start-up, the tests and the benchmarks
import this package; production modules never do.

- ``accounts``: :data:`DEMO_ACCOUNTS` (one user per role) and ``create_demo_users``.
- ``people``: invented applicants and companies (``demo_intake``).
- ``cases``: ``seed_demo`` (what ``desktop-app --demo`` and ``admin seed-demo`` run),
  ``advance`` (a case along its happy path) and ``seed_scale`` (bulk cases for benchmarks).
- ``signing``: the demo office CA and certificates, signed sample documents.
"""
