"""`kiosk capture` and `kiosk scan` run as processes, as a technician or a script would run them: on
synthetic photos (kiosk.camera.synthetic) and on a slip whose application `kiosk apply` recorded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest
from unit.kiosk.camera.test_codes import CLAIMS, slip

from kiosk.camera.synthetic import Shot, desk, photograph, render_page
from kiosk.credentials import issue_credential, load_or_create_signing_key

REPO = Path(__file__).resolve().parents[3]


def kiosk(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)


def test_capture_writes_the_flat_page_and_exits_0(tmp_path: Path) -> None:
    photo = tmp_path / "desk.jpg"
    cv2.imwrite(str(photo), photograph(render_page("floor_plan"), Shot(rotate=9, tilt=18), seed=2)[0])
    done = kiosk("capture", "--image", photo, "--out", tmp_path / "page.png", "--data-dir", tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "材料页已写入" in done.stdout
    page = cv2.imread(str(tmp_path / "page.png"))
    assert abs(page.shape[0] / page.shape[1] - 2 ** 0.5) < 0.03
    assert not (tmp_path / "data").exists()  # nothing stored: capture is a pure pipeline over files


def test_capture_without_a_page_exits_1_with_the_reason(tmp_path: Path) -> None:
    photo = tmp_path / "empty.png"
    cv2.imwrite(str(photo), desk(seed=4))
    done = kiosk("capture", "--image", photo, "--out", tmp_path / "page.png")
    assert done.returncode == 1
    assert "no_page" in done.stderr and "四条边" in done.stderr
    assert not (tmp_path / "page.png").exists()
    cut = tmp_path / "cut.png"
    cv2.imwrite(str(cut), photograph(render_page("delegation"), Shot(centre=(0.5, 0.62), height=1.05))[0])
    done = kiosk("capture", "--image", cut, "--out", tmp_path / "page.png", "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["code"] == "page_cut_off"


def test_capture_of_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "not.png").write_bytes(b"not an image")
    done = kiosk("capture", "--image", tmp_path / "not.png", "--out", tmp_path / "page.png")
    assert done.returncode == 2 and "not a readable photo" in done.stderr


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A data dir holding one approved application (made by `kiosk apply`), and apply's answer."""
    root = tmp_path_factory.mktemp("scan")
    done = kiosk("apply", "--data-dir", root / "data", "--service", "public-place-health-permit", "--card", "adult",
                 "--answers", REPO / "assets/demo/answers/public-place-health-permit.json", "--json")
    assert done.returncode == 0, done.stderr
    return root / "data", json.loads(done.stdout)


def test_scan_verifies_a_slip_photographed_at_an_angle_and_shows_its_status(applied, tmp_path: Path) -> None:
    data_dir, answer = applied
    photo = tmp_path / "slip.jpg"
    cv2.imwrite(str(photo), photograph(slip(answer["qr"]), Shot(height=0.5, rotate=25, tilt=20, blur=1.2), seed=6)[0])
    done = kiosk("scan", "--image", photo, "--data-dir", data_dir)
    assert done.returncode == 0, done.stderr + done.stdout
    assert done.stdout.startswith("VALID")
    assert answer["licence_no"] in done.stdout
    assert "本机状态 local: 已办结（秒批），证照已出" in done.stdout
    assert "5001**********" in done.stdout and "张*" in done.stdout
    assert "大厅状态" not in done.stdout  # no hall_status table on this kiosk
    done = kiosk("scan", "--image", photo, "--data-dir", data_dir, "--json")
    result = json.loads(done.stdout)
    assert result["claims"]["number"] == answer["licence_no"] and result["local"]["decision"] == "approved"


def test_scan_of_a_qr_signed_elsewhere_exits_1(applied, tmp_path: Path) -> None:
    data_dir, _ = applied
    foreign = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path / "other-hall"))
    photo = tmp_path / "foreign.png"
    cv2.imwrite(str(photo), photograph(slip(foreign), Shot(height=0.5), seed=1)[0])
    done = kiosk("scan", "--image", photo, "--data-dir", data_dir)
    assert done.returncode == 1
    assert done.stdout.startswith("INVALID") and "验证不通过" in done.stdout


def test_scan_without_a_qr_exits_1(applied, tmp_path: Path) -> None:
    data_dir, _ = applied
    photo = tmp_path / "page.png"
    cv2.imwrite(str(photo), photograph(render_page("health_certificate"), Shot(), seed=1)[0])
    done = kiosk("scan", "--image", photo, "--data-dir", data_dir)
    assert done.returncode == 1 and "没有读到二维码" in done.stdout


def test_scan_a_known_number_on_a_kiosk_that_never_saw_it(tmp_path: Path) -> None:
    text = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path / "data"))
    photo = tmp_path / "slip.png"
    cv2.imwrite(str(photo), photograph(slip(text), Shot(height=0.5), seed=1)[0])
    done = kiosk("scan", "--image", photo, "--data-dir", tmp_path / "data")
    assert done.returncode == 0
    assert "本机没有这份申请的记录" in done.stdout
