"""answers the form offers

Titles and language proficiency hold only what the application form offers, or "" when
not answered, and the database now says so with two CHECK constraints. The demo used to
write proficiency levels the form never offered ("fluent", "good"): those become the
form's "advanced" and "intermediate"; any other value off the list is cleared, as is a
title off the list. Reviewed by hand: the UPDATEs run before the constraints exist; batch
mode on SQLite (which copies the table, its indexes and CHECK constraints).

Revision ID: 5d2b9e8f1c36
Revises: c81f0e4b6a27
Create Date: 2026-12-01 20:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2b9e8f1c36'
down_revision = 'c81f0e4b6a27'
branch_labels = None
depends_on = None

# As the models say at this revision (eventreg.models.Proficiency and Title).
LEVELS = ('basic', 'intermediate', 'advanced', 'native')
TITLES = ('Mr', 'Ms', 'Mx')


def _listed(values):
    return ', '.join(f"'{value}'" for value in ('', *values))


def upgrade():
    op.execute("UPDATE applications SET proficiency = 'advanced' WHERE proficiency = 'fluent'")
    op.execute("UPDATE applications SET proficiency = 'intermediate' WHERE proficiency = 'good'")
    op.execute(f"UPDATE applications SET proficiency = '' WHERE proficiency NOT IN ({_listed(LEVELS)})")
    op.execute(f"UPDATE applications SET title = '' WHERE title NOT IN ({_listed(TITLES)})")
    with op.batch_alter_table('applications') as batch:
        batch.create_check_constraint('title_offered', f"title IN ({_listed(TITLES)})")
        batch.create_check_constraint('proficiency_offered', f"proficiency IN ({_listed(LEVELS)})")


def downgrade():
    with op.batch_alter_table('applications') as batch:
        batch.drop_constraint('proficiency_offered', type_='check')
        batch.drop_constraint('title_offered', type_='check')
