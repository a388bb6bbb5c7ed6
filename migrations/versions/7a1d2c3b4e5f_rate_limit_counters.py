"""rate limit counters

A table for rate-limit counters, so that without Redis every gunicorn worker and web
node counts a limit together (eventreg/ratelimit_storage.py). Reviewed by hand: one new
table, its primary key, a CHECK on the count and an index on the window's end; nothing
existing changes.

Revision ID: 7a1d2c3b4e5f
Revises: 5d2b9e8f1c36
Create Date: 2026-12-01 19:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7a1d2c3b4e5f'
down_revision = '5d2b9e8f1c36'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rate_limit_counters',
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.CheckConstraint('hits >= 0', name=op.f('ck_rate_limit_counters_hits_not_negative')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters')),
    )
    op.create_index(
        op.f('ix_rate_limit_counters_expires_at'), 'rate_limit_counters', ['expires_at']
    )


def downgrade():
    op.drop_index(op.f('ix_rate_limit_counters_expires_at'), table_name='rate_limit_counters')
    op.drop_table('rate_limit_counters')
