"""outbox emails written later

An email may be queued unwritten and written by the worker just before it is sent (the
acknowledgement of a submission, see emails.queue_email_later): `email_outbox` gains
`unwritten`, false for every existing row. Reviewed by hand.

Revision ID: b8d4f0a2c6e1
Revises: a7c3e9f1d2b4
Create Date: 2026-12-02 12:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8d4f0a2c6e1'
down_revision = 'a7c3e9f1d2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('unwritten', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.drop_column('unwritten')
