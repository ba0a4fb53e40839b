"""Alembic environment: run with the connection handed in by assistant.serve.db.migrate (or a URL)."""
from alembic import context
import sqlalchemy as sa

from assistant.serve.db import engine_url, metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    engine = sa.create_engine(engine_url(config.get_main_option("sqlalchemy.url")))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
