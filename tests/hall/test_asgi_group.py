"""Group commit on the event loop (hall.asgi, hall.cases.agroup): concurrent posts through the ASGI application
are written as one group by the worker's writer task and each answered exactly its own ids; a group that
fails answers every post 500 and keeps nothing of it.

A group is made for real, as in test_group_commit: a "blocker" kiosk's row is locked from another
connection, so the writer's first group (the blocker's post alone) waits in PostgreSQL; the posts under test
queue up behind it on the loop meanwhile, and when the lock goes they are written together."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from hall.cases import agroup, tokens

EVENTS = "/api/v1/events"
AT = "2026-11-21T10:00:00+08:00"


def _body(kiosk_id: str, events: list[dict]) -> bytes:
    return json.dumps({"kiosk_id": kiosk_id, "sent_at": AT, "events": events}, ensure_ascii=False).encode()


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


def _until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.005)


@pytest.fixture
def pg(hall_pg) -> Iterator[Callable[..., psycopg.Connection]]:
    opened: list[psycopg.Connection] = []

    def connect(autocommit: bool = True) -> psycopg.Connection:
        conn = psycopg.connect(hall_pg.url, autocommit=autocommit)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.close()


class Posts:
    """Posts started together on the client's loop; replies by kiosk id."""

    def __init__(self, asgi_client):
        self.client = asgi_client
        self.pending: dict[str, object] = {}

    def send(self, kiosk_id: str, token: str, events: list[dict]) -> None:
        body = _body(kiosk_id, events)
        self.pending[kiosk_id] = self.client.submit("POST", EVENTS, body, {
            "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Content-Length": str(len(body))})

    def replies(self) -> dict:
        return {kiosk_id: future.result(timeout=120) for kiosk_id, future in self.pending.items()}


def _post(asgi_client, kiosk_id: str, token: str, events: list[dict]):
    posts = Posts(asgi_client)
    posts.send(kiosk_id, token, events)
    return posts.replies()[kiosk_id]


@contextmanager
def one_group(pg, enrolled, asgi_client, expected: int, meanwhile: Callable[[], None] | None = None):
    """Posts sent inside the block are written as one group of `expected` posts (asserted on leaving)."""
    blocker_id, blocker_token = enrolled()
    assert _post(asgi_client, blocker_id, blocker_token, [_rating()]).status_code == 200  # token remembered
    lock, watch = pg(autocommit=False), pg()
    lock.execute("SELECT 1 FROM cases_kiosk WHERE kiosk_id = %s FOR UPDATE", [blocker_id])
    groups_before = agroup.WRITER.groups
    blocker = Posts(asgi_client)
    blocker.send(blocker_id, blocker_token, [_rating()])
    _until(lambda: watch.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                 "AND query LIKE 'SELECT hall_ingest%'").fetchone()[0] == 1,
           "the writer waits for the blocker's row")
    posts = Posts(asgi_client)
    try:
        yield posts
        _until(lambda: len(agroup.WRITER._queue) == expected, "the posts all wait for the writer")
    finally:
        lock.rollback()
    if meanwhile is not None:
        meanwhile()
    posts.replies()
    assert blocker.replies()[blocker_id].status_code == 200
    assert agroup.WRITER.groups == groups_before + 2  # the blocker's post alone, then the posts under test


def test_concurrent_posts_on_the_loop_are_committed_together_each_answered_its_own_ids(
        pg, enrolled, asgi_client, app_event, new_number):
    kiosks = [enrolled() for _ in range(5)]
    sent = {kiosk_id: [app_event(new_number()), _rating(1), _rating(4)] for kiosk_id, _ in kiosks}
    for kiosk_id, token in kiosks:  # each token remembered first, as a kiosk's first post does (in a thread)
        assert _post(asgi_client, kiosk_id, token, [_rating()]).status_code == 200
    posts_before = agroup.WRITER.posts
    with one_group(pg, enrolled, asgi_client, expected=5) as posts:
        for kiosk_id, token in kiosks:
            posts.send(kiosk_id, token, sent[kiosk_id])
    assert agroup.WRITER.posts == posts_before + 2 + 5  # the blocker's two posts, then the five together
    replies = posts.replies()
    for kiosk_id, _ in kiosks:
        assert replies[kiosk_id].status_code == 200, replies[kiosk_id].content
        assert replies[kiosk_id].json() == {"held": [e["id"] for e in sent[kiosk_id]], "rejected": []}
        assert _stored(kiosk_id) == (4, 1, 3)
    with one_group(pg, enrolled, asgi_client, expected=5) as posts:  # sent again: held again, stored once
        for kiosk_id, token in kiosks:
            posts.send(kiosk_id, token, sent[kiosk_id])
    for kiosk_id, _ in kiosks:
        assert posts.replies()[kiosk_id].json()["held"] == [e["id"] for e in sent[kiosk_id]]
        assert _stored(kiosk_id) == (4, 1, 3)


