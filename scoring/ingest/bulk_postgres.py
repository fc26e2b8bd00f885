"""The PostgreSQL bulk backend: COPY into the tables, or into a temporary staging table
followed by INSERT … ON CONFLICT DO NOTHING where duplicates must be skipped."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import orjson
import psycopg
from django.db import connection, models, transaction
from django.db.models import ForeignKey, ForeignObjectRel
from django.utils import timezone
from psycopg.errors import UniqueViolation

from scoring.ingest.bulk_contract import HandleKey, InteractionColumns, PostKey
from scoring.ingest.records import HandleRecord, PostRecord
from scoring.lock_objects import handle_creation_lock
from scoring.models import Verification, fresh_public_ids, username_key

HANDLE_STAGE_COLUMNS = (  # a HandleRow, after the public id
    "public_id, network, external_id, username, username_key, display_name, avatar_url, "
    "profile_url, is_private, followers_count"
)
INSERT_STAGED_HANDLES = """
WITH people AS (
    INSERT INTO scoring_person
        (public_id, opted_out, display_name, place, country, score_model, created_at,
         updated_at)
    SELECT public_id, false, display_name, '', '', '', %(now)s, %(now)s
    FROM handle_stage ORDER BY public_id
    ON CONFLICT DO NOTHING
    RETURNING id, public_id
)
INSERT INTO scoring_handle (
    person_id, network, external_id, username, username_key, display_name, avatar_url,
    profile_url, is_private, access_granted, followers_count, verification, created_at,
    updated_at
)
SELECT people.id, s.network, s.external_id, s.username, s.username_key, s.display_name,
    s.avatar_url, s.profile_url, s.is_private, false, s.followers_count, %(unverified)s,
    %(now)s, %(now)s
