"""Service catalog and everything pure about an application: specs, prefill, pre-review, decision,
numbering formats and the PDF materials. No Qt, no devices, no database.
"""
