"""sealed audit heads, and a room that can be locked

Each audit chain's head gets a seal: a MAC over the chain, its newest number and its hash, made
with a key kept outside the database (docs/audit.md). A workshop gets a lock on joining and the
number of people the facilitator expects, so the console can warn about joins no room makes.
A participant can be removed (their phone closed for good).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 04:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_chain') as batch:
        batch.add_column(sa.Column('head_seal', sa.String(length=200), nullable=True))
    with op.batch_alter_table('workshop') as batch:
        batch.add_column(sa.Column('joining_locked', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('expected_size', sa.Integer(), nullable=True))
    with op.batch_alter_table('participant') as batch:
        batch.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('participant') as batch:
        batch.drop_column('removed_at')
    with op.batch_alter_table('workshop') as batch:
        batch.drop_column('expected_size')
        batch.drop_column('joining_locked')
    with op.batch_alter_table('audit_chain') as batch:
        batch.drop_column('head_seal')
