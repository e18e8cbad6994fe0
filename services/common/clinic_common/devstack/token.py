"""`make token`: print a bearer token signed with the configured JWT_SECRET (the dev secret in development).

    python -m clinic_common.devstack.token [--role staff|admin|clinician] [--provider-id X] [--sub NAME] [--ttl-s N]
"""
from __future__ import annotations

import argparse
import os
import sys

from clinic_common.auth import ROLES, issue_token
from clinic_common.config import ConfigError, load_settings


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m clinic_common.devstack.token",
                                     description="Print a JWT for calling the API by hand.")
    parser.add_argument("--role", choices=ROLES, default="staff")
    parser.add_argument("--provider-id", default=None, help="required for --role clinician")
    parser.add_argument("--sub", default=None, help="the subject (default: dev-<role>)")
    parser.add_argument("--ttl-s", type=int, default=8 * 3600, help="lifetime in seconds (default: 8 h)")
    args = parser.parse_args(argv)
    if args.role == "clinician" and not args.provider_id:
        parser.error("--role clinician needs --provider-id")
    return args


def main(argv=None, environ=None) -> int:
    args = parse_args(argv)
    env = dict(os.environ if environ is None else environ)
    env["CLINIC_ENV"] = env.get("CLINIC_ENV") or "development"  # as `make run` does
    try:
        secret = load_settings(env).jwt_secret
    except ConfigError as exc:
        print(f"Cannot issue a token: {exc}", file=sys.stderr)
        return 1
    print(issue_token(secret, args.sub or f"dev-{args.role}", args.role, args.provider_id, ttl_s=args.ttl_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
