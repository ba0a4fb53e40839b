"""App cold start to first answer on a built index: `streamlit run` is started, Debian's Chromium (Playwright)
opens the page, asks a question in Russian and waits for the cited answer. Needs /usr/bin/chromium and `make index`.
Run: .venv/bin/python bench/bench_app_start.py   — prints the seconds and appends them to bench/RESULTS.md."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_index import commit  # noqa: E402
from tests.ui.test_browser import FLAGS, _free_port, _wait_healthy  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless",
                             "true", "--browser.gatherUsageStats", "false"], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url)
        serving = time.perf_counter() - started
        with sync_playwright() as p, tempfile.TemporaryDirectory() as home:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS, env={"HOME": home})
            page = browser.new_page()
            page.goto(url, wait_until="domcontentloaded")
            box = page.get_by_placeholder("Задайте вопрос о доступности государственных услуг…")
            box.wait_for(timeout=90_000)
            box.fill("Сколько жалоб поступило в 2024 году?")
            box.press("Enter")
            page.get_by_text("Скачать DOCX").wait_for(timeout=120_000)
            answered = time.perf_counter() - started
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    line = (f"\n## App cold start — {time.strftime('%Y-%m-%d %H:%M')} · commit {commit()} · {platform.machine()}\n\n"
            f"| measure | seconds |\n|---|---|\n| `streamlit run` to healthy | {serving:.1f} |\n"
            f"| `streamlit run` to first cited answer in the browser | {answered:.1f} |\n")
    print(line)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
        fh.write(line)


if __name__ == "__main__":
    main()
