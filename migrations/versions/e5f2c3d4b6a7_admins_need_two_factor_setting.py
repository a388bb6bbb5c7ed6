"""admins need two-factor, as an organisation setting

The organisation's settings gain whether admins must sign in with a one-time code too.
Reviewed by hand: one nullable column; NULL (every existing row) means the configuration
(STAFF_ADMINS_NEED_TWO_FACTOR) decides, as before.

Revision ID: e5f2c3d4b6a7
Revises: d5e1a7c3b9f2
Create Date: 2026-12-01 23:15:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5f2c3d4b6a7'
down_revision = 'd5e1a7c3b9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admins_need_two_factor', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('admins_need_two_factor')
