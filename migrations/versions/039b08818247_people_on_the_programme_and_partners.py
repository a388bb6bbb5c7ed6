"""people on the programme and partners

Speakers, panelists, facilitators and moderators of an activity (a photo's key in the file
store, and an optional link to a trainer account that is set to NULL when the account is
removed), and its partner organisations. Reviewed by hand: both go with their activity
(CASCADE); a partner's name is unique within its activity.

Revision ID: 039b08818247
Revises: c3f0a9d1e2b7
Create Date: 2026-12-01 22:18:39.922538

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '039b08818247'
down_revision = 'c3f0a9d1e2b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('part', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_partners_name_not_empty')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_partners_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('activity_id', 'name', name=op.f('uq_partners_activity_id_name'))
    )
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partners_activity_id'), ['activity_id'], unique=False)

    op.create_table('programme_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('speaker', 'panelist', 'facilitator', 'moderator', name='programme_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('photo_path', sa.String(length=300), nullable=True),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_programme_people_name_not_empty')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_programme_people_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_programme_people_staff_user_id_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_people'))
    )
    with op.batch_alter_table('programme_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_people_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_people_staff_user_id'), ['staff_user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('programme_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_people_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_programme_people_activity_id'))

    op.drop_table('programme_people')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_activity_id'))

    op.drop_table('partners')
