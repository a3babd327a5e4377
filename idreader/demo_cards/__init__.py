"""Built-in synthetic demo cards, one IdCard JSON file each in this folder, loadable by short name.

    adult        张伟, 铜梁区 resident, 20-year card          longterm   王秀兰, 长期 card
    elderly      李德明 (born 1942), 土家族, 长期            minor      张小雨 (born 2014)
    expired      刘强, card ran out in 2024                  hmt        陈家明, 港澳台居民居住证
    foreign2017  SMITH JOHN, 2017 permit                     foreign2023 KHAN MUHAMMAD ALI ..., 2023 permit
    rare_char    陈喆 (喆 is outside GB2312)

`load` also reads any IdCard JSON file (through `idreader.cardjson`), refusing in one line a file that is
too big, not plain JSON or not a valid card: a CardFileError naming the file and what is wrong.

All data is made up; every 18-character number has a valid GB 11643 check character. The files hold
`"photo_wlt": null`; the simulator serves a placeholder photo block for them.
"""

from __future__ import annotations

import json
from pathlib import Path

from idreader.cardjson import CardJsonError, parse_card_json, read_card_file
from idreader.errors import CardFileError
from idreader.idcard import IdCard, IdCardFormatError

NAMES = ("adult", "longterm", "elderly", "minor", "expired", "hmt", "foreign2017", "foreign2023", "rare_char")


def names() -> tuple[str, ...]:
    return NAMES


def path(name: str) -> Path:
    """The JSON file of a demo card (usable as `kiosk apply --card FILE`)."""
    if name not in NAMES:
        raise CardFileError(f"unknown demo card {name!r}; known: {', '.join(NAMES)}")
    # Beside this file (in the frozen bundle too: kiosk.spec collects the folder). Not importlib.resources,
    # whose readers import zipfile (~4 ms of `kiosk apply --card adult`) to say the same.
    return Path(__file__).with_name(f"{name}.json")


def get(name: str) -> IdCard:
    """The demo card called `name`, e.g. `get("adult")`."""
    return IdCard.from_dict(json.loads(path(name).read_text(encoding="utf-8")))


def all_cards() -> dict[str, IdCard]:
    return {name: get(name) for name in NAMES}


def load(spec: str | Path | IdCard) -> IdCard:
    """An IdCard from a demo card name, an IdCard JSON file, or an IdCard itself.

        card = demo_cards.load("adult")  # or demo_cards.load("/path/to/card.json")
    """
    if isinstance(spec, IdCard):
        return spec
    text = str(spec)
    if text in NAMES:
        return get(text)
    file = Path(text)
    if not file.is_file():
        shown = repr(text if len(text) <= 80 else text[:80] + "…")
        raise CardFileError(f"{shown} is neither a demo card ({', '.join(NAMES)}) nor a file")
    data = read_card_file(file)
    try:
        return IdCard.from_dict(parse_card_json(data))
    except (IdCardFormatError, CardJsonError) as exc:
        raise CardFileError(f"{file}: not an IdCard JSON file: {exc}") from None
