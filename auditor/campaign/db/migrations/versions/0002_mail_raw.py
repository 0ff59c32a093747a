"""Raw message bytes in the database, for a campaign whose machines share no folder (PostgreSQL).

A SQLite folder keeps them as ``mail/<sha256>.eml`` and leaves this table empty."""

from alembic import op

from auditor.campaign.db.tables import mail_raw

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    mail_raw.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    op.drop_table("mail_raw")
