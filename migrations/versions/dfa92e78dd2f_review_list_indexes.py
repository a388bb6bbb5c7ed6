"""review list indexes

Two indexes on applications for the back office's review list, so that its counts and
filters read an index instead of the table: (activity_id, country) for the counts by
country and region and the country/region filters, and (activity_id, gender,
organisation_type, proficiency) for the counts by gender and the filters' choices.
Reviewed by hand: indexes only, no column, no data change, no CHECK constraint involved;
plain CREATE INDEX (no batch mode needed on SQLite).

Revision ID: dfa92e78dd2f
Revises: 0c178d7da526
Create Date: 2026-11-22 19:12:29.325379

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'dfa92e78dd2f'
down_revision = '0c178d7da526'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_applications_activity_country', 'applications', ['activity_id', 'country']
    )
    op.create_index(
        'ix_applications_activity_profile',
        'applications',
        ['activity_id', 'gender', 'organisation_type', 'proficiency'],
    )


def downgrade():
    op.drop_index('ix_applications_activity_profile', table_name='applications')
    op.drop_index('ix_applications_activity_country', table_name='applications')
