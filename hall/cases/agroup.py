"""Group commit on a worker's event loop (the ASGI path, hall.asgi): one writer task per worker process and
its own psycopg AsyncConnection, the same groups as hall.cases.group's writer thread without threads.

Why (issue 12): on the WSGI path a post crossed three threads (granian's hand-off to a Python thread, the
request thread, the writer thread and back) and each crossing was a futex wake-up and a GIL hand-off: about
0.7 ms of a worker's CPU a post, twice the Python work of the post itself. Here a post is a coroutine on the
worker's loop: it prepares its post (the same code: hall.cases.ingest._at_once_batch), appends it to the
queue and awaits a future; the writer task takes every post waiting (group.take: no timer), stores them with
the same statement (group.statement: hall_ingest_group, or hall_ingest for one post), commits (autocommit:
the statement is its transaction; fsync and synchronous_commit stay on) and only then sets each post's
future to its own answer (group.answers). While the writer awaits PostgreSQL the loop serves other posts,
which form the next group.

A conflict of the whole group (group.ALONE) answers every post None (stored on its own by the caller, as
with the thread writer); any other failure sets GroupFailed on every post of the group (each kiosk is
answered 500, nothing of the group is kept) and the connection is dropped (a fresh one for the next group).
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from django.conf import settings

from hall.cases import group
from hall.cases.group import GroupFailed

log = logging.getLogger(__name__)


def connect_kwargs() -> dict:
    """psycopg's connection arguments for Django's default database, as Django's own connection has them
    (session time zone UTC: USE_TZ), autocommit. Statements are prepared only when asked (execute)."""
    db = settings.DATABASES["default"]
    kwargs = {k: v for k, v in (("dbname", db["NAME"]), ("user", db["USER"]), ("password", db["PASSWORD"]),
                                ("host", db["HOST"]), ("port", db["PORT"])) if v}
    options = {k: v for k, v in db.get("OPTIONS", {}).items() if k != "prepare_threshold"}
    extra = options.pop("options", "")
    return {**kwargs, **options, "options": f"-c TimeZone=UTC {extra}".strip(), "autocommit": True,
            "prepare_threshold": None}


class _Post:
    __slots__ = ("batch", "blobs", "future", "kiosk", "size")

    def __init__(self, kiosk: int, batch: str, blobs: list[bytes], future: asyncio.Future):
        self.kiosk, self.batch, self.blobs, self.future = kiosk, batch, blobs, future
        self.size = len(batch) + sum(map(len, blobs))


class AsyncWriter:
    """The writer task of one event loop, its queue of posts and its connection."""

    def __init__(self) -> None:
        self._queue: list[_Post] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._conn: psycopg.AsyncConnection | None = None
        #: Groups written and posts in them (posts / groups is the mean group size).
        self.groups = self.posts = 0

    async def store(self, kiosk: int, batch: str, blobs: list[bytes]) -> dict | None:
        """As group.Writer.store, awaited: the post's answer after its group's commit, None when its group hit
        a conflict (nothing kept: store it on its own), GroupFailed when the group failed."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None or self._task.done():
            self._loop, self._queue, self._conn = loop, [], None
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._run(), name="hall-group-writer")
        post = _Post(kiosk, batch, blobs, loop.create_future())
        self._queue.append(post)
        self._wake.set()
        return await post.future

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                posts, self._queue = group.take(self._queue)
                try:
                    answers = await self.write([(post.batch, post.blobs) for post in posts])
                except BaseException as e:  # every waiting post must be answered, whatever happened
                    failed = GroupFailed("the hall failed to store this request")
                    failed.__cause__ = e
                    for post in posts:
                        if not post.future.done():
                            post.future.set_exception(failed)
                    if isinstance(e, asyncio.CancelledError):
                        raise
                else:
                    for post, answer in zip(posts, answers, strict=True):
                        if not post.future.done():
                            post.future.set_result(answer)
                finally:
                    self.groups += 1
                    self.posts += len(posts)

    async def write(self, batches: list[tuple[str, list[bytes]]]) -> list[dict | None]:
        """One group in one statement and transaction: each post's answer, or None for all of them when the
        group hit a conflict (group.ALONE). Other errors are raised (and the connection dropped)."""
        try:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(**connect_kwargs())
            async with self._conn.cursor() as cur:
                await cur.execute(*group.statement(batches), prepare=True)
                answer = (await cur.fetchone())[0]
        except psycopg.Error as e:
            if e.sqlstate in group.ALONE:
                return [None] * len(batches)
            log.error("a group of %d posts failed (each kiosk is answered 500 and sends again): %s",
                      len(batches), e)
            await self._drop()
            raise
        except BaseException:
            await self._drop()
            raise
        return group.answers(answer, len(batches))

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # closing a broken connection: nothing more to do
                log.debug("closing the writer's connection failed", exc_info=True)


#: This process's writer (each granian worker runs one event loop: its first post starts the task).
WRITER = AsyncWriter()


async def store(kiosk: int, batch: str, blobs: list[bytes]) -> dict | None:
    """WRITER.store: see AsyncWriter.store."""
    return await WRITER.store(kiosk, batch, blobs)
