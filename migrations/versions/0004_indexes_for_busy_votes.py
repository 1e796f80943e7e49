"""indexes for busy votes: one person's votes in a round, and people per group

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 15:18:01.860870

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # Every tap reads the voter's own votes in the round (without this index it scanned them
    # all), and the live tally reads every vote of the round several times a second.
    op.create_index('ix_vote_round_voter', 'vote',
                    ['round_id', 'participant_id', 'card_id', 'value', 'entered_by_user_id'])
    op.drop_index('ix_vote_round_id', table_name='vote')  # the new index starts with round_id
    op.create_index('ix_participant_constituency_id', 'participant', ['constituency_id'])


def downgrade():
    op.drop_index('ix_participant_constituency_id', table_name='participant')
    op.create_index('ix_vote_round_id', 'vote', ['round_id'])
    op.drop_index('ix_vote_round_voter', table_name='vote')
