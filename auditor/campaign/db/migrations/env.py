"""Alembic's environment: run on the connection ``auditor.campaign.db.migrate`` hands over."""

from alembic import context

from auditor.campaign.db.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
