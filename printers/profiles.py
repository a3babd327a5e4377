"""Capability profiles of the thermal printers the kiosk supports, looked up by name.

A profile states what the renderer must know about a model: the print width in dots (8 dots/mm:
384 for 58 mm paper, 576 for 80 mm), the number of half-width text columns of font A (12 dots each),
whether it prints QR codes itself (``GS ( k``) and the module sizes it accepts, whether it has a
Chinese font and which two-byte encoding that font covers, and whether it has a cutter.
The printer URL option ``?profile=NAME&width=576`` selects a profile and may override its width.

Figures for named models come from their manuals (python-escpos's capability database has no Chinese
entries). Add a profile per purchased model after printing its test page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from printers.errors import PrinterError

DOTS_PER_MM = 8
#: Font A cell: a half-width character is 12x24 dots, a Chinese character 24x24.
HALF_CELL_DOTS = 12


class UnknownProfileError(PrinterError):
    """A printer profile name that is not in :data:`PROFILES`."""


@dataclass(frozen=True)
class PrinterProfile:
    """What one printer model can do."""

    name: str
    description: str
    width_dots: int
    columns: int
    native_qr: bool = True
    qr_module_dots: int = 6        # preferred QR module size; made smaller when the code would not fit
    qr_module_max: int = 8         # largest module size the firmware takes in GS ( k 31 43
    qr_store_max: int = 1020       # largest payload the firmware takes in GS ( k 31 50
    chinese_font: bool = True
    text_encoding: str = "gbk"     # what the built-in font covers: "gbk", "gb2312" or "ascii"
    cutter: bool = True
    feed_before_cut: int = 4       # lines between the last print line and the cutter
    default_mode: str = "text"     # "text" or "raster"

    def __post_init__(self) -> None:
        if self.width_dots < 96 or self.width_dots % 8:
            raise UnknownProfileError(f"profile {self.name}: width {self.width_dots} dots is not a "
                                      "positive multiple of 8")
        if self.columns < 8 or self.columns * HALF_CELL_DOTS > self.width_dots:
            raise UnknownProfileError(f"profile {self.name}: {self.columns} columns do not fit in "
                                      f"{self.width_dots} dots")
        if self.default_mode not in ("text", "raster"):
            raise UnknownProfileError(f"profile {self.name}: mode {self.default_mode!r} is not text|raster")

    @property
    def paper_mm(self) -> int:
        """Nominal paper width: 58 or 80 mm."""
        return 58 if self.width_dots <= 432 else 80

    def with_width(self, width_dots: int) -> PrinterProfile:
        """Return this profile at another print width (the URL's ``width=`` option)."""
        return replace(self, width_dots=width_dots, columns=width_dots // HALF_CELL_DOTS)


PROFILES: dict[str, PrinterProfile] = {
    profile.name: profile
    for profile in (
        PrinterProfile("generic-58", "Any 58 mm ESC/POS printer with a GBK font and native QR",
                       width_dots=384, columns=32, qr_module_dots=4, cutter=False),
        PrinterProfile("generic-80", "Any 80 mm ESC/POS printer with a GBK font, native QR and cutter",
                       width_dots=576, columns=48),
        PrinterProfile("xprinter-58", "Xprinter XP-58IIH / XP-58IIQ (58 mm, GB18030 2-byte, no cutter)",
                       width_dots=384, columns=32, qr_module_dots=4, cutter=False),
        PrinterProfile("xprinter-80", "Xprinter XP-80C / XP-N160II (80 mm, GB18030 2-byte, cutter)",
                       width_dots=576, columns=48, qr_module_dots=6),
        PrinterProfile("epson-tm-t88", "Epson TM-T88VI Simplified Chinese model (72 mm print width)",
                       width_dots=512, columns=42, qr_module_dots=6, qr_module_max=16,
                       qr_store_max=7089, feed_before_cut=3),
        PrinterProfile("sprt-58", "SPRT SP-POS58 (58 mm, GB2312 font only, no cutter)",
                       width_dots=384, columns=32, qr_module_dots=4, text_encoding="gb2312", cutter=False),
        PrinterProfile("generic-58-raster", "58 mm printer without a Chinese font or native QR: raster only",
                       width_dots=384, columns=32, native_qr=False, qr_module_dots=4,
                       chinese_font=False, text_encoding="ascii", cutter=False, default_mode="raster"),
        PrinterProfile("generic-80-raster", "80 mm printer without a Chinese font or native QR: raster only",
                       width_dots=576, columns=48, native_qr=False, chinese_font=False,
                       text_encoding="ascii", default_mode="raster"),
    )
}

DEFAULT_PROFILE = "generic-80"


def get_profile(name: str, width_dots: int | None = None) -> PrinterProfile:
    """Return the profile called ``name``, optionally at another print width.

    Raises :class:`UnknownProfileError` (a :class:`PrinterError`) for an unknown name.
    """
    try:
        profile = PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfileError(f"unknown printer profile {name!r}; known profiles: {known}") from None
    if width_dots is not None and width_dots != profile.width_dots:
        profile = profile.with_width(width_dots)
    return profile
