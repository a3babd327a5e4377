"""Second-generation ID-card readers: the SAM_V serial protocol, card decoding, driver and simulator.

Nothing here imports Qt or the kiosk. `IdCard` is the decoded card (a JSON contract, DESIGN.md).
"""

from idreader.idcard import CARD_TYPES, IdCard, IdCardFormatError, mask_id_number

__all__ = ["CARD_TYPES", "IdCard", "IdCardFormatError", "mask_id_number"]
