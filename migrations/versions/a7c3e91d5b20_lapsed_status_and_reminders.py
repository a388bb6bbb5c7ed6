"""lapsed status and reminders

An accepted applicant who does not confirm by the confirm-by date now lapses: the
applications' status CHECK constraint gains 'lapsed' (dropped and created again; batch
mode rebuilds the table on SQLite, a plain ALTER on PostgreSQL). A new table records the
reminders sent, one row per application and kind (unique), so that a reminder goes at
most once even with two workers. Reviewed by hand: no data changes, every existing
status stays allowed; downgrade refuses nothing but would fail on rows already 'lapsed'
(as it should: they have no earlier status to go back to).

Revision ID: a7c3e91d5b20
Revises: a18c0de5a001
Create Date: 2026-12-01 19:55:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e91d5b20'
down_revision = 'a18c0de5a001'
branch_labels = None
depends_on = None

BEFORE = (
    'submitted', 'under_review', 'accepted', 'waitlisted', 'rejected', 'confirmed',
    'declined', 'withdrawn', 'cancelled', 'attended',
)
AFTER = (*BEFORE, 'lapsed')


def _allowed(values):
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_applications_application_status'), type_='check')
        batch_op.create_check_constraint('application_status', _allowed(AFTER))
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column(
            'kind',
            sa.Enum(
                'confirm_by', 'payment_due', 'first_session', 'evaluation',
                name='reminder_kind', native_enum=False, create_constraint=True, length=32,
            ),
            nullable=False,
        ),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['application_id'], ['applications.id'],
            name=op.f('fk_reminders_application_id_applications'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
        sa.UniqueConstraint('application_id', 'kind', name=op.f('uq_reminders_application_id_kind')),
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_reminders_application_id'), ['application_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_application_id'))
    op.drop_table('reminders')
    # The older schema has no "lapsed": such an application reads as declined (a place
    # offered and not taken up), so the older check constraint holds.
    op.execute("UPDATE applications SET status = 'declined' WHERE status = 'lapsed'")
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_applications_application_status'), type_='check')
        batch_op.create_check_constraint('application_status', _allowed(BEFORE))
