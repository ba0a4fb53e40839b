"""One test in a real browser: `streamlit run` on a local port, Debian's Chromium driven by Playwright, a question
in Russian and a cited answer on the page; screenshots of the chat and the dashboard are saved."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, seconds: int = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def server(shipped):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed (make test installs it with apt-get where apt is "
                    "available; here it is not): the browser test cannot run")
    port = _free_port()
    env = dict(os.environ, QOLJETIM_INDEX=str(shipped.index_dir), QOLJETIM_DATA=str(shipped.data_dir),
               PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless",
                             "true", "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_russian_question_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("QOLJETIM_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                    env={"HOME": str(tmp_path)})
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(server, wait_until="domcontentloaded")
        box = page.get_by_placeholder("Задайте вопрос о доступности государственных услуг…")
        box.wait_for(timeout=90_000)
        box.fill("Сколько жалоб поступило в 2024 году?")
        box.press("Enter")
        page.get_by_text("Из документов:").wait_for(timeout=120_000)
        page.get_by_text("Скачать DOCX").wait_for(timeout=60_000)
        body = page.inner_text("body")
        assert "[1]" in body and "71" in body and "Источники" in body
        page.evaluate("document.querySelectorAll('[data-testid=stMain], section.main, .main')"
                      ".forEach(e => e.scrollTo(0, 0)); window.scrollTo(0, 0)")
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots / "chat-ru.png"))
        page.get_by_text("Показатели", exact=True).first.click()
        page.get_by_text("Объём услуг по каналам").wait_for(timeout=60_000)
        page.wait_for_timeout(3000)  # let the charts draw
        page.screenshot(path=str(shots / "dashboard-ru.png"))
        browser.close()
    assert (shots / "chat-ru.png").stat().st_size > 10_000
