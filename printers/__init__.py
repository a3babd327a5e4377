"""Receipt printing: the receipt model, ESC/POS rendering, PNG previews, transports, printer status,
the persistent print queue, a TCP printer emulator and the technician CLI. No Qt, no kiosk imports.
"""
