"""`make serve` in Debian's Chromium: a real `mkdocs serve --livereload --dirty` on a small
project shows the content's problems in a banner, with file and line, until they are fixed,
and the page reloads without them. Every wait polls for its condition."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import CHROMIUM
from conftest import MKDOCS_YML

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright: make setup")
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium", allow_module_level=True
    )

STARTUP = 180
"""Seconds that the first build of the preview may take on a loaded machine."""
REBUILD_MS = 120_000
"""Milliseconds that a rebuild and the reload it triggers may take on a loaded machine."""
POST = "posts/2015-03-05-third.md"
FAULTY = "---\ntitle: Third\ndate: 2015-03-05\nmodels: [fellowship, no-such-model]\n---\nSome text.\n"
"""A post naming a model the vocabulary lacks, on its line 4."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(root: Path, log: Path):
    """`mkdocs serve --livereload --dirty` in `root`, as `make serve` runs it, on a free
    loopback port: its URL once the first build is served; stopped afterwards."""
    url = f"http://127.0.0.1:{free_port()}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "-a", url[7:-1]]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=root, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_served(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_served(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)  # polling: the server is not listening yet
    pytest.fail(f"mkdocs serve did not serve {url} within {STARTUP} s:\n{log.read_text()}")


def test_the_preview_shows_a_problem_until_it_is_fixed(project, tmp_path, browser):
    project.write("mkdocs.yml", MKDOCS_YML + "watch: [posts]\n")
    project.write("posts/2014-02-01-first.md", "---\ntitle: First\ndate: 2014-02-01\n---\nSome text.\n")
    project.write(POST, FAULTY)
    with serving(project.root, tmp_path / "serve.log") as url:
        page = browser.new_page()
        page.goto(url)
        alert = page.get_by_role("alert")
        sync_api.expect(alert).to_contain_text(f"{POST}:4", timeout=REBUILD_MS)
        sync_api.expect(alert).to_contain_text("no-such-model")

        with page.expect_navigation(timeout=REBUILD_MS):  # livereload reloads the page once rebuilt
            project.write(POST, FAULTY.replace(", no-such-model", ""))
        sync_api.expect(alert).to_have_count(0, timeout=REBUILD_MS)
        page.goto(url + "blog/2015/03/third/")
        sync_api.expect(page.locator("h1")).to_have_text("Third")
        sync_api.expect(alert).to_have_count(0)
        page.close()
