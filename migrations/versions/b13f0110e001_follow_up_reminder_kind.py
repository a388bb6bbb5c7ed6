"""follow-up reminder kind

The worker now reminds, once, an applicant holding a place who has not answered the
follow-up form as its deadline comes near: the reminders' kind CHECK constraint gains
'follow_up' (dropped and created again; batch mode rebuilds the table on SQLite). Reviewed
by hand: no data changes. Downgrade removes the follow-up reminder rows first, since the
older constraint does not allow them (they only record that an email went).

Revision ID: b13f0110e001
Revises: 4ac69ed2ba8d
Create Date: 2026-12-01 22:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b13f0110e001'
down_revision = '4ac69ed2ba8d'
branch_labels = None
depends_on = None

BEFORE = ('confirm_by', 'payment_due', 'first_session', 'evaluation')
AFTER = (*BEFORE, 'follow_up')


def _allowed(values):
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _check(values):
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reminders_reminder_kind'), type_='check')
        batch_op.create_check_constraint('reminder_kind', _allowed(values))


def upgrade():
    _check(AFTER)


def downgrade():
    op.execute("DELETE FROM reminders WHERE kind = 'follow_up'")
    _check(BEFORE)
