"""Alembic environment: runs on the connection `data.engine.upgrade` hands over, under its lock."""

from alembic import context
from sqlalchemy import create_engine

from data.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` used from the command line, e.g. to autogenerate
    connection = create_engine(context.config.get_main_option("sqlalchemy.url") or "").connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
