"""Who may open the console and post its actions: login, roles checked on the server for every page and
action, CSRF on every post, and the Django admin for admins only."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hall.cases.models import Case
from hall.console import sample


@pytest.fixture
def case(enrolled):
    kiosk_id, _ = enrolled()
    number = f"AC{uuid.uuid4().hex[:10]}"
    sample.store(kiosk_id, [sample.application(number, with_files=False)])
    return Case.objects.get(number=number)


PAGES = ["/", "/fleet/", "/stats/", "/calls/", "/calls.json", "/stats.csv"]


@pytest.mark.parametrize("path", PAGES)
def test_the_anonymous_are_sent_to_the_login_page(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("path", PAGES)
def test_a_user_without_a_staff_role_is_refused(path):
    user = get_user_model().objects.create_user(f"norole-{uuid.uuid4().hex[:8]}", password="x" * 12)
    client = Client()
    client.force_login(user)
    assert client.get(path).status_code == 403


def test_logging_in_with_the_password_opens_the_queue(staff):
    user = staff("reviewer")
    user.set_password("a-long-password-1")
    user.save()
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    assert "工作人员登录" in page.content.decode()
    token = page.cookies["csrftoken"].value
    wrong = client.post("/login/", {"username": user.username, "password": "wrong", "csrfmiddlewaretoken": token})
    assert wrong.status_code == 200 and "用户名或密码不正确" in wrong.content.decode()
    right = client.post("/login/", {"username": user.username, "password": "a-long-password-1",
                                    "csrfmiddlewaretoken": token})
    assert right.status_code == 302 and right["Location"] == "/"
    assert "待办队列" in client.get("/").content.decode()


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(staff, case):
    reviewer = staff("reviewer")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    refused = client.post(f"/case/{case.number}/act/claim/")
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.claimed_by_id is None
    token = client.get(f"/case/{case.number}/").cookies["csrftoken"].value
    done = client.post(f"/case/{case.number}/act/claim/", {"csrfmiddlewaretoken": token})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.claimed_by_id == reviewer.pk


def test_actions_are_posts_only(staff, case):
    client = Client()
    client.force_login(staff("reviewer"))
    assert client.get(f"/case/{case.number}/act/claim/").status_code == 405
    assert client.get(f"/case/{case.number}/reveal/").status_code == 405
    assert client.post(f"/case/{case.number}/act/explode/").status_code == 404


def test_the_reveal_needs_a_reviewer_or_an_approver(case):
    user = get_user_model().objects.create_user(f"norole-{uuid.uuid4().hex[:8]}", password="x" * 12)
    client = Client()
    client.force_login(user)
    response = client.post(f"/case/{case.number}/reveal/")
    assert response.status_code == 403
    assert not case.history.filter(action="reveal_id_number").exists()


def test_the_django_admin_is_for_admins_only(staff):
    admin = staff("admin")
    admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/cases/case/" in index.content.decode()  # the 管理员 group holds the cases' permissions
    assert client.get("/admin/cases/kiosk/").status_code == 200
    reviewer_client = Client()
    reviewer_client.force_login(staff("reviewer"))
    assert reviewer_client.get("/admin/").status_code == 302  # to the admin's own login: not for reviewers
    # The console's header links to the admin only for admins.
    assert "管理后台" in client.get("/").content.decode()
    assert "管理后台" not in reviewer_client.get("/").content.decode()


def test_the_stylesheet_and_scripts_come_from_the_hall_itself():
    client = Client()
    for path in ("/static/console/console.css", "/static/console/calls.js", "/static/console/badge.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)
    page = client.get("/login/").content.decode()
    assert "http://" not in page and "https://" not in page  # nothing from a CDN
