"""Kiosk <-> hall sync (issue 12; the wire contract is in the project plan and docs/RELIABILITY.md).

- `outbox`: the events the hall must know, written in the SAME SQLite transaction as the change itself
  (an application decided or accepted, a rating, a staff call, a visit's step statistics);
- `bodies`: the event bodies of the contract, built from what the kiosk recorded (pure);
- `wire`: the JSON over HTTP (urllib; no inbound port: the hall answers in its replies);
- `replies`: a heartbeat reply applied to the store (hall status of each number, cursor, call acks);
- `uploader`: the background thread the composition root owns (batches, backoff, heartbeat);
- `steps`: a visit's steps and seconds, for the step statistics event.
Qt-free, core layer: kiosk.app builds it; nothing here imports the services or the UI.
"""
