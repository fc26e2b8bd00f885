"""Each app's locks are taken in its lock_objects module alone, where their order is stated."""

import re

from tests.support import PROJECT_DIR

APPS = ("marketplace", "scoring", "campaigns", "demo")
LOCKING = re.compile(r"select_for_update|pg_advisory|FOR (NO KEY )?UPDATE|SKIP LOCKED", re.I)


def test_no_lock_is_taken_outside_the_lock_objects_modules():
    elsewhere = [
        f"{path.relative_to(PROJECT_DIR)}:{number}: {line.strip()}"
        for app in APPS
        for path in sorted((PROJECT_DIR / app).rglob("*.py"))
        if path.name != "lock_objects.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if LOCKING.search(line)
    ]
    assert not elsewhere, "Locks taken outside lock_objects.py:\n" + "\n".join(elsewhere)
