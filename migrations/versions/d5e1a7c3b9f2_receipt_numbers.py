"""receipt numbers

Each payment gets a receipt number from one sequence for the organisation, kept in a
counter row (document_counters) that is incremented in place and never goes back.
Reviewed by hand: a new table, a nullable unique column on payments (payments recorded
before have no number), batch mode for SQLite.

Revision ID: d5e1a7c3b9f2
Revises: d4e1b2c3a5f6
Create Date: 2026-12-01 23:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e1a7c3b9f2'
down_revision = 'd4e1b2c3a5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'document_counters',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_document_counters')),
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_number', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_payments_receipt_number'), ['receipt_number']
        )


def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_payments_receipt_number'), type_='unique')
        batch_op.drop_column('receipt_number')
    op.drop_table('document_counters')
