"""Tables whose rows are rewritten often keep room on their pages, so that PostgreSQL updates
a row in place without touching its indexes: people by each day's scores, handles by the
stream's follower counts."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting"),
]


@pytest.mark.parametrize(("table", "fill"), [("scoring_person", 60), ("scoring_handle", 75)])
def test_rows_rewritten_often_have_room_on_their_pages(table, fill):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        (options,) = cursor.fetchone()
    assert f"fillfactor={fill}" in options
