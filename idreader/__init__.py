"""Second-generation ID-card readers: the SAM_V serial protocol, card decoding, driver and simulator.

Nothing here imports Qt or the kiosk. `IdCard` is the decoded card (a JSON contract, DESIGN.md).
Modules: wording (masked names, dates in Chinese),
protocol (frames, pure), cards (text block <-> IdCard), codes, idnumber (GB 11643), photo,
ports (reader URLs, sim://), reader (the driver thread), simulator, demo_cards, cli.
The driver and simulator are imported from their modules (`from idreader.reader import CardReader`)
so that importing the package stays cheap.
"""

from idreader.errors import ReaderError
from idreader.idcard import CARD_TYPES, IdCard, IdCardFormatError, mask_id_number

__all__ = ["CARD_TYPES", "IdCard", "IdCardFormatError", "ReaderError", "mask_id_number"]
