"""sign-in failures

A table of failed sign-ins per client address, kept for a short window: each address is
slowed down after a few failures, so that the account lockout no longer has to apply to the
owner's own browser. Reviewed by hand: a new table and two indexes only, no data change.

Revision ID: c81f0e4b6a27
Revises: 7a3e51c2d9b4
Create Date: 2026-12-01 19:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c81f0e4b6a27'
down_revision = '7a3e51c2d9b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures')),
    )
    op.create_index('ix_sign_in_failures_address_at', 'sign_in_failures', ['address', 'at'])
    op.create_index(op.f('ix_sign_in_failures_at'), 'sign_in_failures', ['at'])


def downgrade():
    op.drop_index(op.f('ix_sign_in_failures_at'), table_name='sign_in_failures')
    op.drop_index('ix_sign_in_failures_address_at', table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
