"""Code tables found on the card: sex (GB/T 2261.1) and ethnicity (GB 3304-91 plus 97/98).

The card stores sex as one digit and ethnicity as two digits (specs/idcard-protocol.md §5).
"""

from __future__ import annotations

SEX_BY_CODE: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

# GB 3304-91 codes 01..56 in order.
_ETHNIC_NAMES = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)

# "01" -> "汉族" ... "56" -> "基诺族"; 97 and 98 are not ethnic groups and get no 族.
ETHNICITY_BY_CODE: dict[str, str] = {
    **{f"{index:02d}": f"{name}族" for index, name in enumerate(_ETHNIC_NAMES, start=1)},
    "97": "其他",
    "98": "外国血统中国籍人士",
}

CODE_BY_ETHNICITY: dict[str, str] = {name: code for code, name in ETHNICITY_BY_CODE.items()}
CODE_BY_SEX: dict[str, str] = {name: code for code, name in SEX_BY_CODE.items()}


def sex_name(code: str) -> str | None:
    """男/女/未知/未说明 for a GB/T 2261.1 digit, None for anything else."""
    return SEX_BY_CODE.get(code)


def ethnicity_name(code: str) -> str | None:
    """e.g. "01" -> "汉族"; None for a code outside the table."""
    return ETHNICITY_BY_CODE.get(code)
