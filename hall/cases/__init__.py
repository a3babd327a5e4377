"""hall.cases: the hall's cases and everything kiosks report (models), the legal clocks (workdays, clocks),
the case actions staff take (services), the wire contract's validation (wire), ingest and the API (ingest, api).
"""
