"""The app's screens, one per file: each gathers input and calls the domain, never files or SQL."""
