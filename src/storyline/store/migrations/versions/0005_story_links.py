"""Persisted linking: each article's story and syndication origin, and the indexes' state.

``story_links`` holds one row per linked article (indexed by story, deleted with the article);
``link_state`` the state that linking continues from (a versioned ``.npz`` blob of numpy arrays,
never a pickle), with a generation number that concurrent writers compare.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "story_links",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("origin_id", sa.Text(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_story_links_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_story_links"),
    )
    op.create_index("ix_story_links_story_id", "story_links", ["story_id"])
    op.create_table(
        "link_state",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_link_state"),
    )


def downgrade() -> None:
    op.drop_table("link_state")
    op.drop_index("ix_story_links_story_id", table_name="story_links")
    op.drop_table("story_links")
