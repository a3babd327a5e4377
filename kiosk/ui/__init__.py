"""The touchscreen app (Qt Quick): QML screens over `bridge.KioskBridge`, which renders the pure
applicant session and runs its effects on worker threads through the Qt-free
`kiosk.services.app_services.AppServices` (over the composition root `kiosk.app.Kiosk`). Only this
package imports Qt; it never imports `kiosk.commands` (its own subcommands, `kiosk run` and
`kiosk demo`, are `run_command` and `demo_command`; `driver.UiDriver` drives the screens for the
headless player and the tests). Entry points: `kiosk.ui.app.run_ui(config)`, `launch(...)`,
`build_ui(...)`; the headless screenshot player is `kiosk.ui.player.play(out_dir)`.

Importing this package loads nothing; the modules import Qt when they are imported themselves.
"""
