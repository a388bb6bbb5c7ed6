"""staff invitations and two-factor sign-in

Invitations to set a first password (single-use, expiring, kept as a hash of the link's
token), recovery codes for two-factor sign-in (hashed, each single-use) and, on staff
users, the TOTP secret and the last accepted time step (so a code cannot be replayed).
Reviewed by hand: new tables and two nullable columns; batch mode for SQLite.

Revision ID: f2a6c0d41b93
Revises: b13f0110e001
Create Date: 2026-12-01 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a6c0d41b93'
down_revision = 'b13f0110e001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_users') as batch:
        batch.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
    op.create_table(
        'staff_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['staff_user_id'], ['staff_users.id'],
            name=op.f('fk_staff_invitations_staff_user_id_staff_users'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['invited_by_id'], ['staff_users.id'],
            name=op.f('fk_staff_invitations_invited_by_id_staff_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_invitations')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_staff_invitations_token_hash')),
    )
    op.create_index(
        op.f('ix_staff_invitations_staff_user_id'), 'staff_invitations', ['staff_user_id'],
        unique=False,
    )
    op.create_table(
        'staff_recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['staff_user_id'], ['staff_users.id'],
            name=op.f('fk_staff_recovery_codes_staff_user_id_staff_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_recovery_codes')),
    )
    op.create_index(
        op.f('ix_staff_recovery_codes_staff_user_id'), 'staff_recovery_codes',
        ['staff_user_id'], unique=False,
    )


def downgrade():
    op.drop_index(op.f('ix_staff_recovery_codes_staff_user_id'), table_name='staff_recovery_codes')
    op.drop_table('staff_recovery_codes')
    op.drop_index(op.f('ix_staff_invitations_staff_user_id'), table_name='staff_invitations')
    op.drop_table('staff_invitations')
    with op.batch_alter_table('staff_users') as batch:
        batch.drop_column('totp_last_step')
        batch.drop_column('totp_secret')
