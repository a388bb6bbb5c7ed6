"""activity content per language

An activity's texts in the other languages it is offered in: activities, modules, fee
components and contacts gain a `translations` JSON column ({"fr": {"title": ...}}); the
existing text columns keep the main language's. Reviewed by hand: one NOT NULL column per
table with the server default '{}', so every existing row has no translation yet.

Revision ID: a7c3e9f1d2b4
Revises: e5f2c3d4b6a7
Create Date: 2026-12-02 01:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e9f1d2b4'
down_revision = 'e5f2c3d4b6a7'
branch_labels = None
depends_on = None

TABLES = ('activities', 'modules', 'fee_components', 'contacts')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    'translations', sa.JSON(), server_default=sa.text("'{}'"), nullable=False
                )
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
