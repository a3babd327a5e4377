"""Group commit (hall.cases.group, migration 0009): posts of several kiosks that arrive together are stored in one
statement and one transaction, and each is answered exactly its own ids after the commit.

A group is made for real, without mocks or sleeps: a "blocker" kiosk's row is locked from another connection,
so the writer's first group (the blocker's post alone) waits in PostgreSQL; the posts under test queue up
behind it meanwhile (the test waits on the writer's queue), and when the lock goes they are written as the
next group, together. The requests go through hall.wsgi.application, as the server calls it, each in its own
thread (the thread a granian worker would run it in)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from hall.cases import group, tokens

EVENTS = "/api/v1/events"
AT = "2026-11-21T10:00:00+08:00"


def _body(kiosk_id: str, events: list[dict]) -> dict:
    return {"kiosk_id": kiosk_id, "sent_at": AT, "events": events}


def _rating(stars: int = 5, event_id: str | None = None) -> dict:
    return {"id": event_id or str(uuid.uuid4()), "kind": "rating", "at": AT,
            "body": {"number": None, "service": "food-licence", "stars": stars, "reason": ""}}


def _stored(kiosk_id: str) -> tuple[int, int, int]:
    """(events, cases, ratings) the hall holds for the kiosk."""
    with connection.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM cases_event e WHERE e.kiosk_id = k.id), "
                    "(SELECT count(*) FROM cases_case c WHERE c.kiosk_id = k.id), "
                    "(SELECT count(*) FROM cases_rating r WHERE r.kiosk_id = k.id) "
                    "FROM cases_kiosk k WHERE k.kiosk_id = %s", [kiosk_id])
        return cur.fetchone()


def _until(condition: Callable[[], bool], what: str, tries: int = 200_000) -> None:
    """Wait for a condition that needs the database to observe (each try is a query: no sleeping)."""
    for _ in range(tries):
        if condition():
            return
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def pg(hall_pg) -> Iterator[Callable[..., psycopg.Connection]]:
    """pg(autocommit) -> a plain connection to the suite's cluster, apart from Django's (closed at the end)."""
    opened: list[psycopg.Connection] = []

    def connect(autocommit: bool = True) -> psycopg.Connection:
        conn = psycopg.connect(hall_pg.url, autocommit=autocommit)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.close()


class Posts:
    """Posts sent each in its own thread through hall.wsgi.application; replies by kiosk id."""

    def __init__(self, wsgi_client, post):
        self.client, self.post = wsgi_client, post
        self.replies: dict[str, object] = {}
        self.threads: list[threading.Thread] = []

    def send(self, kiosk_id: str, token: str, events: list[dict]) -> None:
        def run() -> None:
            try:
                self.replies[kiosk_id] = self.post(self.client, EVENTS, _body(kiosk_id, events), token)
            finally:
                connection.close()  # this thread's own Django connection, if it opened one

        thread = threading.Thread(target=run)
        self.threads.append(thread)
        thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()


@contextmanager
def one_group(pg, enrolled, wsgi_client, post, expected: int,
              meanwhile: Callable[[], None] | None = None) -> Iterator[Posts]:
    """Posts sent inside the block are written as one group of `expected` posts (asserted on leaving; the
    replies are in by then). `meanwhile` runs once the group is on its way, before its replies are awaited."""
    blocker_id, blocker_token = enrolled()
    posts = Posts(wsgi_client, post)
    posts.send(blocker_id, blocker_token, [_rating()])  # the token is remembered by the worker (claimed_kiosk)
    posts.join()
    lock, watch = pg(autocommit=False), pg()
    lock.execute("SELECT 1 FROM cases_kiosk WHERE kiosk_id = %s FOR UPDATE", [blocker_id])
    groups_before = group.WRITER.groups
    posts.send(blocker_id, blocker_token, [_rating()])
    _until(lambda: watch.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                 "AND query LIKE 'SELECT hall_ingest%'").fetchone()[0] == 1,
           "the writer waits for the blocker's row")
    try:
        yield posts
        with group.WRITER._cond:
            assert group.WRITER._cond.wait_for(lambda: len(group.WRITER._queue) == expected, timeout=60), \
                "the posts never all waited for the writer"
    finally:
        lock.rollback()
    if meanwhile is not None:
        meanwhile()
    posts.join()
    assert group.WRITER.groups == groups_before + 2  # the blocker's post alone, then the posts under test


def test_posts_of_several_kiosks_are_committed_together_each_answered_its_own_ids(
        pg, enrolled, wsgi_client, post, app_event, new_number):
    kiosks = [enrolled() for _ in range(5)]
    sent = {kiosk_id: [app_event(new_number()), _rating(1), _rating(4)] for kiosk_id, _ in kiosks}
    for kiosk_id, token in kiosks:  # each token remembered first, as a kiosk's first post does
        assert post(wsgi_client, EVENTS, _body(kiosk_id, [_rating()]), token).status_code == 200
    with one_group(pg, enrolled, wsgi_client, post, expected=5) as posts:
        for kiosk_id, token in kiosks:
            posts.send(kiosk_id, token, sent[kiosk_id])
    for kiosk_id, _ in kiosks:
        reply = posts.replies[kiosk_id]
        assert reply.status_code == 200, reply.content
        assert reply.json() == {"held": [e["id"] for e in sent[kiosk_id]], "rejected": []}
        assert _stored(kiosk_id) == (4, 1, 3)
    # the same posts again (the replies were lost): held again, nothing stored twice
    with one_group(pg, enrolled, wsgi_client, post, expected=5) as posts:
        for kiosk_id, token in kiosks:
            posts.send(kiosk_id, token, sent[kiosk_id])
    for kiosk_id, _ in kiosks:
        assert posts.replies[kiosk_id].json()["held"] == [e["id"] for e in sent[kiosk_id]]
        assert _stored(kiosk_id) == (4, 1, 3)


def test_a_revoked_kiosk_in_a_group_is_refused_and_the_others_are_stored(
        pg, enrolled, wsgi_client, post, app_event, new_number):
    """One group: a kiosk revoked after the worker remembered its token (401, nothing of it stored), one that
    names another kiosk's case number (that event rejected, the rest of its post stored on its own), one that
    reuses another kiosk's event id (that event rejected), and a plain one."""
    (plain, plain_t), (revoked, revoked_t), (clash, clash_t), (reuse, reuse_t) = [enrolled() for _ in range(4)]
    for kiosk_id, token in ((plain, plain_t), (revoked, revoked_t), (clash, clash_t), (reuse, reuse_t)):
        assert post(wsgi_client, EVENTS, _body(kiosk_id, [_rating()]), token).status_code == 200
    theirs = new_number()
    assert post(wsgi_client, EVENTS, _body(plain, [app_event(theirs)]), plain_t).status_code == 200
    tokens.revoke(revoked)
    taken = str(uuid.uuid4())
    mine, stolen = app_event(new_number()), app_event(theirs)
    ok, also_ok = _rating(), _rating(2)
    with one_group(pg, enrolled, wsgi_client, post, expected=4) as posts:
        posts.send(plain, plain_t, [_rating(3, event_id=taken)])
        posts.send(revoked, revoked_t, [_rating()])
        posts.send(clash, clash_t, [mine, stolen])
        posts.send(reuse, reuse_t, [ok, _rating(event_id=taken), also_ok])
    assert posts.replies[plain].json() == {"held": [taken], "rejected": []}
    assert posts.replies[revoked].status_code == 401
    assert posts.replies[clash].json() == {
        "held": [mine["id"]], "rejected": [{"id": stolen["id"], "reason": f"number {theirs} belongs to another kiosk"}]}
    assert posts.replies[reuse].json() == {"held": [ok["id"], also_ok["id"]], "rejected": [
        {"id": taken, "reason": "event id already used by another kiosk"}]}
    assert [_stored(k) for k in (plain, revoked, clash, reuse)] == [(3, 1, 2), (1, 0, 1), (2, 1, 1), (3, 0, 3)]


