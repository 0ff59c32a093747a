"""Raw message bytes in the database, for a campaign whose machines share no folder (PostgreSQL).

A SQLite folder keeps them as ``mail/<sha256>.eml`` and leaves this table empty."""

from alembic import op
from sqlalchemy import Column, LargeBinary, MetaData, Table, Text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


mail_raw = Table(  # frozen here, as this revision made it
    "mail_raw", MetaData(), Column("sha256", Text, primary_key=True), Column("raw", LargeBinary, nullable=False)
)


def upgrade() -> None:
    mail_raw.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    op.drop_table("mail_raw")
