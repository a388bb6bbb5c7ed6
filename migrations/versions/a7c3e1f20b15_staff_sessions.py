"""staff sessions

One row per signed-in browser, so that signing out, a password change or reset and
deactivation end sessions on the server, on every node, and not only in one browser.
Reviewed by hand: a new table only; rows cascade away with their staff user.

Revision ID: a7c3e1f20b15
Revises: 8b2e3d4c5f6a
Create Date: 2026-12-01 19:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e1f20b15'
down_revision = '8b2e3d4c5f6a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['staff_user_id'], ['staff_users.id'],
            name=op.f('fk_staff_sessions_staff_user_id_staff_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_staff_sessions')),
    )
    op.create_index(
        op.f('ix_staff_sessions_staff_user_id'), 'staff_sessions', ['staff_user_id'], unique=False
    )


def downgrade():
    op.drop_index(op.f('ix_staff_sessions_staff_user_id'), table_name='staff_sessions')
    op.drop_table('staff_sessions')
