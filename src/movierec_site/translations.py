"""The site's translation catalogues: compiling them, refreshing them from the code, and their
state.

The catalogues are `locale/<language>/LC_MESSAGES/{django,djangojs}.po` beside this module,
translated by hand. Django reads the compiled `.mo` files; they are build outputs, made by `make`
(or `python -m movierec_site.translations`) with polib, so a fresh clone needs no gettext to run
the site. `python -m movierec_site.translations --update` brings the catalogues up to date with
the code (new strings added untranslated, gone ones dropped): it runs Django's `makemessages`
(GNU gettext) on a copy of the site that includes the reasons' wording from the core package.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

SITE = Path(__file__).resolve().parent
LOCALE = SITE / "locale"
WORDING = SITE.parent / "movierec" / "wording.py"
"""The reasons' phrases: in the core package, which has no Django, marked with gettext_noop."""
DOMAINS = ("django", "djangojs")


def catalogues() -> list[Path]:
    """Every `.po` catalogue of the site."""
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(*, force: bool = False) -> list[Path]:
    """Compile each catalogue whose `.mo` is missing or older than it; the `.mo` files written.
    Fuzzy entries are left out, as msgfmt leaves them: a guess is no translation."""
    written = []
    for source in catalogues():
        target = source.with_suffix(".mo")
        if not force and target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        staging = target.with_name(f".{target.name}.tmp")
        polib.pofile(str(source)).save_as_mofile(str(staging))
        staging.replace(target)
        written.append(target)
    return written


def untranslated(source: Path) -> list[str]:
    """The msgids of `source` without a translation (empty, or only fuzzy)."""
    catalogue = polib.pofile(str(source))
    return [entry.msgid for entry in catalogue
            if not entry.obsolete and (not entry.translated() or entry.fuzzy)]


def extracted(domain: str) -> polib.POFile:
    """Every string the code marks for `domain`, as makemessages finds them (no translations)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "site"
        shutil.copytree(SITE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
        shutil.copy(WORDING, copy / "core_wording.py")
        (copy / "locale").mkdir()
        command = [sys.executable, "-m", "django", "makemessages", "--domain", domain,
                   "--locale", "zh_Hans", "--ignore", "migrations/*", "--no-location"]
        if domain == "django":
            command += ["--ignore", "static/*"]
        # No settings: makemessages then writes into the copy's own locale folder.
        environment = {key: value for key, value in os.environ.items()
                       if key != "DJANGO_SETTINGS_MODULE"}
        subprocess.run(command, cwd=copy, env=environment, check=True, capture_output=True,
                       text=True, timeout=300)
        return polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"))


def update_catalogues() -> list[Path]:
    """Merge what the code marks now into every catalogue; the catalogues written."""
    written = []
    for domain in DOMAINS:
        fresh = extracted(domain)
        for source in sorted(LOCALE.glob(f"*/LC_MESSAGES/{domain}.po")):
            catalogue = polib.pofile(str(source))
            catalogue.merge(fresh)
            catalogue[:] = [entry for entry in catalogue if not entry.obsolete]
            _plural_slots(catalogue)
            catalogue.save(str(source))
            written.append(source)
    return written


def _plural_slots(catalogue: polib.POFile) -> None:
    """Give each plural entry the number of forms its language has (Chinese: one), as the
    extraction, which knows no language, gives two."""
    forms = catalogue.metadata.get("Plural-Forms", "nplurals=2;")
    count = int(forms.split("nplurals=")[1].split(";")[0])
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {form: entry.msgstr_plural.get(form, "") for form in range(count)}


def main() -> None:
    if "--update" in sys.argv[1:]:
        for source in update_catalogues():
            left = len(untranslated(source))
            print(f"updated {source.relative_to(SITE)}: {left} to translate")
    for target in compile_catalogues(force="--force" in sys.argv[1:]):
        print(f"compiled {target.relative_to(SITE)}")


if __name__ == "__main__":
    main()