FROM handle_stage s JOIN people USING (public_id)
ORDER BY s.network, s.external_id
RETURNING network, external_id, id
"""
POST_COLUMNS = (
    "handle_id, external_id, published_at, text, url, kind, reported_likes, reported_shares, "
    "created_at, updated_at"
)
POST_TYPES = (  # post_stage's columns below, as psycopg names them for a binary COPY
    "int8", "text", "timestamptz", "text", "text", "text", "int4", "int4", "timestamptz",
    "timestamptz",
)  # fmt: skip
INTERACTION_COLUMNS = "actor_id, target_id, kind, occurred_at, post_id"

STAGING_TABLES = """
CREATE TEMPORARY TABLE IF NOT EXISTS handle_stage (
    public_id varchar(10), network varchar(16), external_id varchar(100), username varchar(100),
    username_key varchar(100), display_name varchar(200), avatar_url varchar(500),
    profile_url varchar(500), is_private boolean, followers_count integer
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS post_stage (
    handle_id bigint, external_id varchar(100), published_at timestamptz, text text,
    url varchar(500), kind varchar(16), reported_likes integer, reported_shares integer,
    created_at timestamptz, updated_at timestamptz
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS interaction_stage (
    actor_id bigint, target_id bigint, kind smallint, occurred_at timestamptz, post_id bigint
) ON COMMIT DELETE ROWS;
"""


def copy_rows(
    table: str, columns: str, rows: Iterable[Sequence[Any]], types: Sequence[str] = ()
) -> None:
    """COPY the rows into the table's columns: as text, or, given each column's type (as
    psycopg names them), in PostgreSQL's binary format, which the server takes without
    parsing times and numbers (10,000 of the stream's records: 25.9 ms against 30.8)."""
    binary = " WITH (FORMAT binary)" if types else ""
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN{binary}") as copy,
    ):
        if types:
            copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def update_rows(table: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]) -> None:
    """Set `columns` (name → SQL type) of the table's rows, each given as (id, *values),
    through a temporary staging table: one UPDATE, whatever the number of rows. Names
    come from this project's code, never from input."""
    stage = f"{table}_update_stage"
    names = ", ".join(columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {stage} (id bigint, "
            + ", ".join(f"{name} {kind}" for name, kind in columns.items())
            + ") ON COMMIT DROP"
        )
        copy_rows(stage, f"id, {names}", rows)
        cursor.execute(
            f"UPDATE {table} t SET "  # noqa: S608 - see docstring
            + ", ".join(f"{name} = s.{name}" for name in columns)
            + f" FROM {stage} s WHERE t.id = s.id"
        )
        cursor.execute(f"DROP TABLE {stage}")  # the caller's transaction may call again


def delete_unreferenced(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """Delete, of the model's rows with these ids, those no row of any table points at (a
    foreign key, constrained or not), in one statement; the ids deleted. Django's collector
    would ask each related table about each chunk of rows, then delete them chunk by chunk.
    Names come from the models, never from input."""
    qn = connection.ops.quote_name
    unreferenced = " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {qn(table)} r WHERE r.{qn(column)} = t.{qn(target)})"  # noqa: S608
        for table, column, target in _references(model)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {qn(model._meta.db_table)} t WHERE t.id = "  # noqa: S608 - see docstring
            "ANY(ARRAY(SELECT json_array_elements_text(%s::json))::bigint[]) "
            f"AND {unreferenced or 'TRUE'} RETURNING t.id",
            [_texts(str(i) for i in ids)],
        )
        return {row[0] for row in cursor.fetchall()}


def _references(model: type[models.Model]) -> list[tuple[str, str, str]]:
    """(table, column, the model's column it holds) of every foreign key to the model."""
    fields = (
        relation.field
        for relation in model._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
    )
    return [
        (field.model._meta.db_table, field.column, str(field.target_field.column))
        for field in fields
        if isinstance(field, ForeignKey)
    ]


def json_parameter(value: Any) -> str:
    """A query's JSON parameter, as orjson writes it: json's encoder took 2 % of the stream's
    time, for the thousands of keys each batch looks up."""
    return orjson.dumps(value).decode()


def _texts(values: Iterable[str]) -> str:
    """Large id lists travel as one JSON text, unpacked by json_array_elements_text in the
    query: psycopg would adapt a Python list element by element."""
    return json_parameter(list(values))


def _matching(
    table: str,
    column: str,
    values: Iterable[str],
    *also: str,
    network: str,
    condition: str = "TRUE",
) -> list[tuple[Any, ...]]:
    """`column` (and the `also` columns) of the table's rows of `network` whose `column` is
    among `values`. Names and conditions come from this module only, never from input."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join((column, *also))} FROM {table} "  # noqa: S608 - see docstring
            f"WHERE network = %s AND {condition} AND {column} = "
            "ANY(ARRAY(SELECT json_array_elements_text(%s::json)))",
            [network, _texts(values)],
        )
        return cursor.fetchall()


def _stage() -> None:
    """Temporary tables vanish with a rolled-back transaction, so ask every time (cheap)."""
    with connection.cursor() as cursor:
        cursor.execute(STAGING_TABLES)


class PostgresBulk:
    def lock_handles(self) -> None:
        handle_creation_lock()

    def do_not_track(self, network: str, external_ids: set[str]) -> set[str]:
        rows = _matching("scoring_donottrack", "external_id", external_ids, network=network)
        return {external_id for (external_id,) in rows}

    def handle_ids(self, network: str, external_ids: set[str]) -> dict[str, int]:
        return dict(_matching("scoring_handle", "external_id", external_ids, "id", network=network))

    def handle_people(self, network: str, external_ids: set[str]) -> dict[str, tuple[int, int]]:
        rows = _matching(
            "scoring_handle", "external_id", external_ids, "id", "person_id", network=network
        )
        return {external_id: (pk, person) for external_id, pk, person in rows}

    def usernames_taken(self, network: str, keys: list[str]) -> dict[str, str]:
        # The condition lets PostgreSQL use the partial unique index on usernames; without
        # it every look-up compares each handle with every key.
        rows = _matching(
            "scoring_handle",
            "username_key",
            keys,
            "external_id",
            network=network,
            condition="username_key <> ''",
        )
        return dict(rows)

    def insert_handles(
        self, handles: list[HandleRecord], unnamed: list[HandleKey]
    ) -> dict[HandleKey, int]:
        """One person per handle, in one statement from a staging table; the new public id
        pairs each person with its handle. A random public id that someone has already
        (about one in a billion) leaves its handle out, and that handle tries again."""
        rows = [
            (
                r.network,
                r.external_id,
                r.username,
                username_key(r.username),
                r.display_name,
                r.avatar_url,
                r.profile_url,
                r.is_private,
                r.followers_count,
            )
            for r in handles
        ]
        rows += (
            (network, external_id, "", "", "", "", "", False, 0) for network, external_id in unnamed
        )
        rows.sort()  # in key order every index grows at its end, which is several times cheaper
        created: dict[HandleKey, int] = {}
        while rows:
            created |= self._insert_handles(rows)
            rows = [row for row in rows if (row[0], row[1]) not in created]
        return created

    def _insert_handles(self, rows: list[tuple[Any, ...]]) -> dict[HandleKey, int]:
        _stage()
        now = timezone.now()
        public_ids = sorted(fresh_public_ids(len(rows)))
        copy_rows(
            "handle_stage",
            HANDLE_STAGE_COLUMNS,
            ((public_id, *row) for public_id, row in zip(public_ids, rows, strict=True)),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                INSERT_STAGED_HANDLES, {"now": now, "unverified": Verification.UNVERIFIED}
            )
            created = {(network, external_id): id_ for network, external_id, id_ in cursor}
            cursor.execute("TRUNCATE handle_stage")
        return created

    def post_ids(self, keys: list[PostKey]) -> dict[PostKey, int]:
        if not keys:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.handle_id, p.external_id, p.id FROM scoring_post p JOIN "
                "json_to_recordset(%s::json) AS k(h bigint, e text) "
                "ON p.handle_id = k.h AND p.external_id = k.e",
                [json_parameter([{"h": h, "e": e} for h, e in keys])],
            )
            return {(h, e): i for h, e, i in cursor.fetchall()}

    def insert_posts(self, rows: list[tuple[int, PostRecord]]) -> dict[PostKey, int]:
        _stage()
        now = timezone.now()
        copy_rows(
            "post_stage",
            POST_COLUMNS,
            (
                (
                    handle_id,
                    r.external_id,
                    r.published_at,
                    r.text,
                    r.url,
                    r.kind,
                    r.reported_likes,
                    r.reported_shares,
                    now,
                    now,
                )
                for handle_id, r in rows
            ),
            POST_TYPES,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO scoring_post ({POST_COLUMNS}) "  # noqa: S608 - constants only
                f"SELECT {POST_COLUMNS} FROM post_stage "
                "ON CONFLICT (handle_id, external_id) DO NOTHING "
                "RETURNING handle_id, external_id, id"
            )
            created = {(h, e): i for h, e, i in cursor.fetchall()}
            cursor.execute("TRUNCATE post_stage")
        return created

    def insert_post_topics(self, rows: list[tuple[int, int]]) -> None:
        copy_rows("scoring_post_topics", "post_id, topic_id", rows)

    def refresh_statistics(self) -> None:
        """Autovacuum analyses a bulk-loaded table late, and until then the planner takes
        the window's 10 million interactions for thousands (and reads them through an index
        at twice the cost). ANALYZE samples, so it takes seconds whatever the size."""
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE scoring_person, scoring_handle, scoring_post, scoring_post_topics, "
                "scoring_interaction"
            )

    def insert_interactions(self, columns: InteractionColumns) -> int:
        """COPY straight into the table, which holds for new signals; when some were there
        already, the database refuses the whole COPY and the batch goes through a staging
        table and INSERT … ON CONFLICT DO NOTHING instead."""
        payload = binary_copy_payload(columns)
        target = f"scoring_interaction ({INTERACTION_COLUMNS})"
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                _copy_binary(cursor, target, payload)
            return len(columns)
        except UniqueViolation:
            pass
        _stage()
        with connection.cursor() as cursor:
            _copy_binary(cursor, "interaction_stage", payload)
            cursor.execute(
                f"INSERT INTO {target} SELECT * FROM interaction_stage "  # noqa: S608 - constants
                "ON CONFLICT DO NOTHING"
            )
            created = cursor.rowcount
            cursor.execute("TRUNCATE interaction_stage")
        return created


# PostgreSQL's binary COPY: a signature, then per row the field count and each field's
# length and big-endian value. timestamptz is µs since 2000-01-01 UTC.
_BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_BINARY_TRAILER = (-1).to_bytes(2, "big", signed=True)
POSTGRES_EPOCH = date(2000, 1, 1)  # binary COPY counts dates in days from it
POSTGRES_EPOCH_SECONDS = 946_684_800  # … and timestamps in µs from its midnight, UTC
_POSTGRES_EPOCH_MICROS = POSTGRES_EPOCH_SECONDS * 1_000_000
_FIELDS = [("actor", ">i8"), ("target", ">i8"), ("kind", ">i2"), ("at", ">i8"), ("post", ">i8")]


def binary_row_type(fields: Sequence[tuple[str, str]]) -> "np.dtype[Any]":
    """A binary COPY row of these (name, big-endian NumPy type) fields, none of them NULL."""
    parts = [("count", ">i2")]
    for name, kind in fields:
        parts += [(f"{name}_length", ">i4"), (name, kind)]
    return np.dtype(parts)


def _row_type(with_post: bool) -> "np.dtype[Any]":
    if with_post:
        return binary_row_type(_FIELDS)
    # -1 as the post's length means NULL, and no value follows
    return np.dtype([*binary_row_type(_FIELDS[:-1]).descr, ("post_length", ">i4")])


def copy_arrays(table: str, columns: dict[str, "np.ndarray[Any, Any]"]) -> None:
    """COPY equal-length NumPy columns into the table's columns of the same names in one
    binary payload, without a Python object a row. Every value is fixed width and none is
    NULL: integers and floats as such, fixed-length bytes (dtype S) as text, and dates as
    int32 days from POSTGRES_EPOCH."""
    fields = [
        (name, array.dtype if array.dtype.kind == "S" else array.dtype.newbyteorder(">"))
        for name, array in columns.items()
    ]
    row = binary_row_type([(name, kind.str) for name, kind in fields])
    rows = np.zeros(len(next(iter(columns.values()))), dtype=row)
    rows["count"] = len(columns)
    for name, array in columns.items():
        rows[f"{name}_length"] = rows.dtype[name].itemsize
        rows[name] = array
    payload = _BINARY_HEADER + rows.tobytes() + _BINARY_TRAILER
    with connection.cursor() as cursor:
        _copy_binary(cursor, f"{table} ({', '.join(columns)})", payload)


# SQL type → the function that sends a value in binary, and the NumPy type that reads it back
_SENT = {
    "bigint": ("int8send", ">i8"),
    "integer": ("int4send", ">i4"),
    "smallint": ("int2send", ">i2"),
    "double precision": ("float8send", ">f8"),
    "boolean": ("boolsend", "?"),
    "timestamptz": ("timestamptz_send", ">i8"),  # µs from POSTGRES_EPOCH's midnight, UTC
}


def read_packed(
    source: str, params: Sequence[Any], fields: Sequence[tuple[str, str, str]], spread: str
) -> Any:
    """The rows of `source` (a FROM … WHERE … clause) as a NumPy record array of `fields`,
    each (name, SQL expression, SQL type of _SENT), in no particular order. The server packs
    the rows into 64 large binary strings, by the integer expression `spread`: libpq hands
    COPY data over a row at a time, which costs more than the query itself for ten million
    rows. Names and expressions come from this project's code, never from input."""
    packed = " || ".join(
        f"{_SENT[kind][0]}(({expression})::{kind})" for _, expression, kind in fields
    )
    query = f"SELECT string_agg({packed}, ''::bytea) {source} GROUP BY ({spread}) %% 64"
    row_type = np.dtype([(name, _SENT[kind][1]) for name, _, kind in fields])
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        # A string at a time (libpq's single-row mode), each read where it lies, so that the
        # rows are held twice at most (the strings, then the array), not four times.
        parts = [
            np.frombuffer(row[0], dtype=row_type)
            for row in cursor.stream(query, params, binary=True)
        ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=row_type)


def binary_copy_payload(columns: InteractionColumns) -> bytes:
    chunks = [_BINARY_HEADER]
    has_post = columns.posts != 0
    for with_post in (False, True):
        chosen = has_post if with_post else ~has_post
        rows = np.zeros(int(chosen.sum()), dtype=_row_type(with_post))
        rows["count"] = 5
        for name, kind in _FIELDS[:-1]:
            rows[f"{name}_length"] = np.dtype(kind).itemsize
        rows["actor"] = columns.actors[chosen]
        rows["target"] = columns.targets[chosen]
        rows["kind"] = columns.kinds[chosen]
        rows["at"] = columns.micros[chosen] - _POSTGRES_EPOCH_MICROS
        if with_post:
            rows["post_length"] = 8
            rows["post"] = columns.posts[chosen]
        else:
            rows["post_length"] = -1  # NULL
        chunks.append(rows.tobytes())
    chunks.append(_BINARY_TRAILER)
    return b"".join(chunks)


def _copy_binary(cursor: Any, table: str, payload: bytes) -> None:
    with cursor.cursor.copy(f"COPY {table} FROM STDIN WITH (FORMAT binary)") as copy:
        copy.write(payload)
