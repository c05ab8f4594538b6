"""The admin command line: `python -m data <command>`; `--help` on each command."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence
from datetime import date

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from data import models
from data.codes import DEMO_SCALES, USER_ROLES
from data.db import (
    DatabaseProblem,
    current_revision,
    describe_url,
    make_engine,
    schema_lock,
    upgrade_schema,
    verify_database,
)
from data.queries.common import count_rows
from data.security import MIN_PASSWORD_LENGTH
from data.settings import get_settings
from data.transfer import UnreadableFile
from data.writes import WriteError
from data.writes.users import password_problem
from i18n import (
    LANGUAGES,
    describe_database_problem,
    describe_error,
    describe_problem,
    describe_settings_error,
    set_language,
    t,
)


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
    simulate = commands.add_parser(
        "simulate",
        help="keep the demo moving: new reports every few seconds (demo data only)",
        description="Write new testing-site, hotel and stock reports, and now and then a "
        "case, through the write side every INTERVAL seconds, in the simulated scenario's "
        "shape, so that live screens can be shown and tested. Refuses a database that does "
        "not hold the simulated demo. Ctrl-C stops it.",
    )
    simulate.add_argument(
        "--interval",
        type=_positive_seconds,
        default=5.0,
        help="seconds between ticks (default 5)",
    )
    simulate.add_argument(
        "--ticks", type=int, default=0, help="stop after this many ticks (default: run on)"
    )
    simulate.add_argument("--seed", type=int, default=None, help="random seed (repeatable runs)")
    commands.add_parser(
        "status",
        help="show the schema revision, change counter and row counts",
        description="Show the database, its migration revision, change counter and row counts.",
    )
    backup = commands.add_parser(
        "backup",
        help="copy the database to a file while the app runs",
        description="Take a consistent copy of the database while the app keeps running: "
        "SQLite's online backup API into a new SQLite file, or pg_dump (custom format) for "
        "PostgreSQL. The file must not exist yet.",
    )
    backup.add_argument("file", help="the backup file to write")
    restore = commands.add_parser(
        "restore",
        help="put a backup back (replaces every row of the database)",
        description="Replace the database's contents with a backup made by `backup`, in one "
        "transaction, then upgrade it to this version's schema. Open pages show the restored "
        "figures at their next refresh.",
    )
    restore.add_argument("file", help="the backup file to read")
    _users_parser(commands)
    _transfer_parsers(commands)
    _briefing_parser(commands)
    return parser


def _transfer_parsers(commands) -> None:  # noqa: ANN001 - argparse's private subparsers type
    from data.transfer import FORMATS, KINDS

    kinds = ", ".join(KINDS)
    importer = commands.add_parser(
        "import",
        help="import a CSV or Excel file of reports, cases or zones",
        description=f"Import a CSV (UTF-8, with or without BOM, or GBK/GB18030) or .xlsx "
        f"file as a user: the whole file is checked first, and nothing is written if any "
        f"row is refused (each is listed with its row and column). Rows are matched to "
        f"stored records by their natural keys, so importing a file twice changes nothing. "
        f"Kinds: {kinds}.",
    )
    importer.add_argument("kind", choices=list(KINDS), metavar="KIND", help=f"one of: {kinds}")
    importer.add_argument("file", help="the .csv or .xlsx file")
    importer.add_argument(
        "--user", required=True, help="the account the import is made as (its role and scope)"
    )
    for name, text in (
        ("export", "write the current records of a kind in the import format"),
        ("template", "write an empty template (both-language headers, one example row)"),
    ):
        command = commands.add_parser(
            name, help=text, description=text[:1].upper() + text[1:] + f". Kinds: {kinds}."
        )
        command.add_argument("kind", choices=list(KINDS), metavar="KIND", help=f"one of: {kinds}")
        command.add_argument(
            "--format", choices=FORMATS, default="csv", help="csv (default) or xlsx"
        )
        command.add_argument(
            "--output", "-o", help="the file to write (default: standard output for csv)"
        )


_PASSWORD_INPUT = (
    "The password is prompted for twice on a terminal, or read from the first line of "
    "standard input (e.g. a pipe) when that is not a terminal."
)


def _briefing_parser(commands) -> None:  # noqa: ANN001 - argparse's private subparsers type
    briefing = commands.add_parser(
        "briefing",
        help="write the daily briefing for a cut-off (Markdown or PDF); --issue freezes it",
        description="Write the daily briefing: the local cases of the last whole day before "
        "the cut-off, by district, and testing, hotels, supplies and audits at the cut-off. "
        "A briefing already issued for the cut-off is written as issued. --issue stores it "
        "(figures and text in both languages) as issued by --user, a leadership or admin "
        "account: later reports no longer change it.",
    )
    briefing.add_argument(
        "--cutoff", required=True, help='the cut-off, local time: "YYYY-MM-DD HH:MM"'
    )
    briefing.add_argument(
        "--lang",
        dest="briefing_lang",
        choices=LANGUAGES,
        help="language of the briefing (default: that of the messages)",
    )
    briefing.add_argument(
        "--format", choices=("md", "pdf"), default="md", help="md (default) or pdf"
    )
    briefing.add_argument("--output", help="the file to write (default: standard output; md only)")
    briefing.add_argument("--issue", action="store_true", help="issue (freeze) the briefing")
    briefing.add_argument("--user", help="the account that issues it (with --issue)")


def _users_parser(commands) -> None:  # noqa: ANN001 - argparse's private subparsers type
    users = commands.add_parser(
        "users",
        help="add, list, disable or enable accounts; reset passwords; wall-screen tokens",
        description="Accounts that sign in to the dashboard, and read-only tokens for wall "
        "screens. The command line acts as the system administrator (create the first admin "
        "here).",
    )
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add an account",
        description=f"Add an account. {_PASSWORD_INPUT} A duty officer needs at least one "
        f"--district or --facility; passwords have at least {MIN_PASSWORD_LENGTH} characters.",
    )
    add.add_argument("name", help="user name: 3-40 letters, digits or . _ - (case-insensitive)")
    add.add_argument("--role", required=True, choices=USER_ROLES, help="the account's role")
    add.add_argument(
        "--district",
        action="append",
        default=[],
        metavar="CODE",
        help="a district a duty officer looks after, e.g. 440103 (Liwan); repeat for more",
    )
    add.add_argument(
        "--facility",
        action="append",
        default=[],
        metavar="CODE",
        help="a facility (by code) a duty officer looks after; repeat for more",
    )
    add.add_argument("--display-name", help="the name shown (default: the user name)")
    actions.add_parser(
        "list", help="list the accounts", description="List every account with its scope."
    )
    for action, text in (
        ("disable", "disable an account: it cannot sign in, and its sessions end at once"),
        ("enable", "let a disabled account sign in again"),
    ):
        command = actions.add_parser(action, help=text, description=text[:1].upper() + text[1:])
        command.add_argument("name", help="user name")
    reset = actions.add_parser(
        "reset-password",
        help="set a new password (the account's sessions end)",
        description=f"Set a new password; the account's sessions end. {_PASSWORD_INPUT}",
    )
    reset.add_argument("name", help="user name")
    screen = actions.add_parser(
        "screen-token",
        help="issue, revoke or list read-only wall-screen tokens",
        description="Read-only tokens for wall screens: a token is printed once, when issued.",
    )
    tokens = screen.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    issue = tokens.add_parser(
        "issue",
        help="issue a token for a screen (printed once)",
        description="Issue a token for the named screen and print it (the only time it is "
        "shown; the database keeps only its hash). A revoked name can be issued again.",
    )
    issue.add_argument("name", help="the screen's name, e.g. hall-1")
    revoke = tokens.add_parser(
        "revoke", help="revoke a screen's token", description="Revoke a screen's token at once."
    )
    revoke.add_argument("name", help="the screen's name")
    tokens.add_parser("list", help="list the screen tokens", description="List every screen token.")


def _init(engine) -> int:  # noqa: ANN001
    upgrade_schema(engine)
    print(f"schema ready at revision {current_revision(engine)} on {describe_url(engine)}")
    return 0


def _seed(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from data.demo import seed_demo
    from data.queries.common import has_any_data

    upgrade_schema(engine)
    # Under the schema lock: a second seed (or an app server's first start) waits, then
    # finds the data.
    with schema_lock(engine):
        with Session(engine) as session:
            if has_any_data(session=session) and not args.replace:
                print(f"error: {t('seed.has_data')}", file=sys.stderr)
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
    _print_demo_accounts(engine)
    return 0


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.2 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"not a number of seconds from 0.2 to 3600: {text!r}")
    return value


def _simulate(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    import random

    from data.demo.simulate import NotSimulated, simulate_tick

    upgrade_schema(engine)
    rng = random.Random(args.seed)
    done = 0
    try:
        while not args.ticks or done < args.ticks:
            with Session(engine) as session:
                try:
                    tick = simulate_tick(session, rng=rng, number=done + 1)
                except NotSimulated:
                    print(f"error: {t('simulate.not_demo')}", file=sys.stderr)
                    return 1
            done += 1
            print(
                t(
                    "simulate.tick",
                    sites=tick.site_reports,
                    hotels=tick.hotel_reports,
                    stock=tick.stock_reports,
                    cases=tick.cases,
                ),
                flush=True,
            )
            if not args.ticks or done < args.ticks:
                time.sleep(args.interval)
    except KeyboardInterrupt:  # Ctrl-C between or during ticks: a tick is all or nothing
        print(t("simulate.stopped", ticks=done))
    return 0


def _print_demo_accounts(engine) -> None:  # noqa: ANN001
    from data.accounts import demo_accounts

    with Session(engine) as session:
        listed = demo_accounts(session) or []
    if listed:
        print("demo accounts (shown on the sign-in page while the data is the demo):")
        for account in listed:
            scope = account["scope"] or "whole city"
            print(
                f"  {account['username']:<14} {account['password']:<14} "
                f"{account['role']:<13} {scope}"
            )


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


class BadInput(Exception):
    """The command's input is unusable (a password that cannot be read or is refused)."""


