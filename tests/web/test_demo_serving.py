"""The demo a person starts: `make demo`/`make serve` check their PORT first (scripts/check_port.py)
and serve with DEBUG off, the site's own 404 page, and the static files still there."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK_PORT = ROOT / "scripts" / "check_port.py"


def check_port(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECK_PORT), *arguments], capture_output=True, text=True, timeout=30
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_free_port_passes_quietly():
    result = check_port(str(free_port()), "make demo")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_busy_port_is_named_in_one_line_with_another_to_use():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        result = check_port(str(port), "make demo")
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"port {port} is busy" in message
    suggested = int(message.rsplit("make demo PORT=", 1)[1])
    assert suggested > port


def test_a_server_on_every_address_makes_the_port_busy_too():
    with socket.socket() as server:
        server.bind(("0.0.0.0", 0))
        server.listen()
        result = check_port(str(server.getsockname()[1]), "make serve")
    assert result.returncode == 1 and "make serve PORT=" in result.stderr


@pytest.mark.parametrize("port", ["web", "0", "70000", "-1"])
def test_a_port_that_is_no_number_is_named(port):
    result = check_port(port, "make serve")
    assert result.returncode == 2
    assert f"PORT='{port}' is not a port number" in result.stderr
    assert "Traceback" not in result.stderr


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow
def test_the_demo_settings_show_the_sites_404_and_still_serve_static_files(tmp_path):
    # slow: starts Django's dev server in a process of its own, as `make serve` does (~3 s).
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "movierec_site.settings.demo",
        "MOVIEREC_HOME": str(tmp_path),
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, page = get(f"http://127.0.0.1:{port}/no-such-page/")
                break
            except OSError:
                assert time.monotonic() < deadline, "the demo server did not start"
                assert server.poll() is None, "the demo server stopped"
                time.sleep(0.2)
        assert status == 404
        assert "There is no page at this address" in page and 'class="skip-link"' in page
        assert "URLconf" not in page, "not Django's debug list of URL patterns"
        status, css = get(f"http://127.0.0.1:{port}/static/movierec/site.css")
        assert status == 200 and "--bg" in css
    finally:
        server.terminate()
        server.wait(timeout=10)
