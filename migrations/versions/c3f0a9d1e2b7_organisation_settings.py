"""organisation settings

One row of the organisation's own settings (name, address, letterhead, logo and signature
keys in the file store, signatory, defaults of new activities, email footer), edited by
admins. Reviewed by hand: a new table only, a CHECK keeps it to one row; empty values fall
back to the configuration, so no row is needed on a first run.

Revision ID: c3f0a9d1e2b7
Revises: 7a1e5c0d9b42
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f0a9d1e2b7'
down_revision = '7a1e5c0d9b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisation_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('postal_address', sa.Text(), nullable=False),
        sa.Column('letterhead', sa.String(length=300), nullable=False),
        sa.Column('logo_key', sa.String(length=400), nullable=True),
        sa.Column('signatory_name', sa.String(length=200), nullable=False),
        sa.Column('signatory_title', sa.String(length=200), nullable=False),
        sa.Column('signature_key', sa.String(length=400), nullable=True),
        sa.Column('default_timezone', sa.String(length=64), nullable=False),
        sa.Column('default_currency', sa.String(length=3), nullable=False),
        sa.Column('default_language', sa.String(length=8), nullable=False),
        sa.Column('email_footer', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_organisation_settings_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_settings')),
    )


def downgrade():
    op.drop_table('organisation_settings')
