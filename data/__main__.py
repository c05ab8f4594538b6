"""The admin command line: `python -m data <command>`; `--help` on each command."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import date

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from data import models
from data.codes import DEMO_SCALES
from data.db import (
    DatabaseUnavailable,
    check_connection,
    current_revision,
    describe_url,
    make_engine,
    upgrade_schema,
)
from data.queries.common import count_rows
from data.settings import get_settings
from data.writes import WriteError
from i18n import LANGUAGES, describe_error, set_language


def _anchor_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (expected YYYY-MM-DD, e.g. 2021-06-10)"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="python -m data",
        description="Admin commands of the epidemic-control command center. The database is "
        "chosen by DATABASE_URL (default: an SQLite file under var/).",
    )
    parser.add_argument(
        "--database-url", help="use this database instead of DATABASE_URL for this command"
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="zh" if os.environ.get("LANG", "").startswith("zh") else "en",
        help="language of messages (default: from LANG, else en)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser(
        "init",
        help="create or upgrade the schema and load the districts",
        description="Create the schema (or upgrade it to the newest migration) and load the "
        "11 districts with their boundaries. Safe to run again.",
    )

    seed = commands.add_parser(
        "seed",
        help="load the simulated demo scenario",
        description="Load the simulated outbreak scenario (May-June 2021 shape). Refuses a "
        "database that already holds data unless --replace is given.",
    )
    seed.add_argument(
        "--scale",
        choices=DEMO_SCALES,
        default="demo",
        help="demo (default, a few seconds) or city (benchmark size: 2 million reports)",
    )
    seed.add_argument(
        "--anchor-date",
        type=_anchor_date,
        help="last day of the scenario (default: today); 2021-06-10 replays the original dates",
    )
    seed.add_argument("--seed", type=int, default=20210521, help="random seed (default 20210521)")
    seed.add_argument("--replace", action="store_true", help="delete all operational data first")

    commands.add_parser(
        "rebuild-state",
        help="recompute current-state and rollup tables from history",
        description="Recompute every current-state and rollup table from the report history "
        "(after a bulk load by hand, or to repair).",
    )
    commands.add_parser(
        "status",
        help="show the schema revision, change counter and row counts",
        description="Show the database, its migration revision, change counter and row counts.",
    )
    return parser


def _init(engine) -> int:  # noqa: ANN001
    upgrade_schema(engine)
    print(f"schema ready at revision {current_revision(engine)} on {describe_url(engine)}")
    return 0


def _seed(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from data.demo import seed_demo
    from data.queries.common import has_any_data

    upgrade_schema(engine)
    with Session(engine) as session:
        if has_any_data(session=session) and not args.replace:
            print(
                "error: the database already holds data; use --replace to delete it and "
                "load the demo scenario",
                file=sys.stderr,
            )
            return 1
    started = time.perf_counter()
    summary = seed_demo(
        engine,
        scale=args.scale,
        anchor_date=args.anchor_date,
        seed=args.seed,
        replace=args.replace,
    )
    elapsed = time.perf_counter() - started
    print(f"seeded the {args.scale} scenario in {elapsed:.1f} s:")
    for table, count in summary.items():
        print(f"  {table:<24} {count:>12,}")
    return 0


def _rebuild(engine) -> int:  # noqa: ANN001
    from data.writes import SYSTEM, rebuild_state

    with Session(engine) as session:
        rebuild_state(session, actor=SYSTEM)
    print("current-state and rollup tables rebuilt from history")
    return 0


def _status(engine) -> int:  # noqa: ANN001
    print(f"database: {describe_url(engine)}")
    revision = current_revision(engine)
    print(f"revision: {revision or 'none (run: python -m data init)'}")
    if revision is None:
        return 0
    with Session(engine) as session:
        counter = session.get(models.ChangeCounter, 1)
        print(f"change counter: {counter.value if counter else 0}")
        for table, count in sorted(count_rows(session=session).items()):
            print(f"  {table:<24} {count:>12,}")
    return 0


def _in_language(lang: str, function, *args) -> str:  # noqa: ANN001
    set_language(lang)
    return function(*args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        url = args.database_url or get_settings().database_url
    except ValueError as error:
        print(f"error: bad setting: {error}", file=sys.stderr)
        return 2
    try:
        engine = make_engine(url)
        check_connection(engine)
        if args.command == "init":
            return _init(engine)
        if args.command == "seed":
            return _seed(engine, args)
        if args.command == "rebuild-state":
            return _rebuild(engine)
        return _status(engine)
    except DatabaseUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except WriteError as error:
        print(f"error: {_in_language(args.lang, describe_error, error)}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a user sees a message, never a traceback
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
