"""Welsh and English: the language of consent, of each idea, and a bilingual wall

A participant's consent records the language of the notice they agreed to (Welsh or English).
An idea keeps the language it was typed in, and the wording in the other language that a
facilitator added (with who added it). A workshop can show both languages on the projector.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant') as batch:
        # Everyone who joined before this read the English notice.
        batch.add_column(sa.Column('consent_language', sa.String(length=5), nullable=False,
                                   server_default='en'))
    with op.batch_alter_table('card') as batch:
        batch.add_column(sa.Column('language', sa.String(length=5), nullable=False,
                                   server_default='en'))
        batch.add_column(sa.Column('translation', sa.String(length=280), nullable=True))
        batch.add_column(sa.Column('translated_by_user_id', sa.Integer(),
                                   sa.ForeignKey('user_account.id',
                                                 name='fk_card_translated_by_user_id'),
                                   nullable=True))
    with op.batch_alter_table('workshop') as batch:
        batch.add_column(sa.Column('bilingual_wall', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('workshop') as batch:
        batch.drop_column('bilingual_wall')
    with op.batch_alter_table('card') as batch:
        batch.drop_constraint('fk_card_translated_by_user_id', type_='foreignkey')
        batch.drop_column('translated_by_user_id')
        batch.drop_column('translation')
        batch.drop_column('language')
    with op.batch_alter_table('participant') as batch:
        batch.drop_column('consent_language')
