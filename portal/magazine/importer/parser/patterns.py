"""The regular expressions and word lists the parser recognises lines by (one place to tune them)."""

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_NUM = "一二三四五六七八九十百零〇两"

QUOTE_TABLE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "—": "-",
        "–": "-",
        "・": "·",
    }
)

# Control characters other than tab, and the replacement character left by a failed decode.
BAD_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
TERMINAL_RE = re.compile(r"(?:[。！？；：…!?;:]|[。！？!?…][”’」』）)\]】]+)$")
SENTENCE_PUNCT_RE = re.compile(r"[。！？；!?;]")
OPEN_END_RE = re.compile(r"[，、,：:（(“‘《〈—\-]$")

ISSUE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*第\s*(?P<n>\d{1,2})\s*期")
CUMULATIVE_RE = re.compile(r"总\s*第\s*(?P<c>\d{1,4})\s*期")
YEAR_MONTH_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月")

COLUMN_RE = re.compile(
    rf"^[☆★●○◆◇■□◎◉]\s*(?P<zh>[{CJK}·]+)\s*(?P<en>[A-Za-z][A-Za-z&'’.\- ]*?)?"
    r"\s*(?:P\s*(?P<page>\d{1,3}))?$"
)
PAGE_RE = re.compile(r"^P\s*(?P<page>\d{1,3})$", re.IGNORECASE)
ENTRY_RE = re.compile(r"^[▲△]\s*(?P<rest>\S.*)$")
COVER_RE = re.compile(r"^(?P<name>封[面二三四底])\s*[:：]\s*(?P<rest>.*)$")
ENTRY_PAGE_RE = re.compile(r"(?:\s*[.…·]{2,}\s*P?\s*|\s+P\s*)(?P<page>\d{1,3})$")
ENTRY_AUTHORS_RE = re.compile(r"\s+[/／]\s*|\s*[/／]\s+")

PREAMBLE_COLUMNS = {"卷首语", "卷首", "刊首语", "卷首寄语", "开卷语"}

MASTHEAD_FIELDS = {
    "主办单位": "sponsor",
    "主办": "sponsor",
    "地址": "address",
    "编辑部地址": "address",
    "邮编": "postcode",
    "邮政编码": "postcode",
    "电话": "phone",
    "联系电话": "phone",
    "传真": "fax",
    "网址": "website",
    "网站": "website",
    "电子邮箱": "email",
    "邮箱": "email",
    "E-mail": "email",
    "Email": "email",
    "出版日期": "publication_text",
    "准印证号": "permit_number",
    "内部准印证号": "permit_number",
    "印刷": "printer",
    "印刷单位": "printer",
    "承印": "printer",
}
BOARD_ROLES = (
    "编委会主任",
    "编委会副主任",
    "副主任",
    "编委会委员",
    "编委成员",
    "编委",
    "主编",
    "执行主编",
    "副主编",
    "编辑",
    "责任编辑",
    "美术编辑",
    "编辑出版",
)
MASTHEAD_KEY_RE = re.compile(
    r"^(?P<key>"
    + "|".join(sorted(map(re.escape, [*MASTHEAD_FIELDS, *BOARD_ROLES]), key=len, reverse=True))
    + r")\s*[:：]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
NAMES_LINE_RE = re.compile(rf"^[{CJK}·]{{2,4}}(?:\s+[{CJK}·]{{2,4}})*$")
CIRCULATION_RE = re.compile(r"内部资料|免费交流|内部刊物|内部交流")

NUM_L2_RE = re.compile(rf"^[{CN_NUM}]+、\s*")
NUM_L3_RE = re.compile(rf"^[（(][{CN_NUM}]+[）)]\s*")
NUM_L4_RE = re.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])\s*")
CHAPTER_RE = re.compile(rf"^第[{CN_NUM}\d]+(?P<kind>[章节编])(?:\s|$)")
PARA_STARTER_RE = re.compile(rf"^(?:[{CN_NUM}]+是|一方面|另一方面|首先|其次|再次|同时|此外|另外|第[{CN_NUM}\d]+条)")
BULLET_RE = re.compile(r"^[-•·▪◦*]\s+(?P<text>\S.*)$")
SUBTITLE_RE = re.compile(r"^(?:——|--|－－|—)\s*\S")
NOTE_RE = re.compile(r"^(?:[\[【〔［]\s*编\s*者\s*按\s*[\]】〕］]|编者按\s*[:：])\s*[:：]?\s*(?P<rest>.*)$")
ARTEFACT_RE = re.compile(
    r"^[（(]\s*(?:(?:接|转|续|下转|上接)\s*(?:第\s*)?\d{1,3}\s*[页版]|未完待续|待续|接上页|转下页)\s*[）)]$"
)
FOOTNOTE_RE = re.compile(r"^\[\d{1,2}\]\s*\S")
FOOTNOTE_SPLIT_RE = re.compile(r"\[(\d{1,2})\]")
MARKER_RE = re.compile(r"\^?\[(\d{1,2})\]")
SOURCE_LINE_RE = re.compile(
    r"^[（(]\s*(?P<src>[^（()）]{2,80}?供稿|(?:摘自|来源[:：]|转载自|转自|选自).{2,160})\s*[）)]$"
)
SOURCE_TAIL_RE = re.compile(
    r"[（(]\s*(?P<src>[^（()）]{2,80}?供稿|(?:摘自|来源[:：]|转载自|转自|选自)[^（()）]{2,160})\s*[）)]\s*$"
)
BYLINE_WEN_RE = re.compile(r"^(?:文|撰文|作者|撰稿|执笔)\s*[/／:：]\s*(?P<names>\S.{0,60})$")
BYLINE_REPORTER_RE = re.compile(
    rf"^(?P<role>(?:本刊)?(?:特约)?(?:记者|通讯员))\s*(?P<names>[{CJK}·]{{2,4}}(?:[\s、，,]+[{CJK}·]{{2,4}})*)$"
)
BYLINE_NAME_TITLE_RE = re.compile(rf"^(?P<name>[{CJK}·]{{2,4}})\s*[/／]\s*(?P<note>[^/／\s].{{1,40}})$")
JOB_WORDS = (
    "书记|市长|省长|县长|区长|主任|局长|厅长|部长|主席|会长|秘书长|委员|处长|院长|校长|"
    "教授|研究员|经理|董事长|总裁|理事长|行长|社长|总编"
)
BYLINE_TITLE_NAME_RE = re.compile(rf"^(?P<note>\S.{{2,30}}?(?:{JOB_WORDS}))\s+(?P<name>[{CJK}·]{{2,4}})$")
ORG_SUFFIX_RE = re.compile(
    r"(?:办|局|委|会|中心|公司|部|院|厅|处|室|社|行|所|组|集团|大学|学院|学校|政府|办公室|编辑部|协会|研究会)$"
)
CLEAN_TITLE_SPACES_RE = re.compile(r"(?<=[，。：；！？、（《“])\s+|\s+(?=[，。：；！？、）》”])")
