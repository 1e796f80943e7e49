"""failed sign-ins are counted in memory: drop the per-account counters

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # services.accounts.FailedLogins counts by email typed and by address (docs/decisions.md).
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('last_failed_login_at')
        batch.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('last_failed_login_at', sa.DateTime(), nullable=True))
