"""How long commands wait for devices by default: constants only, so a command's parser (`kiosk apply
--help`) names them without importing the configuration."""

#: How long a command (kiosk apply, jobs retry, reprint) waits for the printer before it reports the job
#: as pending; the job stays queued and prints when the printer is ready.
PRINT_WAIT_SECONDS = 20.0