def test_a_group_that_fails_answers_500_to_every_post_and_keeps_nothing_of_it(
        pg, enrolled, wsgi_client, post, app_event, new_number):
    """The writer's connection is cut while its group waits (a database restart): every kiosk of the group is
    answered 500 and nothing of the group is stored; the same posts sent again are stored once, on a new
    connection."""
    kiosks = [enrolled() for _ in range(3)]
    sent = {kiosk_id: [app_event(new_number()), _rating()] for kiosk_id, _ in kiosks}
    for kiosk_id, token in kiosks:
        assert post(wsgi_client, EVENTS, _body(kiosk_id, [_rating()]), token).status_code == 200
    last_id, _ = kiosks[-1]
    hold, watch = pg(autocommit=False), pg()

    def cut() -> None:  # the group waits for the held row: its connection is cut
        _until(lambda: watch.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                     "AND query LIKE 'SELECT hall_ingest_group%'").fetchone()[0] == 1,
               "the group waits for the held row")
        watch.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE query LIKE 'SELECT hall_ingest_group%' AND wait_event_type = 'Lock'")

    with one_group(pg, enrolled, wsgi_client, post, expected=3, meanwhile=cut) as posts:
        hold.execute("SELECT 1 FROM cases_kiosk WHERE kiosk_id = %s FOR UPDATE", [last_id])  # the group will wait
        for kiosk_id, token in kiosks:
            posts.send(kiosk_id, token, sent[kiosk_id])
    hold.rollback()
    for kiosk_id, _ in kiosks:
        reply = posts.replies[kiosk_id]
        assert reply.status_code == 500 and "send it again" in reply.json()["error"]
        assert _stored(kiosk_id) == (1, 0, 1)  # only the first rating, from before
    for kiosk_id, token in kiosks:
        reply = post(wsgi_client, EVENTS, _body(kiosk_id, sent[kiosk_id]), token)
        assert reply.json()["held"] == [e["id"] for e in sent[kiosk_id]]
        assert _stored(kiosk_id) == (3, 1, 2)
