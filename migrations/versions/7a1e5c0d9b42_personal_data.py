"""personal data: privacy notice versions, erasure and retention

Reviewed by hand: new nullable columns or columns with server defaults (existing rows get
"" or NULL), one new table; no CHECK constraint involved, so SQLite's batch mode is safe.

Revision ID: 7a1e5c0d9b42
Revises: f2a6c0d41b93
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa



revision = '7a1e5c0d9b42'
down_revision = 'f2a6c0d41b93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'privacy_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['published_by_id'], ['staff_users.id'], name=op.f('fk_privacy_notices_published_by_id_staff_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_notices')),
        sa.UniqueConstraint('version', name=op.f('uq_privacy_notices_version')),
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('erasure_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erasure_refusal', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retention_hold', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_applications_erased_at'), ['erased_at'], unique=False)
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keep_others_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('keep_participants_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('keep_participants_days')
        batch_op.drop_column('keep_others_days')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_erased_at'))
        batch_op.drop_column('retention_hold')
        batch_op.drop_column('erased_at')
        batch_op.drop_column('erasure_refusal')
        batch_op.drop_column('erasure_requested_at')
        batch_op.drop_column('privacy_version')
    op.drop_table('privacy_notices')
