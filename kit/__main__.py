"""`python -m kit` does what the `tyopaja` command does."""

from kit.cli import main

raise SystemExit(main())
