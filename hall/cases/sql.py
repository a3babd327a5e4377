"""Plain SQL on Django's connection for the kiosk API's hot path: parameters bound server side and the
statements prepared once per connection.

Django's own cursors quote every value into the SQL text in Python (client-side binding) and Django opens
its psycopg connections with prepare_threshold=None, so every statement is parsed and planned by PostgreSQL
each time. The hall's settings give the connection a threshold no statement reaches by itself
(PREPARE_THRESHOLD), so Django's statements stay unprepared (their texts carry their values anyway) and only
the fixed statements run through `execute` here are prepared: parsed and planned once per connection.
"""

from __future__ import annotations

import psycopg
from django.db import connection

#: settings.DATABASES OPTIONS["prepare_threshold"]: never reached; `execute` asks for preparation itself.
PREPARE_THRESHOLD = 1 << 30


def cursor() -> psycopg.Cursor:
    """A server-side binding cursor on Django's connection (same session, same transaction): values go as
    parameters, bytes (the PDFs) in binary."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def execute(cur: psycopg.Cursor, sql: str, params: list) -> None:
    """Run one of the hot path's fixed statements prepared (the same text every time: one per connection)."""
    cur.execute(sql, params, prepare=True)
