"""`python -m assistant users …` and `python -m assistant worker`: accounts and the indexing worker."""
from __future__ import annotations

import getpass
import sys

from indexer.settings import Settings

from .db import ROLES, open_database


def add_parsers(sub) -> None:
    users = sub.add_parser("users", help="accounts and API keys (the key is printed once, as the last line)")
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an account; prints its API key as the last line")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read an app login password from stdin")
    actions.add_parser("list", help="accounts with role and state (never keys)")
    disable = actions.add_parser("disable", help="disable an account; its key stops working at once")
    disable.add_argument("name")
    rotate = actions.add_parser("rotate-key", help="a new API key (last line); the old one stops working")
    rotate.add_argument("name")
    password = actions.add_parser("set-password", help="set the app login password (prompted or from stdin)")
    password.add_argument("name")
    worker = sub.add_parser("worker", help="run indexing jobs from the job table (started by make run)")
    worker.add_argument("--once", action="store_true", help="run the queued jobs, then exit")
    worker.add_argument("--enqueue-if-stale", action="store_true",
                        help="queue a build first when the index is missing or out of date")
    worker.add_argument("--poll", type=float, default=1.0, help="seconds between looks at the queue")


def run(settings: Settings, args) -> int:
    if args.command == "worker":
        from .worker import run_worker

        run_worker(settings, once=args.once, poll=args.poll, enqueue_if_stale=args.enqueue_if_stale)
        return 0
    return _users(settings, args)


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("error: the passwords differ")
    return first


def _users(settings: Settings, args) -> int:
    from .accounts import Accounts
    from .audit import AuditLog

    accounts = Accounts(open_database(settings.database_url))
    audit = AuditLog(accounts.engine)
    if args.action == "add":
        password = _read_password(True) if args.password_stdin else None
        user, key = accounts.add(args.name, args.role, password)
        audit.record("cli", "user_add", f"{user.name} ({user.role})")
        print(f"account {user.name} created with role {user.role}"
              f"{' and an app password' if password else ''}; its API key, shown only now:")
        print(key)
    elif args.action == "list":
        for user in accounts.list():
            state = "disabled" if user.disabled else "active"
            print(f"{user.name}\t{user.role}\t{state}\t{'password' if user.has_password else 'key only'}")
    elif args.action == "disable":
        accounts.disable(args.name)
        audit.record("cli", "user_disable", args.name)
        print(f"account {args.name} disabled; its API key no longer works")
    elif args.action == "rotate-key":
        key = accounts.rotate_key(args.name)
        audit.record("cli", "user_rotate_key", args.name)
        print(f"new API key for {args.name} (the old one no longer works), shown only now:")
        print(key)
    elif args.action == "set-password":
        accounts.set_password(args.name, _read_password(False))
        audit.record("cli", "user_set_password", args.name)
        print(f"password set for {args.name}")
    return 0
