"""outbox name and subject unbounded

An applicant's name in the outbox is given names + family name (120 + 1 + 120 characters
as the form allows) and did not fit VARCHAR(200); a subject carries the activity's title
(up to 300) or a staff subject with placeholders filled in, and did not fit VARCHAR(300).
Both become TEXT. Reviewed by hand: a widening only, no data change; batch mode for
SQLite, which copies the table.

Revision ID: 7a3e51c2d9b4
Revises: a18c0de5a002
Create Date: 2026-12-01 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a3e51c2d9b4'
down_revision = 'a18c0de5a002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('email_outbox') as batch:
        batch.alter_column(
            'to_name', existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False
        )
        batch.alter_column(
            'subject', existing_type=sa.String(length=300), type_=sa.Text(), existing_nullable=False
        )


def downgrade():
    # Longer values are cut to fit the old columns rather than making the downgrade fail.
    op.execute('UPDATE email_outbox SET to_name = substr(to_name, 1, 200), subject = substr(subject, 1, 300)')
    with op.batch_alter_table('email_outbox') as batch:
        batch.alter_column(
            'to_name', existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False
        )
        batch.alter_column(
            'subject', existing_type=sa.Text(), type_=sa.String(length=300), existing_nullable=False
        )