def test_a_revoked_kiosk_and_a_clash_in_a_loop_group_touch_only_their_posts(
        pg, enrolled, asgi_client, app_event, new_number):
    """A kiosk revoked after the worker remembered its token: 401, nothing stored; one naming another
    kiosk's case number: that event rejected (stored on its own, in a thread); a plain one stored."""
    (plain, plain_t), (revoked, revoked_t), (clash, clash_t) = [enrolled() for _ in range(3)]
    for kiosk_id, token in ((plain, plain_t), (revoked, revoked_t), (clash, clash_t)):
        assert _post(asgi_client, kiosk_id, token, [_rating()]).status_code == 200
    theirs = new_number()
    assert _post(asgi_client, plain, plain_t, [app_event(theirs)]).status_code == 200
    tokens.revoke(revoked)
    mine, stolen, ok = app_event(new_number()), app_event(theirs), _rating(3)
    with one_group(pg, enrolled, asgi_client, expected=3) as posts:
        posts.send(plain, plain_t, [ok])
        posts.send(revoked, revoked_t, [_rating()])
        posts.send(clash, clash_t, [mine, stolen])
    replies = posts.replies()
    assert replies[plain].json() == {"held": [ok["id"]], "rejected": []}
    assert replies[revoked].status_code == 401
    assert replies[clash].json() == {
        "held": [mine["id"]], "rejected": [{"id": stolen["id"], "reason": f"number {theirs} belongs to another kiosk"}]}
    assert [_stored(k) for k in (plain, revoked, clash)] == [(3, 1, 2), (1, 0, 1), (2, 1, 1)]


def test_a_loop_group_that_fails_answers_500_to_every_post_and_keeps_nothing_of_it(
        pg, enrolled, asgi_client, app_event, new_number):
    """The writer's connection is cut while its group waits (a database restart): every kiosk of the group is
    answered 500 and nothing of the group is stored; the same posts sent again are stored once, on a new
    connection."""
    kiosks = [enrolled() for _ in range(3)]
    sent = {kiosk_id: [app_event(new_number()), _rating()] for kiosk_id, _ in kiosks}
    for kiosk_id, token in kiosks:
        assert _post(asgi_client, kiosk_id, token, [_rating()]).status_code == 200
    last_id, _ = kiosks[-1]
    hold, watch = pg(autocommit=False), pg()

    def cut() -> None:
        _until(lambda: watch.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                     "AND query LIKE 'SELECT hall_ingest_group%'").fetchone()[0] == 1,
               "the group waits for the held row")
        watch.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE query LIKE 'SELECT hall_ingest_group%' AND wait_event_type = 'Lock'")

    with one_group(pg, enrolled, asgi_client, expected=3, meanwhile=cut) as posts:
        hold.execute("SELECT 1 FROM cases_kiosk WHERE kiosk_id = %s FOR UPDATE", [last_id])
        for kiosk_id, token in kiosks:
            posts.send(kiosk_id, token, sent[kiosk_id])
    hold.rollback()
    replies = posts.replies()
    for kiosk_id, _ in kiosks:
        assert replies[kiosk_id].status_code == 500 and "send it again" in replies[kiosk_id].json()["error"]
        assert _stored(kiosk_id) == (1, 0, 1)  # only the first rating, from before
    for kiosk_id, token in kiosks:
        reply = _post(asgi_client, kiosk_id, token, sent[kiosk_id])
        assert reply.json()["held"] == [e["id"] for e in sent[kiosk_id]]
        assert _stored(kiosk_id) == (3, 1, 2)
