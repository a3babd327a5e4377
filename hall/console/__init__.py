"""The hall's staff console: server-rendered pages (queue, case, staff calls, fleet, statistics) in Chinese,
working offline in the hall — every stylesheet and script is served by the hall itself, no CDN."""
