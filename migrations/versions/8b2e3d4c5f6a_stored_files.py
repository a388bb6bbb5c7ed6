"""stored files

A table for the database file store (eventreg/files.py): uploaded CVs and jobs' results
as rows, so that every web node and worker reaches them. Reviewed by hand: one new table,
its primary key (the file's key) and a CHECK on the size; nothing existing changes.
Files already in the folder store stay there; FILE_STORE chooses the store.

Revision ID: 8b2e3d4c5f6a
Revises: 7a1d2c3b4e5f
Create Date: 2026-12-01 19:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8b2e3d4c5f6a'
down_revision = '7a1d2c3b4e5f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_files',
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('size >= 0', name=op.f('ck_stored_files_size_not_negative')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_files')),
    )


def downgrade():
    op.drop_table('stored_files')
