"""The view models behind the QML screens: each turns one concern of the session's view state into Qt
properties and the applicant's gestures into session events. None of them decides navigation (the
session does, kiosk.session.navigation); `kiosk.ui.bridge.KioskBridge` composes them.

- screen.py   the view dict the screens render, plus what is derived for display (pure, no Qt)
- worker.py   the worker pool: slow work off the GUI thread, results back on it, dropped after a wipe
- runner.py   sends events to the session and runs the effects it returns
- gestures.py the buttons every screen shares and the steps' own taps -> session events (`bridge.act`)
- start.py    the start screen's catalog, search and service introduction (`bridge.start`)
- form.py     the form's field and fix rows (`bridge.form`)
- documents.py the application preview pages, the printed slips and the QR image (`bridge.docs`)
- demo.py     the demo drawer (`bridge.drawer`)
"""
