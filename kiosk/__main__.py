"""`python -m kiosk` is the same as the `kiosk` command.

In the frozen bundle (PyInstaller, kiosk.spec) this is the entry point and `sys.executable` is the bundle's
`kiosk` itself, so `kiosk -m MODULE ARGS...` runs one of the bundled modules as `python -m` would: code
that starts a helper as `[sys.executable, "-m", "kiosk.ui.qt_probe"]` (kiosk doctor's Qt probe) or
`python -m idreader simulate` works the same frozen and from a checkout.
"""

import sys

if getattr(sys, "frozen", False) and len(sys.argv) > 2 and sys.argv[1] == "-m":
    import runpy

    module = sys.argv[2]
    sys.argv = [sys.argv[0], *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    raise SystemExit(0)
else:
    from kiosk.entry import main

    raise SystemExit(main())
