"""api tokens

Personal API tokens of staff members: a name, the SHA-256 of the secret (unique), the
first characters of the secret as a hint, an optional expiry and the moment of revocation.
Reviewed by hand: one new table, no change to existing ones; works on SQLite and PostgreSQL.

Revision ID: a18c0de5a001
Revises: dfa92e78dd2f
Create Date: 2026-12-01 19:20:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'a18c0de5a001'
down_revision = 'dfa92e78dd2f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('hint', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['staff_user_id'], ['staff_users.id'],
            name=op.f('fk_api_tokens_staff_user_id_staff_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_api_tokens_secret_hash')),
    )
    op.create_index(
        op.f('ix_api_tokens_staff_user_id'), 'api_tokens', ['staff_user_id'], unique=False
    )


def downgrade():
    op.drop_index(op.f('ix_api_tokens_staff_user_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
