"""The 秒办 kiosk application: composition root, command line, applicant session, storage,
credentials, camera and the Qt Quick UI (only `kiosk.ui` imports Qt).
"""
