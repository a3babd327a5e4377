"""The hall back office (issue 12): a Django project on PostgreSQL that every kiosk of a hall reports to.

Kiosks post their outbox (applications, ratings, staff calls, step statistics) to the API in hall.cases.api
and learn in each heartbeat's reply what staff did with their cases; staff work the cases in the console
(hall.console). `python -m hall` (hall.cli) serves it, with its own PostgreSQL cluster (hall.pgcluster) when
no database is given. The hall never imports the kiosk: they meet only on the wire contract.
"""
