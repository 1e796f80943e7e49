"""Role redesign projects: sessions, milestones, an evidence pack and return codes

Every workshop becomes a session of a project. Each existing workshop becomes the only session
of its own project, with the workshop's title and owner (the project takes the workshop's id).
Roles, ideas and outline versions record where they were carried from; outline versions record
the session that made them; participants record the earlier session they came back from. No
audit row is touched, so every chain verifies as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 10:30:00

"""
import sqlalchemy as sa
from alembic import op

from coprod.migration_helpers import freeze_outline_versions, thaw_outline_versions

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    _new_tables()
    with op.batch_alter_table('workshop') as batch:
        batch.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('session_number', sa.Integer(), nullable=False,
                                   server_default='1'))
        batch.add_column(sa.Column('what_happens', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('duration', sa.String(length=80), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('expenses', sa.String(length=600), nullable=False,
                                   server_default=''))
    _one_project_per_workshop()
    with op.batch_alter_table('workshop') as batch:
        batch.alter_column('project_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key('fk_workshop_project_id', 'project', ['project_id'], ['id'])
        batch.create_index('ix_workshop_project_id', ['project_id'])
    with op.batch_alter_table('role') as batch:
        batch.add_column(sa.Column('carried_from_id', sa.Integer(),
                                   sa.ForeignKey('role.id', name='fk_role_carried_from_id'),
                                   nullable=True))
    with op.batch_alter_table('card') as batch:
        batch.add_column(sa.Column('evidence_item_id', sa.Integer(),
                                   sa.ForeignKey('evidence_item.id',
                                                 name='fk_card_evidence_item_id'), nullable=True))
        batch.add_column(sa.Column('carried_from_id', sa.Integer(),
                                   sa.ForeignKey('card.id', name='fk_card_carried_from_id'),
                                   nullable=True))
        batch.add_column(sa.Column('earlier_result', sa.String(length=20), nullable=True))
    with op.batch_alter_table('participant') as batch:
        batch.add_column(sa.Column('returned_from_id', sa.Integer(),
                                   sa.ForeignKey('participant.id',
                                                 name='fk_participant_returned_from_id'),
                                   nullable=True))
    # Rebuilding the table on SQLite drops its triggers: lift them and put them back after.
    thaw_outline_versions()
    with op.batch_alter_table('outline_version') as batch:
        batch.add_column(sa.Column('session_number', sa.Integer(), nullable=False,
                                   server_default='1'))
        batch.add_column(sa.Column('carried_from_id', sa.Integer(),
                                   sa.ForeignKey('outline_version.id',
                                                 name='fk_outline_version_carried_from_id'),
                                   nullable=True))
    freeze_outline_versions()


def _new_tables():
    op.create_table(
        'project',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('purpose', sa.String(length=600), nullable=False, server_default=''),
        sa.Column('population_need', sa.String(length=600), nullable=False, server_default=''),
        sa.Column('target_per_group', sa.Integer(), nullable=True),
        sa.Column('owner_id', sa.Integer(), sa.ForeignKey('user_account.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'milestone',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('project_id', sa.Integer(), sa.ForeignKey('project.id'), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
    )
    op.create_index('ix_milestone_project_id', 'milestone', ['project_id'])
    op.create_table(
        'evidence_item',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('project_id', sa.Integer(), sa.ForeignKey('project.id'), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('summary', sa.String(length=600), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('url', sa.String(length=500), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('stored_name', sa.String(length=80), nullable=True),
        sa.Column('file_size', sa.Integer(), nullable=True),
        sa.Column('file_sha256', sa.String(length=64), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('added_by_user_id', sa.Integer(), sa.ForeignKey('user_account.id'),
                  nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_evidence_item_project_id', 'evidence_item', ['project_id'])
    op.create_table(
        'return_code',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('project_id', sa.Integer(), sa.ForeignKey('project.id'), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('participant_id', sa.Integer(), sa.ForeignKey('participant.id'),
                  nullable=False),
        sa.Column('issued_by_user_id', sa.Integer(), sa.ForeignKey('user_account.id'),
                  nullable=True),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('used_by_participant_id', sa.Integer(), sa.ForeignKey('participant.id'),
                  nullable=True),
        sa.UniqueConstraint('project_id', 'code'),
    )
    op.create_index('ix_return_code_project_id', 'return_code', ['project_id'])
    op.create_index('ix_return_code_participant_id', 'return_code', ['participant_id'])


def _one_project_per_workshop():
    op.execute("INSERT INTO project (id, title, purpose, population_need, owner_id, created_at) "
               "SELECT id, title, '', '', owner_id, created_at FROM workshop")
    op.execute("UPDATE workshop SET project_id = id, session_number = 1")
    if op.get_bind().dialect.name == "postgresql":  # the next project must not reuse an id
        op.execute("SELECT setval(pg_get_serial_sequence('project', 'id'), "
                   "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM project")


def downgrade():
    thaw_outline_versions()
    with op.batch_alter_table('outline_version') as batch:
        batch.drop_constraint('fk_outline_version_carried_from_id', type_='foreignkey')
        batch.drop_column('carried_from_id')
        batch.drop_column('session_number')
    freeze_outline_versions()
    with op.batch_alter_table('participant') as batch:
        batch.drop_constraint('fk_participant_returned_from_id', type_='foreignkey')
        batch.drop_column('returned_from_id')
    with op.batch_alter_table('card') as batch:
        batch.drop_constraint('fk_card_carried_from_id', type_='foreignkey')
        batch.drop_constraint('fk_card_evidence_item_id', type_='foreignkey')
        batch.drop_column('earlier_result')
        batch.drop_column('carried_from_id')
        batch.drop_column('evidence_item_id')
    with op.batch_alter_table('role') as batch:
        batch.drop_constraint('fk_role_carried_from_id', type_='foreignkey')
        batch.drop_column('carried_from_id')
    with op.batch_alter_table('workshop') as batch:
        batch.drop_index('ix_workshop_project_id')
        batch.drop_constraint('fk_workshop_project_id', type_='foreignkey')
        for column in ('expenses', 'duration', 'what_happens', 'session_number', 'project_id'):
            batch.drop_column(column)
    for table in ('return_code', 'evidence_item', 'milestone', 'project'):
        op.drop_table(table)
