"""The history database's schema, as named steps applied in order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One named schema step; its statements run in one transaction."""

    name: str
    statements: tuple[str, ...]


# Append only: a step that has shipped is never edited, the next version adds a step.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "create sessions and their exercises",
        (
            """CREATE TABLE sessions (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                ended_at TEXT NOT NULL,
                status TEXT NOT NULL
                    CHECK (status IN ('completed', 'stopped', 'interrupted')),
                title TEXT NOT NULL,
                routine_id TEXT,
                generation TEXT,
                planned_seconds INTEGER NOT NULL,
                check_in_before INTEGER CHECK (check_in_before BETWEEN 0 AND 10),
                check_in_after INTEGER CHECK (check_in_after BETWEEN 0 AND 10)
            )""",
            """CREATE TABLE session_exercises (
                session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                exercise_id TEXT NOT NULL,
                name TEXT NOT NULL,
                targets TEXT NOT NULL,
                done INTEGER NOT NULL CHECK (done IN (0, 1)),
                active_seconds REAL NOT NULL,
                PRIMARY KEY (session_id, position)
            )""",
        ),
    ),
    Migration(
        "index sessions by start time",
        ("CREATE INDEX sessions_started_at ON sessions (started_at)",),
    ),
    Migration(
        "keep each session's active seconds for fast stats",
        (
            "ALTER TABLE sessions ADD COLUMN active_seconds REAL NOT NULL DEFAULT 0",
            """UPDATE sessions SET active_seconds = (
                SELECT COALESCE(SUM(e.active_seconds), 0)
                FROM session_exercises AS e WHERE e.session_id = sessions.id
            )""",
        ),
    ),
    # Covering indexes: stats reads only these columns, so it scans two narrow indexes
    # instead of both tables (100,000 sessions: 0.5 s -> well under).
    Migration(
        "cover the stats queries with indexes",
        (
            "DROP INDEX sessions_started_at",
            "CREATE INDEX sessions_started_at_active ON sessions (started_at, active_seconds)",
            "CREATE INDEX session_exercises_targets ON session_exercises (targets, active_seconds)",
        ),
    ),
    # SQLite cannot change a CHECK constraint in place, so both tables are rebuilt: children
    # first dropped and copied, so the foreign key's ON DELETE CASCADE never fires.
    Migration(
        "give each session a stable id, a count of exercises done, and a skipped status",
        (
            """CREATE TABLE sessions_v5 (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL UNIQUE,
                started_at TEXT NOT NULL,
                ended_at TEXT NOT NULL,
                status TEXT NOT NULL
                    CHECK (status IN ('completed', 'stopped', 'interrupted', 'skipped')),
                title TEXT NOT NULL,
                routine_id TEXT,
                generation TEXT,
                planned_seconds INTEGER NOT NULL,
                check_in_before INTEGER CHECK (check_in_before BETWEEN 0 AND 10),
                check_in_after INTEGER CHECK (check_in_after BETWEEN 0 AND 10),
                active_seconds REAL NOT NULL DEFAULT 0,
                exercises_done INTEGER NOT NULL DEFAULT 0
            )""",
            """CREATE TABLE session_exercises_v5 (
                session_id INTEGER NOT NULL REFERENCES sessions_v5 (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                exercise_id TEXT NOT NULL,
                name TEXT NOT NULL,
                targets TEXT NOT NULL,
                done INTEGER NOT NULL CHECK (done IN (0, 1)),
                active_seconds REAL NOT NULL,
                PRIMARY KEY (session_id, position)
            )""",
            # Old sessions get a random id (lower-case hex, like uuid4().hex); one that ran
            # to its end with nothing done was never "completed".
            """INSERT INTO sessions_v5 SELECT id, lower(hex(randomblob(16))), started_at,
                ended_at, status, title, routine_id, generation, planned_seconds,
                check_in_before, check_in_after, active_seconds,
                (SELECT COALESCE(SUM(e.done), 0) FROM session_exercises AS e
                 WHERE e.session_id = sessions.id)
                FROM sessions""",
            "UPDATE sessions_v5 SET status = 'skipped'"
            " WHERE status = 'completed' AND exercises_done = 0",
            "INSERT INTO session_exercises_v5 SELECT * FROM session_exercises",
            "DROP TABLE session_exercises",
            "DROP TABLE sessions",
            "ALTER TABLE sessions_v5 RENAME TO sessions",
            "ALTER TABLE session_exercises_v5 RENAME TO session_exercises",
            "CREATE INDEX sessions_started_at_active"
            " ON sessions (started_at, active_seconds, exercises_done)",
            "CREATE INDEX session_exercises_targets ON session_exercises (targets, active_seconds)",
        ),
    ),
    # stats read the session count and the check-in sums from one row instead of scanning
    # every session (100,000 sessions: 40 ms); triggers keep the row right on every insert,
    # deletion and check-in answered later. Both check-ins or neither count, as in stats.
    Migration(
        "keep the session count and check-in sums in one row",
        (
            """CREATE TABLE session_totals (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                sessions INTEGER NOT NULL,
                tension_count INTEGER NOT NULL,
                tension_total INTEGER NOT NULL
            )""",
            """INSERT INTO session_totals SELECT 1, COUNT(*),
                COUNT(check_in_after - check_in_before),
                COALESCE(SUM(check_in_after - check_in_before), 0) FROM sessions""",
            """CREATE TRIGGER session_totals_insert AFTER INSERT ON sessions BEGIN
                UPDATE session_totals SET sessions = sessions + 1,
                    tension_count = tension_count
                        + (NEW.check_in_after - NEW.check_in_before IS NOT NULL),
                    tension_total = tension_total
                        + COALESCE(NEW.check_in_after - NEW.check_in_before, 0);
            END""",
            """CREATE TRIGGER session_totals_delete AFTER DELETE ON sessions BEGIN
                UPDATE session_totals SET sessions = sessions - 1,
                    tension_count = tension_count
                        - (OLD.check_in_after - OLD.check_in_before IS NOT NULL),
                    tension_total = tension_total
                        - COALESCE(OLD.check_in_after - OLD.check_in_before, 0);
            END""",
            """CREATE TRIGGER session_totals_check_in
                AFTER UPDATE OF check_in_before, check_in_after ON sessions BEGIN
                UPDATE session_totals SET
                    tension_count = tension_count
                        - (OLD.check_in_after - OLD.check_in_before IS NOT NULL)
                        + (NEW.check_in_after - NEW.check_in_before IS NOT NULL),
                    tension_total = tension_total
                        - COALESCE(OLD.check_in_after - OLD.check_in_before, 0)
                        + COALESCE(NEW.check_in_after - NEW.check_in_before, 0);
            END""",
        ),
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
