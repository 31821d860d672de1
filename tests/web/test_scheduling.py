"""The README's retraining schedule as a person copies it: its systemd units pass systemd's own
check, and its cron line runs in a site folder laid out as the README says, under cron's bare
environment."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import publish_link
from .test_operations import ROOT, prod_env

README = (ROOT / "README.md").read_text()
SITE = "/srv/movierec"
"""Where the README puts the site."""


def site_folder(tmp_path: Path, env: dict[str, str]) -> Path:
    """A site folder as the README lays it out: manage.py, the virtual environment and the
    settings file `movierec.env` (`KEY=value` lines)."""
    site = tmp_path / "srv"
    site.mkdir()
    (site / "manage.py").symlink_to(ROOT / "manage.py")
    (site / ".venv").symlink_to(Path(sys.prefix))
    (site / "movierec.env").write_text("".join(f"{key}={value}\n" for key, value in env.items()))
    return site


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze (Debian's systemd package) is not installed")
def test_the_readme_systemd_units_pass_systemds_check(tmp_path: Path) -> None:
    site = site_folder(tmp_path, {})
    units = re.findall(r"sudo tee /etc/systemd/system/(\S+) >/dev/null <<'UNIT'\n(.*?)UNIT\n",
                       README, re.S)
    assert [name for name, _ in units] == ["movierec-retrain.service", "movierec-retrain.timer"]
    for name, body in units:
        (tmp_path / name).write_text(body.replace(SITE, str(site)))
    checked = subprocess.run(["systemd-analyze", "verify",
                              *(str(tmp_path / name) for name, _ in units)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_readme_cron_line_runs_under_crons_environment(model_dir: Path,
                                                           tmp_path: Path) -> None:
    home = tmp_path / "home"
    publish_link(home / "models", model_dir)
    site = site_folder(tmp_path, prod_env(home))
    line = next(line for line in README.splitlines() if "manage.py retrain" in line
                and re.match(r"(\S+ ){5}cd ", line))
    command = line.split(maxsplit=5)[5].replace(SITE, str(site))
    # Cron runs the line with /bin/sh, a bare PATH and nothing else of a login's environment.
    cron = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh"}
    migrated = subprocess.run(["sh", "-c", f"cd {site} && set -a && . ./movierec.env && "
                               ".venv/bin/python manage.py migrate --noinput"],
                              env=cron, capture_output=True, text=True, timeout=120)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    ran = subprocess.run(["/bin/sh", "-c", command], env=cron, capture_output=True, text=True,
                         timeout=120)
    log = (site / "retrain.log").read_text()
    assert ran.returncode == 0, log
    assert log == ("nothing to retrain: 0 site ratings newer than the published model's "
                   "(--min-new-ratings 200)\n")
