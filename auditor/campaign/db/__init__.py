"""The campaign's database, for both stores: one schema (``tables``), one migration path
(Alembic, ``migrations/``) and the PostgreSQL campaign store teams share (``store``).

SQLite (``campaign.db`` in the folder) stays the single-machine default; ``open_campaign``
picks the store from ``--db`` / the campaign file's ``db:``.
"""
