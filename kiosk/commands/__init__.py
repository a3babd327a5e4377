"""One module per `kiosk` subcommand; each exposes `register(subparsers)` and sets `func` on its parser."""
