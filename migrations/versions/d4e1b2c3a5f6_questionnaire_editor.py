"""questionnaire editor

Evaluation questions gain what the editor sets: choice questions (the kind's CHECK
constraint gains 'choice', dropped and created again), a rating's labelled ends, a choice's
options, a module section, and versions (retired_at, replaces_id: an answered question is
retired and replaced rather than reworded). A question without an activity belongs to the
organisation's default set, so activity_id becomes nullable and the (activity, position)
uniqueness goes (retired versions keep their place). Reviewed by hand: existing questions
keep their values; the new columns get empty defaults. Downgrade drops the default set and
choice questions (with their answers, by cascade) before the older constraints return.

Revision ID: d4e1b2c3a5f6
Revises: 039b08818247
Create Date: 2026-12-01 22:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4e1b2c3a5f6'
down_revision = '039b08818247'
branch_labels = None
depends_on = None


def _kinds(values):
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('evaluation_questions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_evaluation_questions_question_kind'), type_='check')
        batch_op.create_check_constraint('question_kind', _kinds(('rating', 'open', 'choice')))
        batch_op.drop_constraint(
            op.f('uq_evaluation_questions_activity_id_position'), type_='unique'
        )
        batch_op.alter_column('activity_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column('low_label', sa.String(length=60), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('high_label', sa.String(length=60), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('options', sa.JSON(), nullable=False, server_default='[]')
        )
        batch_op.add_column(sa.Column('module_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_evaluation_questions_module_id_modules'),
            'modules', ['module_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_evaluation_questions_replaces_id_evaluation_questions'),
            'evaluation_questions', ['replaces_id'], ['id'], ondelete='SET NULL',
        )
    # The model sets these itself; the server defaults only filled the existing rows.
    with op.batch_alter_table('evaluation_questions', schema=None) as batch_op:
        batch_op.alter_column('low_label', server_default=None)
        batch_op.alter_column('high_label', server_default=None)
        batch_op.alter_column('options', server_default=None)


def downgrade():
    op.execute("DELETE FROM evaluation_questions WHERE activity_id IS NULL OR kind = 'choice'")
    # Only the newest version of each question can keep its place in the older schema.
    op.execute("DELETE FROM evaluation_questions WHERE retired_at IS NOT NULL")
    with op.batch_alter_table('evaluation_questions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_evaluation_questions_replaces_id_evaluation_questions'),
            type_='foreignkey',
        )
        batch_op.drop_constraint(
            batch_op.f('fk_evaluation_questions_module_id_modules'), type_='foreignkey'
        )
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('retired_at')
        batch_op.drop_column('module_id')
        batch_op.drop_column('options')
        batch_op.drop_column('high_label')
        batch_op.drop_column('low_label')
        batch_op.alter_column('activity_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_evaluation_questions_activity_id_position'),
            ['activity_id', 'position'],
        )
        batch_op.drop_constraint(op.f('ck_evaluation_questions_question_kind'), type_='check')
        batch_op.create_check_constraint('question_kind', _kinds(('rating', 'open')))
