"""drop ix_module_view_user_last: no query needs it, every view and quiz submission wrote it

Every query on module_view by person also names the course (or reads all the person's rows),
which the unique (user_id, course_key, module_key) index serves as well; the dropped index
only cost a page written, and its pages read, on each update of last_viewed_at.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('module_view', schema=None) as batch_op:
        batch_op.drop_index('ix_module_view_user_last')


def downgrade():
    with op.batch_alter_table('module_view', schema=None) as batch_op:
        batch_op.create_index('ix_module_view_user_last', ['user_id', 'last_viewed_at'],
                              unique=False)