def _read_password(lang: str) -> str:
    """The new password: asked twice on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        password = getpass.getpass("new password: ")
        if getpass.getpass("the same again: ") != password:
            raise BadInput("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise BadInput("no password on standard input (its first line is the password)")
    problem = password_problem(password)
    if problem is not None:
        raise BadInput(_in_language(lang, describe_problem, problem))
    return password


def _when(moment) -> str:  # noqa: ANN001
    from data.timeutil import format_local

    return format_local(moment) if moment is not None else "-"


def _users(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from data import accounts, writes

    action = args.users_command
    password = _read_password(args.lang) if action in ("add", "reset-password") else None
    upgrade_schema(engine)
    with Session(engine) as session:
        if action == "add":
            user = writes.create_user(
                session,
                actor=writes.SYSTEM,
                username=args.name,
                role=args.role,
                password=password,
                display_name=args.display_name,
                district_codes=args.district,
                facility_codes=args.facility,
            )
            print(f"user {user.username} added ({user.role})")
        elif action == "list":
            _print_users(accounts.list_users(session))
        elif action in ("disable", "enable"):
            change = writes.disable_user if action == "disable" else writes.enable_user
            user = change(session, actor=writes.SYSTEM, username=args.name)
            print(f"user {user.username} {action}d")
        elif action == "reset-password":
            user = writes.reset_password(
                session, actor=writes.SYSTEM, username=args.name, password=password
            )
            print(f"password of {user.username} reset; their sessions have ended")
        elif args.token_command == "issue":
            token = accounts.issue_screen_token(session, actor=writes.SYSTEM, name=args.name)
            print(f"screen token for {args.name.strip()} (shown this once):", file=sys.stderr)
            print(token)
        elif args.token_command == "revoke":
            accounts.revoke_screen_token(session, actor=writes.SYSTEM, name=args.name)
            print(f"screen token {args.name.strip()} revoked")
        else:
            _print_tokens(accounts.list_screen_tokens(session))
    return 0


def _print_users(users: list[dict]) -> None:
    if not users:
        print("no accounts (add one: python -m data users add NAME --role admin)")
        return
    print(f"{'user':<24} {'role':<13} {'active':<7} {'scope':<30} {'last seen':<17} name")
    for user in users:
        scope = ",".join([*user["districts"], *user["facilities"]]) or "city"
        active = "yes" if user["is_active"] else "no"
        print(
            f"{user['username']:<24} {user['role']:<13} {active:<7} {scope:<30} "
            f"{_when(user['last_seen_at']):<17} {user['display_name']}"
        )


def _print_tokens(tokens: list[dict]) -> None:
    if not tokens:
        print("no screen tokens (issue one: python -m data users screen-token issue NAME)")
        return
    print(f"{'screen':<24} {'active':<7} {'issued':<17} {'by':<16} {'last seen':<17} revoked")
    for token in tokens:
        active = "yes" if token["active"] else "no"
        print(
            f"{token['name']:<24} {active:<7} {_when(token['created_at']):<17} "
            f"{token['created_by']:<16} {_when(token['last_seen_at']):<17} "
            f"{_when(token['revoked_at'])}"
        )


def _import(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from data.accounts import actor_named
    from data.transfer import import_file

    try:
        stream = open(args.file, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise BadInput(f"cannot open {args.file}: {error.strerror}") from None
    upgrade_schema(engine)
    progress = _ProgressBar(sys.stderr)
    with stream, Session(engine) as session:
        actor = actor_named(session, args.user)
        try:
            result = import_file(
                session,
                actor=actor,
                kind=args.kind,
                stream=stream,
                filename=os.path.basename(args.file),
                progress=progress,
            )
        except WriteError as error:
            progress.close()
            set_language(args.lang)
            print(t("import.refused", count=len(error.problems)), file=sys.stderr)
            print(describe_error(error, limit=len(error.problems)), file=sys.stderr)
            return 1
        finally:
            progress.close()
    set_language(args.lang)
    print(
        t(
            "import.done",
            kind=t(f"transfer.kind.{args.kind}"),
            rows=result.rows,
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )
    return 0


class _ProgressBar:
    """A one-line progress bar on a terminal (nothing when standard error is a pipe)."""

    def __init__(self, out) -> None:  # noqa: ANN001
        self.out = out
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        if not self.out.isatty() or time.monotonic() - self.last < 0.2:
            return
        self.last = time.monotonic()
        if total:
            share = min(done / total, 1.0)
            bar = "#" * int(share * 30)
            self.out.write(f"\r[{bar:<30}] {done:>10,} / {total:,} rows")
        else:
            self.out.write(f"\r{done:>10,} rows")
        self.out.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.out.write("\n")
            self.out.flush()


def _export(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from data.transfer import export_kind, template_bytes

    if args.output is None and args.format == "xlsx":
        raise BadInput("an xlsx file needs --output FILE")
    upgrade_schema(engine)
    with Session(engine) as session:
        if args.output is None:
            out = sys.stdout.buffer
        else:
            try:
                out = open(args.output, "wb")  # noqa: SIM115 - closed below
            except OSError as error:
                raise BadInput(f"cannot write {args.output}: {error.strerror}") from None
        try:
            if args.command == "template":
                out.write(template_bytes(session, args.kind, args.format, args.lang))
                count = None
            else:
                count = export_kind(session, args.kind, out, args.format, args.lang)
            out.flush()
        finally:
            if out is not sys.stdout.buffer:
                out.close()
    if args.output is not None:
        what = "template" if count is None else f"{count:,} records"
        print(f"wrote {what} to {args.output}", file=sys.stderr)
    return 0


def _cutoff(text: str):  # noqa: ANN202 - a UTC datetime
    from datetime import datetime

    from data.timeutil import to_utc

    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise BadInput(t("briefing.cli.bad_cutoff", value=text)) from None
    return to_utc(moment)


def _briefing(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    import logging

    # The briefing's components cache their charts for the app's pages; on the command line
    # there is no app to cache for, which is no warning a user should read. (A filter: the
    # logger's level is set again when Streamlit's caching module is imported.)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").addFilter(
        lambda record: "No runtime found" not in record.getMessage()
    )
    from components.briefing import compose, issued_footer, with_footer
    from components.briefing_pdf import FontMissing, briefing_pdf
    from data.accounts import actor_named
    from data.briefing import compute_figures
    from data.queries.briefings import find_issued_briefing
    from data.writes import issue_briefing
    from i18n import language

    cutoff = _cutoff(args.cutoff)
    lang = args.briefing_lang or args.lang
    if args.format == "pdf" and args.output is None:
        raise BadInput(t("briefing.cli.pdf_needs_output"))
    if args.issue and not args.user:
        raise BadInput(t("briefing.cli.issue_needs_user"))
    upgrade_schema(engine)
    with Session(engine) as session:
        if args.issue:
            actor = actor_named(session, args.user)
            figures = compute_figures(session, cutoff=cutoff)
            texts = compose(figures)
            record = issue_briefing(
                session, actor=actor, figures=figures, text_zh=texts["zh"], text_en=texts["en"]
            )
            print(t("briefing.cli.issued", cutoff=args.cutoff, id=record.id), file=sys.stderr)
        issued = find_issued_briefing(session=session, cutoff=cutoff)
        if issued is not None:
            if not args.issue:
                print(t("briefing.cli.as_issued", cutoff=args.cutoff), file=sys.stderr)
            figures, text = issued.figures, issued.text(lang)
            with language(lang):
                footer = issued_footer(issued.issued_by, issued.issued_at)
        else:
            figures = compute_figures(session, cutoff=cutoff)
            text, footer = compose(figures)[lang], None
    with language(lang):
        try:
            content = (
                briefing_pdf(text, figures, footer=footer)
                if args.format == "pdf"
                else with_footer(text, footer).encode()
            )
        except FontMissing:
            raise BadInput(t("briefing.font_missing")) from None
    if args.output is None:
        sys.stdout.write(content.decode())
        sys.stdout.flush()
        return 0
    try:
        with open(args.output, "wb") as out:
            out.write(content)
    except OSError as error:
        raise BadInput(f"cannot write {args.output}: {error.strerror}") from None
    print(t("briefing.cli.wrote", file=args.output), file=sys.stderr)
    return 0


def _backup(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path

    from data.backup import backup

    result = backup(engine, Path(args.file))
    size = f"{result.size / 1e6:,.1f} MB"
    print(t("backup.done", url=describe_url(engine), file=result.file, size=size))
    return 0


def _restore(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path

    from data.backup import restore

    revision = restore(engine, Path(args.file))
    print(t("backup.restored", url=describe_url(engine), file=args.file, revision=revision))
    return 0


def _in_language(lang: str, function, *args) -> str:  # noqa: ANN001
    set_language(lang)
    return function(*args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code.

    0 done; 1 refused (a write the write side refuses, data already there); 2 unusable
    input, settings or database (a bad argument or setting, a database that cannot be
    reached, is damaged or is newer than this version). Never a traceback, never a password.
    """
    args = build_parser().parse_args(argv)
    set_language(args.lang)
    if args.database_url:  # checked like DATABASE_URL itself
        os.environ["DATABASE_URL"] = args.database_url
    get_settings.cache_clear()
    try:
        url = get_settings().database_url
    except ValidationError as error:
        print(f"error: {describe_settings_error(error)}", file=sys.stderr)
        return 2
    try:
        engine = make_engine(url)
        if args.command != "restore":  # a damaged file is what a restore repairs
            verify_database(engine)
        if args.command == "init":
            return _init(engine)
        if args.command == "seed":
            return _seed(engine, args)
        if args.command == "rebuild-state":
            return _rebuild(engine)
        if args.command == "users":
            return _users(engine, args)
        if args.command == "import":
            return _import(engine, args)
        if args.command in ("export", "template"):
            return _export(engine, args)
        if args.command == "simulate":
            return _simulate(engine, args)
        if args.command == "backup":
            return _backup(engine, args)
        if args.command == "briefing":
            return _briefing(engine, args)
        if args.command == "restore":
            return _restore(engine, args)
        return _status(engine)
    except DatabaseProblem as error:
        print(
            f"error: {_in_language(args.lang, describe_database_problem, error)}", file=sys.stderr
        )
        return 2
    except BadInput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except UnreadableFile as error:
        print(f"error: {_in_language(args.lang, describe_problem, error.problem)}", file=sys.stderr)
        return 2
    except WriteError as error:
        print(f"error: {_in_language(args.lang, describe_error, error)}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        # The database's reason, one line: never the statement (it may hold whole rows).
        reason = str(getattr(error, "orig", None) or type(error).__name__).strip()
        print(
            f"error: {reason.splitlines()[0] if reason else type(error).__name__}", file=sys.stderr
        )
        return 1
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a user sees a message, never a traceback
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
