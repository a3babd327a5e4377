"""Group commit of the kiosks' posts: one writer thread per server process stores the posts that arrive
together in one statement and one transaction (hall_ingest_group, migrations 0009 and 0010), and answers each
after the commit.

Why (issue 12, measured with bench/bench_hall_ingest.py and perf): at a hall's load nearly every post holds
one event, and PostgreSQL's CPU a post went to hall_ingest's fixed cost (ten-odd statements started, their
relations opened and locked) and the commit (WAL flush, fdatasync), not to the rows. Here a request thread
prepares its post as before (validation, sealed ID numbers, deadlines: hall.cases.ingest._at_once_batch) and
hands its JSON and its files' bytes to the writer; the writer takes every post waiting (no timer: the posts
that came while the previous group was being written), sends them as one JSON array and one bytea[] of their
files (one round trip, one commit, each statement once for the group) and wakes each request thread with its
own post's answer. A quiet hall writes groups of one, at once; a busy one writes bigger groups, so its cost a
post falls as its load rises.

Nothing is answered before the commit (fsync and synchronous_commit stay on: PostgreSQL's own durability).
One post per kiosk in a group (a kiosk waits for its answer before posting again; a second post would wait
for the next group), ordered by kiosk id (the kiosks' rows are locked in that order). When the group's
statement fails on a conflict hall_ingest_group names for the whole group (a case number inserted meanwhile,
a refresh of a case already held, changed holiday notices), nothing of the group is kept and every post is
stored on its own by its request thread, as before (store() returns None). Any other failure (the database
down, a bug) is raised in every request thread of the group: each kiosk is answered 500, nothing of the
group is kept, and the kiosks post again.
"""

from __future__ import annotations

import json
import logging
import os
import threading

import psycopg
from django.db import connection

from hall.cases.sql import cursor, execute

log = logging.getLogger(__name__)

#: At most this many posts (kiosks) in one group, and about this much JSON: a group's statement stays short.
MAX_POSTS = 64
MAX_BYTES = 16 * 1024 * 1024
#: SQLSTATEs after which every post of the group is stored on its own (migration 0009's docstring).
ALONE = ("23505", "HI001", "HI002")
#: The posts' JSON array, their files (bytea[], binary) one post after another, and where each post's start
#: (migration 0010).
_SQL = "SELECT hall_ingest_group(%s::jsonb, %b::bytea[], %s::integer[])"
_ONE = "SELECT hall_ingest(%s::jsonb, %b::bytea[])"


class GroupFailed(Exception):
    """The group this post was written with failed: nothing of it was stored (the kiosk sends it again)."""


class _Post:
    __slots__ = ("answer", "batch", "blobs", "done", "error", "kiosk", "size")

    def __init__(self, kiosk: int, batch: str, blobs: list[bytes]):
        self.kiosk, self.batch, self.blobs = kiosk, batch, blobs
        self.size = len(batch) + sum(map(len, blobs))
        self.done = threading.Event()
        self.answer: dict | None = None
        self.error: BaseException | None = None


class Writer:
    """The writer thread of one process and its queue of posts."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: list[_Post] = []
        self._thread: threading.Thread | None = None
        self._pid = 0
        #: Groups written and posts in them (for tests and the curious: posts / groups is the mean group size).
        self.groups = self.posts = 0

    def store(self, kiosk: int, batch: str, blobs: list[bytes]) -> dict | None:
        """Store one post (hall_ingest's arguments for kiosk id `kiosk`) with whatever posts come with it; its
        answer ({"revoked"}, {"existing"} or {"foreign": [...]}, as hall_ingest's) after the commit, or None
        when its group hit a conflict (nothing kept: store it on its own). GroupFailed when the group failed."""
        post = _Post(kiosk, batch, blobs)
        with self._cond:
            if self._thread is None or self._pid != os.getpid():  # first post in this (forked) process
                self._queue, self._pid = [], os.getpid()
                self._thread = threading.Thread(target=self._run, name="hall-group-writer", daemon=True)
                self._thread.start()
            self._queue.append(post)
            self._cond.notify()
        post.done.wait()
        if post.error is not None:
            raise GroupFailed("the hall failed to store this request") from post.error
        return post.answer

    def _take(self) -> list[_Post]:
        """The next group: every waiting post, one per kiosk, within MAX_POSTS and MAX_BYTES."""
        with self._cond:
            while not self._queue:
                self._cond.wait()
            group, rest, kiosks, size = [], [], set(), 0
            for post in self._queue:
                if (post.kiosk in kiosks or len(group) >= MAX_POSTS
                        or (group and size + post.size > MAX_BYTES)):
                    rest.append(post)
                else:
                    group.append(post)
                    kiosks.add(post.kiosk)
                    size += post.size
            self._queue = rest
        group.sort(key=lambda post: post.kiosk)
        return group

    def _run(self) -> None:
        while True:
            group = self._take()
            try:
                answers = self.write([(post.batch, post.blobs) for post in group])
                for post, answer in zip(group, answers, strict=True):
                    post.answer = answer
            except BaseException as e:  # every waiting request must be woken, whatever happened
                for post in group:
                    post.error = e
            finally:
                self.groups += 1
                self.posts += len(group)
                for post in group:
                    post.done.set()

    def write(self, batches: list[tuple[str, list[bytes]]]) -> list[dict | None]:
        """One group in one statement and transaction (this thread's own connection, autocommit): each post's
        answer, or None for all of them when the group hit a conflict (ALONE). Other errors are raised."""
        try:
            with cursor() as cur:
                if len(batches) == 1:  # a group of one: hall_ingest itself (hall_ingest_group's fixed cost is higher)
                    execute(cur, _ONE, list(batches[0]))
                else:
                    bases, blobs = [], []
                    for _, files in batches:
                        bases.append(len(blobs))
                        blobs += files
                    execute(cur, _SQL, ["[" + ",".join(batch for batch, _ in batches) + "]", blobs, bases])
                answer = cur.fetchone()[0]
        except psycopg.Error as e:
            if e.sqlstate in ALONE:
                return [None] * len(batches)
            log.error("a group of %d posts failed (each kiosk is answered 500 and sends again): %s",
                      len(batches), e)
            connection.close()  # broken or not, a fresh connection for the next group
            raise
        except Exception:
            connection.close()
            raise
        if isinstance(answer, str):  # Django's connection reads jsonb as text
            answer = json.loads(answer)
        if len(batches) == 1:
            return [answer]  # {"revoked"}, {"existing"} or {"foreign"}: the per-post answer already
        revoked, existing, foreign = set(answer["revoked"]), set(answer["existing"]), answer["foreign"]
        return [{"revoked": True} if i in revoked else {"existing": True} if i in existing
                else {"foreign": foreign.get(str(i), [])} for i in range(1, len(batches) + 1)]


#: This process's writer (granian's workers are processes: each has its own, started by its first post).
WRITER = Writer()


def store(kiosk: int, batch: str, blobs: list[bytes]) -> dict | None:
    """WRITER.store: see Writer.store."""
    return WRITER.store(kiosk, batch, blobs)
