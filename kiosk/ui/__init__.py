"""The touchscreen app (Qt Quick): QML screens over `bridge.KioskBridge`, which renders the pure
applicant session and runs its effects on worker threads through `services.AppServices` (over the
composition root `kiosk.app.Kiosk`). Entry points: `kiosk.ui.app.run_ui(config)`, `launch(...)`,
`build_ui(...)`; the headless screenshot player is `kiosk.ui.player.play(out_dir)`.

Importing this package loads nothing; the modules import Qt when they are imported themselves.
"""
