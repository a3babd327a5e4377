"""The Qt-free services over the composition root (`kiosk.app.Kiosk`), shared by the touchscreen
(`kiosk.ui`) and the command line (`kiosk.commands`), which never import each other:

- `runtime`: what the screens need (`KioskServices`), and reader events as session events;
- `app_services`: `AppServices`, the touchscreen's services (reader gate, effects, documents, lookup,
  the demo drawer's simulated devices);
- `technician`: the technician panel's logic (hidden gesture, PIN gate, device checks, job actions);
- `checks`, `job_advice`: a check's result and the device probe settings, and what a print job needs
  from an operator (shared with `kiosk doctor` / `kiosk jobs`);
- `catalog_search`: the catalog's entries and their pinyin search.

Layers (checked by `lint-imports`, contracts in pyproject.toml): kiosk.cli -> kiosk.ui | kiosk.commands
-> kiosk.services -> kiosk.app -> the core (kiosk.session, kiosk.store, forms, printers, idreader).
"""
