"""dot limits in every row: ballots and votes carry their round's mode

A ballot with a NULL budget skipped both its foreign key to the round's budget and its CHECK,
and nothing stopped a negative vote in a dot round. Each ballot and vote now carries its round's
mode (tied to the round by a composite foreign key, like the limits), so the database can say:
in dot voting a ballot has a budget, and a vote is at least one dot.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:12:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

CHECKS = {
    'ballot': ('ck_ballot_budget_in_dots', "mode = 'agree' OR budget IS NOT NULL"),
    'vote': ('ck_vote_dots_positive', "mode = 'agree' OR value >= 1"),
}


def upgrade():
    # SQLite rebuilds each table (batch mode); PostgreSQL alters it in place.
    with op.batch_alter_table('vote_round', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_vote_round_id_mode'), ['id', 'mode'])
    for table, (check, condition) in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('mode', sa.String(length=10), nullable=True))
        op.execute(f"UPDATE {table} SET mode = "
                   f"(SELECT mode FROM vote_round WHERE vote_round.id = {table}.round_id)")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('mode', existing_type=sa.String(length=10), nullable=False)
            batch_op.create_foreign_key(f'fk_{table}_round_mode', 'vote_round',
                                        ['round_id', 'mode'], ['id', 'mode'])
            batch_op.create_check_constraint(batch_op.f(check), condition)


def downgrade():
    for table, (check, _) in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(check), type_='check')
            batch_op.drop_constraint(f'fk_{table}_round_mode', type_='foreignkey')
            batch_op.drop_column('mode')
    with op.batch_alter_table('vote_round', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_vote_round_id_mode'), type_='unique')
