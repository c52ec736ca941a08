"""Tests of the pure-Python back-issue parser (no Django needed).

Most tests read the real issue text from ``../shared/seeds`` (or ``DEMO_ISSUE_PATH``)
and are skipped when it is absent; the synthetic-issue and malformed-input tests
always run.
"""

import os
import random
from pathlib import Path

import pytest

from portal.magazine.importer.parser import (
    IssueFormatError,
    ParsedArticle,
    ParsedAuthor,
    ParsedIssue,
    UnplacedEntry,
    match_key,
    parse_issue,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = Path(
    os.environ.get("DEMO_ISSUE_PATH") or REPO_ROOT.parent / "shared" / "seeds" / "000_fe858ee6685ef5a2.txt"
)

needs_seed = pytest.mark.skipif(
    not SEED_PATH.is_file(),
    reason=f"demo issue text not found at {SEED_PATH} (set DEMO_ISSUE_PATH to run the seed tests)",
)

CONTENTS = [
    ("卷首语", "“信用” 关键在用"),
    ("特别报道", "李克强总理在浙江考察：让诚信者便利经营，让失信者寸步难行"),
    ("特别报道", "国办赴浙江专题调研我省信用体系建设情况"),
    ("特别报道", "浙江省信用县创建亮点特色工作"),
    ("信用应用", "“信义金” 来了！金华社会信用体系建设全面升级"),
    ("信用应用", "金华市发改委主任金文胜在“信义金”启动仪式上的讲话"),
    ("信用应用", "浙江信用产品（服务）推介会金华专场致辞"),
    ("信用应用", "全域信用旅游“奉化模式”在长三角区域信用专题会上成功推广"),
    ("机构天地", "杭州有数金融信息服务有限公司亮相2019数博会，斩获“2019中国政府信息化方案案例创新奖”"),
    (
        "封二",
        "李克强 在全国深化“放管服”改革优化营商环境电视电话会议强调把“放管服”改革进一步推向深入"
        "打造市场化法治化国际化营商环境",
    ),
    ("封三", "浙江省信用协会简介"),
    ("封三", "会员单位入会须知"),
    ("信用研究", "大数据时代下信用监管机制构建研究"),
    ("市县信用", "金华市委副书记、市长尹学群在全市信用体系建设汇报会上强调先行先试勇于创新 重点突破加快推进"),
    ("市县信用", "致力打造具有衢州特色的“信用示范之城”"),
    ("市县信用", "地市信用工作思路选编"),
    ("信用动态", "“信用中国”网行政处罚信息信用修复7月1日起执行"),
    ("信用动态", "《五类主体公共信用评价方案》通过专家论证，公共信用评价方法迭代升级！"),
    ("信用动态", "地方信用建设推进会在杭召开"),
    ("协会动态", "浙江省信用产品（服务）推介会在金华市隆重举行"),
    ("协会动态", "关于进一步做好会员单位服务工作的通知"),
    ("协会动态", "关于开展创建“信用示范会员单位”活动的通知"),
    (
        "协会动态",
        "关于印发《创建信用示范会员单位实施办法（试行）》、《创建信用示范会员单位验收标准（2019年版）》的通知",
    ),
]


def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def seed_lines() -> list[str]:
    return seed_text().split("\n")


@pytest.fixture(scope="module")
def issue() -> ParsedIssue:
    if not SEED_PATH.is_file():
        pytest.skip(f"demo issue text not found at {SEED_PATH}")
    return parse_issue(seed_text(), source_name=SEED_PATH.name)


def article(issue: ParsedIssue, title: str) -> ParsedArticle:
    found = issue.article(title)
    assert found is not None, title
    return found


def texts(art: ParsedArticle, kind: str = "paragraph") -> list[str]:
    return [value for k, value in art.body if k == kind]


def headings(art: ParsedArticle) -> list[tuple[int, str]]:
    return [(value["level"], value["text"]) for k, value in art.body if k == "heading"]


# --------------------------------------------------------------------------- the seed issue


@needs_seed
def test_issue_metadata_from_seed(issue):
    assert (issue.year, issue.number, issue.cumulative_number) == (2019, 3, 44)
    assert issue.publication == (2019, 6)
    assert issue.source_name == "000_fe858ee6685ef5a2.txt"


@needs_seed
def test_masthead_fields_from_seed(issue):
    m = issue.masthead
    assert m.sponsor == "浙江省信用协会"
    assert [role for role, _ in m.board] == ["编委会主任", "副主任", "编委成员", "主编", "副主编", "编辑", "编辑出版"]
    assert m.members("编委会主任") == ["杜旭亮"]
    assert m.members("主编") == ["蒋秀东"]
    assert m.members("副主编") == ["邵千龙", "王宁江"]
    assert m.members("编辑") == ["王吉"]
    assert m.members("编辑出版") == ["《信用浙江》编辑部"]
    assert len(m.members("副主任")) == 21
    assert m.members("副主任")[:3] == ["王宁江", "方华", "叶永升"]
    assert m.members("副主任")[-1] == "潘上永"
    assert len(m.members("编委成员")) == 16
    assert m.members("编委成员")[-1] == "黄忠华"
    assert m.address == "杭州市环城西路33-2号"
    assert m.postcode == "310006"
    assert m.phone == "（0571）87056850"
    assert m.fax == "（0571）88152096"
    assert m.website == "www.zjxyxh.org"
    assert m.email == "zj_xyxh@126.com"
    assert m.publication_text == "2019年6月"
    assert m.permit_number == "浙内准字第0203号"
    assert m.printer == "浙江民振印务有限公司"
    assert m.circulation_note == "内部资料 免费交流"
    assert (m.line_start, m.line_end) == (89, 149)


@needs_seed
def test_columns_from_seed(issue):
    got = [(c.name_zh, c.name_en, c.start_page, c.order, c.is_cover_page, c.line) for c in issue.columns]
    assert got == [
        ("卷首语", "Preamble", 1, 1, False, 155),
        ("特别报道", "Special Reports", 4, 2, False, 161),
        ("信用应用", "Credit Application", 16, 3, False, 171),
        ("机构天地", "Institution World", 21, 4, False, 183),
        ("信用研究", "Credit Study", 22, 5, False, 203),
        ("市县信用", "City and County Credit", 26, 6, False, 209),
        ("信用动态", "Credit Trend", 40, 7, False, 219),
        ("协会动态", "Institute Trends", 42, 8, False, 229),
        ("封二", "", None, 9, True, 194),
        ("封三", "", None, 10, True, 198),
    ]


@needs_seed
def test_every_contents_entry_is_placed(issue):
    assert issue.unplaced == []
    assert [(a.column, a.title) for a in issue.articles] == CONTENTS
    assert [a.order for a in issue.articles] == list(range(23))


@needs_seed
def test_articles_get_line_ranges(issue):
    spans = {a.title: (a.line_start, a.line_end) for a in issue.articles}
    assert spans[CONTENTS[9][1]] == (33, 77)  # 封二, before the contents
    assert spans["“信用” 关键在用"] == (79, 87)
    assert spans["李克强总理在浙江考察：让诚信者便利经营，让失信者寸步难行"] == (241, 249)
    assert spans[CONTENTS[13][1]] == (725, 735)  # title over three lines
    assert spans["浙江省信用协会简介"] == (1384, 1410)
    assert spans["会员单位入会须知"] == (1412, 1460)  # the trailing 公益广告 is not part of it
    for art in issue.articles:
        assert art.contents_line > 0


@needs_seed
def test_only_pages_the_contents_gives_are_known(issue):
    """The contents prints a page per column, none per entry: a column's first article starts on the
    column's page; where the others start is unknown (not the column's page)."""
    pages = [(a.column, a.start_page) for a in issue.articles]
    assert pages == [
        ("卷首语", 1),
        ("特别报道", 4), ("特别报道", None), ("特别报道", None),
        ("信用应用", 16), ("信用应用", None), ("信用应用", None), ("信用应用", None),
        ("机构天地", 21),
        ("封二", None), ("封三", None), ("封三", None),
        ("信用研究", 22),
        ("市县信用", 26), ("市县信用", None), ("市县信用", None),
        ("信用动态", 40), ("信用动态", None), ("信用动态", None),
        ("协会动态", 42), ("协会动态", None), ("协会动态", None), ("协会动态", None),
    ]


def test_a_page_printed_on_the_contents_entry_is_used():
    text = SYNTHETIC.replace("▲ 会员服务清单\n", "▲ 会员服务清单 …… P09\n")
    assert [(a.title, a.start_page) for a in parse_issue(text).articles] == [
        ("新年寄语", 1),
        ("信用修复的实践探索：以某市为例", 5),
        ("会员服务清单", 9),
        ("协会简介", None),
    ]
    assert [a.start_page for a in parse_issue(SYNTHETIC).articles] == [1, 5, None, None]


@needs_seed
def test_untitled_preamble_takes_the_passage_after_the_cover_article(issue):
    pre = article(issue, "“信用” 关键在用")
    assert pre.title_found is False
    paragraphs = texts(pre)
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("去年底舟山市在全省率先召开信用产品（服务）创新与应用交流会")
    assert paragraphs[-1].endswith("确保诚信履职、诚信服务、诚信收费，行业发展健康有序。")
    cover = article(issue, CONTENTS[9][1])
    assert texts(cover)[-1].startswith("李克强强调，各地区各部门要以“不忘初心、牢记使命”主题教育为动力")


@needs_seed
def test_paragraph_split_by_page_break_is_joined(issue):
    cover = article(issue, CONTENTS[9][1])
    assert (
        "大力缩减市场准入负面清单。今年要把工业生产许可证种类再压减一半以上，中央层面再取消下放50项以上行政许可。"
        in (texts(cover))
    )
    assert headings(cover) == [
        (2, "简政放权、放管结合、优化服务"),
        (2, "打造市场化法治化国际化营商环境"),
        (2, "推动简政放权向纵深发展"),
        (2, "健全制度化监管规则"),
        (2, "优化政府服务，深化“一网通办”"),
    ]
    xiangshan = [p for p in texts(article(issue, "浙江省信用县创建亮点特色工作")) if p.startswith("一是强化信用县")]
    assert len(xiangshan) == 1
    assert xiangshan[0].startswith("一是强化信用县创建成果。以此次信用县创建成功为新起点，总结经验")
    jinhua = texts(article(issue, "“信义金” 来了！金华社会信用体系建设全面升级"))
    assert any(p.startswith("金华市委常委、常务副市长陈晓说，“信义金”的金既是金子的金") for p in jinhua)


@needs_seed
def test_research_article_authors_with_footnote_affiliations(issue):
    art = article(issue, "大数据时代下信用监管机制构建研究")
    assert art.authors == [
        ParsedAuthor("陈海盛", "浙江省信用中心"),
        ParsedAuthor("白小虎", "中共浙江省委党校经济学教研部、浙江省科学发展观与浙江发展研究中心"),
        ParsedAuthor("郭文波", "浙江西安交通大学研究院"),
        ParsedAuthor("吴淑君", "浙江省信用中心"),
    ]
    assert art.byline_org == ""
    body_text = "".join(str(value) for _, value in art.body)
    assert "[1]" not in body_text and "文 / 陈海盛" not in body_text
    # The footnote line sat inside a paragraph split by a page break (L661 + L665).
    assert any("开发信用发布、信用查询、信用异议、信用修复等信用工具" in p for p in texts(art))


@needs_seed
def test_research_article_heading_levels(issue):
    art = article(issue, "大数据时代下信用监管机制构建研究")
    assert headings(art) == [
        (2, "一、研究背景"),
        (2, "二、大数据背景下信用监管机制构建"),
        (3, "（一）大数据背景下信用在治理体系现代化中的定位"),
        (3, "（二）信用监管机制基本构建"),
        (3, "（三）数据共享机制构建"),
        (3, "（四）业务协同机制构建"),
        (2, "三、信用监管机制中大数据应用的现实障碍及对策"),
        (3, "（一）信用监管机制中大数据应用障碍"),
        (4, "1. 信用数据归集缺乏全面性，信息更新缺乏明确规定"),
        (4, "2. 信用数据挖掘程度不高，应用场景不足"),
        (4, "3. 平台数据割裂，数据共享水平有待提高"),
        (3, "(二) 信用监管机制中加强大数据应用的对策思考"),
        (4, "1. 推进信用监管顶层设计，解决信息归集、公示等问题"),
        (4, "2. 建设一体化信用信息平台，加强信用标准制定"),
        (4, "3. 挖掘信用数据产品,促进公共信用监管的多元共治"),
        (4, "(1) 挖掘信用数据产品"),
        (4, "(2) 以大数据为支撑促进公共信用监管的多元共治"),
    ]
    # "一方面，…建立" + "各个主体…" is one paragraph, not a heading.
    assert any(p.startswith("一方面，形成唯一的公共信用记录档案，建立各个主体的评价体系。") for p in texts(art))


@needs_seed
def test_numbered_lead_paragraphs_are_not_headings(issue):
    art = article(issue, "浙江省信用县创建亮点特色工作")
    paragraphs = texts(art)
    assert any(p.startswith("（一）强化组织保障。专门成立") for p in paragraphs)
    assert all(not text.startswith("（一）强化组织保障") for _, text in headings(art))
    assert (2, "一、建立数据共享平台，打造基层智慧治理新模式") in headings(art)  # wrapped heading rejoined


@needs_seed
def test_editors_note_and_sub_article_titles(issue):
    art = article(issue, "浙江省信用县创建亮点特色工作")
    assert art.editors_note.startswith("2017年以来，人民银行杭州中心支行、省发改委、省农业农村厅")
    assert art.editors_note.endswith("供大家借鉴学习，共同提高。")
    assert art.body[0] == ("heading", {"level": 2, "text": "立足小微企业助力实体经济"})
    assert art.body[1] == ("paragraph", "——建德市信用县创建亮点特色工作的总结")
    sub_titles = [text for _level, text in headings(art) if text[0] not in "一二三四五（("]
    assert sub_titles == [
        "立足小微企业助力实体经济",
        "围绕“村民说事”制度探索促进社会综合治理",
        "瑞安打造“三位一体”平台 深化“省级信用县”创建成果",
        "搭建一流平台助推小微企业金融服务",
        "“信用县”创建促进社会基层治理和金融生态环境双提升",
        "以政府为主导、以信用为核心、以人民为中心 推动辖区信用环境持续向好",
        "打造“信用+”三大模式 探索信用县创建助推乡村振兴发展",
    ]
    assert "[编者按]" not in "".join(str(v) for _, v in art.body)


@needs_seed
def test_compilation_has_editors_note_and_organisation_bylines(issue):
    art = article(issue, "地市信用工作思路选编")
    assert art.editors_note.startswith("随着全省社会信用体系建设的不断深入")
    assert art.editors_note.endswith("供大家借鉴学习，共同提高。")
    assert [(a.name, a.is_organisation) for a in art.authors] == [
        ("杭州市信用办", True),
        ("温州市信用办", True),
        ("绍兴市信用办", True),
        ("金华市信用办", True),
        ("衢州市营商办", True),
        ("台州市信用办", True),
    ]
    assert art.byline_org == "杭州市信用办"
    assert art.body[:3] == [
        ("heading", {"level": 2, "text": "2019年信用体系建设工作思路"}),
        ("paragraph", "文/杭州市信用办"),
        ("heading", {"level": 2, "text": "一、构建以信用为核心的监管机制"}),
    ]
    assert ("heading", {"level": 2, "text": "衢州市围绕“六大要点” 精准推进"}) in art.body


@needs_seed
def test_sources_and_person_bylines(issue):
    assert article(issue, "“信义金” 来了！金华社会信用体系建设全面升级").source == "金华市信用办供稿"
    assert article(issue, CONTENTS[14][1]).source == "衢州市营商办供稿"
    assert (
        article(issue, CONTENTS[1][1]).source
        == "摘自中国政府网《李克强在浙江考察：让诚信者便利经营，让失信者寸步难行》"
    )
    yin = article(issue, CONTENTS[13][1])
    assert yin.source == "金华市信用办供稿"  # glued to the end of the last paragraph
    assert texts(yin)[-1].endswith("加快推动我市信用体系建设早日实现重大突破。")
    assert article(issue, CONTENTS[14][1]).authors == [ParsedAuthor("汤飞帆", "中共衢州市委副书记、市长")]
    speech = article(issue, "浙江信用产品（服务）推介会金华专场致辞")
    assert speech.authors == [ParsedAuthor("陈安", "金华市发改委副主任")]
    assert texts(speech)[0] == "首先，请允许我代表金华市信用办对省信用协会来我市举办信用产品推介会表示热烈的欢迎。"
    assert article(issue, "国办赴浙江专题调研我省信用体系建设情况").authors == []


@needs_seed
def test_service_list_table(issue):
    art = article(issue, "关于进一步做好会员单位服务工作的通知")
    tables = texts(art, "table")
    assert len(tables) == 1
    rows = tables[0]["rows"]
    assert tables[0]["header"] is True
    assert len(rows) == 6
    assert {len(r) for r in rows} == {5}
    assert rows[0] == ["单位名称", "服务事项", "收费标准", "联系人", "联系方式"]
    assert rows[2] == [
        "杭州中奥质量认证有限公司",
        "ISO9001/ISO14001/OHAS18001管理体系认证",
        "4500- 12000元",
        "金玮",
        "13868159600",
    ]
    assert rows[5][0] == "浙江汇信科技有限公司"
    assert art.body[-2] == ("heading", {"level": 2, "text": "省信用协会会员单位服务事项清单"})


@needs_seed
def test_acceptance_standard_table_keeps_empty_cells(issue):
    art = article(issue, "关于开展创建“信用示范会员单位”活动的通知")
    table = texts(art, "table")[0]
    assert len(table["rows"]) == 14
    assert {len(r) for r in table["rows"]} == {4}
    assert table["rows"][0] == ["创建项目", "验收标准", "", ""]
    assert table["rows"][9] == [
        "",
        "",
        "外部信用工具运用",
        "注重企业及个人信用记录使用, 在供应商选择、人员招聘等经营管理过程中运用信用记录",
    ]
    assert all("接48页" not in str(v) for _, v in art.body)


@needs_seed
def test_continuation_split_into_next_article_is_moved_back(issue):
    meeting = article(issue, "地方信用建设推进会在杭召开")
    assert meeting.line_end == 1155
    assert texts(meeting)[-1].startswith(
        "省发展和改革委员会周丹副巡在会上指出：要把握领会习近平总书记有关信用建设的重要论述，作为推进"
    )
    assert meeting.body[-1] == (
        "list",
        [
            "一是业务协同要上新台阶；",
            "二是社会化应用要出亮点；",
            "三是专项整治要出成效；",
            "四是政府诚信要加快推进；",
            "五是信用建设要加大宣传。",
        ],
    )
    fair = article(issue, "浙江省信用产品（服务）推介会在金华市隆重举行")
    assert (fair.line_start, fair.line_end) == (1139, 1145)
    assert len(texts(fair)) == 3


@needs_seed
def test_rules_text_chapters_and_lists(issue):
    art = article(issue, CONTENTS[22][1])
    assert (2, "第一章 总 则") in headings(art)
    assert (2, "创建信用示范会员单位实施办法 (试行)") in headings(art)
    lists = texts(art, "list")
    assert lists[0][0] == "1. 在我省辖区内注册并具有独立法人资格，正常生产经营三年以上的单位；"
    assert [len(items) for items in lists] == [4, 2, 3, 4]
    assert "第十六条 信用示范会员单位从验收通过之日起有效期为贰年" in "".join(texts(art))
    assert texts(art)[-1] == "第二十三条 本办法自发布之日起实施。"


@needs_seed
def test_noise_and_page_artefacts_are_dropped(issue):
    everything = "".join(str(value) for art in issue.articles for _, value in art.body)
    for noise in ("接48页", "转46页", "系列公益广告", "微信公众号二维码", "建设信用浙江 打造和谐社会", "主办单位："):
        assert noise not in everything
    assert any("1464–1472" in w for w in issue.warnings)
    assert any("191–192" in w for w in issue.warnings)


@needs_seed
def test_cover_lines_are_kept_apart(issue):
    assert issue.cover_lines[:5] == ["信用", "CREDIT ZHEJIANG", "浙江", "03", "总第044期"]
    assert "去年底舟山市" not in "".join(issue.cover_lines)


@needs_seed
def test_title_missing_from_body_becomes_unplaced_with_contents_line():
    lines = seed_lines()
    assert lines[1116] == "《五类主体公共信用评价方案》通过专家论证，公共信用评价方法迭代升级！"
    del lines[1116]
    parsed = parse_issue("\n".join(lines))
    assert parsed.unplaced == [
        UnplacedEntry(
            title="《五类主体公共信用评价方案》通过专家论证，公共信用评价方法迭代升级！",
            column="信用动态",
            line=225,
            reason="正文中未找到与目录标题对应的标题行",
        )
    ]
    assert len(parsed.articles) == 22
    assert any(w.startswith("第 225 行：目录条目") for w in parsed.warnings)


@needs_seed
def test_text_cut_after_contents_leaves_body_entries_unplaced():
    parsed = parse_issue("\n".join(seed_lines()[:239]))
    placed = [a.title for a in parsed.articles]
    assert placed == ["“信用” 关键在用", CONTENTS[9][1]]
    assert [(u.column, u.title) for u in parsed.unplaced] == [c for c in CONTENTS if c[1] not in placed]
    assert [u.line for u in parsed.unplaced][:3] == [165, 167, 169]


@needs_seed
def test_missing_issue_number_line_is_an_error():
    lines = seed_lines()
    assert lines[10] == "2019年第3期"
    del lines[10]
    with pytest.raises(IssueFormatError) as exc:
        parse_issue("\n".join(lines))
    assert exc.value.line == 152
    assert str(exc.value) == "第 152 行：目录之前没有找到期号行（形如“2019年第3期”），无法确定年份和期号。"


@needs_seed
def test_missing_contents_is_an_error():
    text = seed_text().replace("Contents | 目录", "")
    with pytest.raises(IssueFormatError) as exc:
        parse_issue(text)
    assert exc.value.line == 1472  # the last line has no newline
    assert "没有找到目录" in str(exc.value)


# --------------------------------------------------------------------------- malformed input


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_file_is_an_error(text):
    with pytest.raises(IssueFormatError) as exc:
        parse_issue(text)
    assert exc.value.line == 1
    assert str(exc.value) == "第 1 行：文件为空，没有可导入的内容。"


def test_garbage_bytes_decoded_with_replacement_are_an_error():
    data = bytes(random.Random(7).randrange(256) for _ in range(5000))
    with pytest.raises(IssueFormatError) as exc:
        parse_issue(data.decode("utf-8", errors="replace"))
    assert exc.value.line is not None and exc.value.line >= 1
    assert str(exc.value).startswith(f"第 {exc.value.line} 行：")
    assert "乱码" in str(exc.value) or "二进制" in str(exc.value)


def test_garbage_bytes_decoded_as_latin1_are_an_error():
    data = bytes(random.Random(11).randrange(256) for _ in range(5000))
    with pytest.raises(IssueFormatError):
        parse_issue(data.decode("latin-1"))


def test_nul_bytes_are_an_error_on_their_line():
    with pytest.raises(IssueFormatError) as exc:
        parse_issue("信用浙江\n2019年第3期\x00\x00\n目录\n")
    assert exc.value.line == 2
    assert "二进制" in exc.value.message


def test_plain_prose_without_contents_is_an_error():
    with pytest.raises(IssueFormatError) as exc:
        parse_issue("2019年第3期\n\n这是一段没有目录的文字。\n")
    assert exc.value.line == 3
    assert "目录" in exc.value.message


def test_contents_without_entries_is_an_error():
    with pytest.raises(IssueFormatError) as exc:
        parse_issue("2019年第3期\n\n目录\n\n正文第一段。\n\n正文第二段。\n\n正文第三段。\n")
    assert exc.value.line == 3
    assert exc.value.message == "目录中没有任何文章条目（以“▲”开头的行）。"


# --------------------------------------------------------------------------- a synthetic issue

SYNTHETIC = """信用浙江

2020年第1期
总第047期

主办单位：浙江省信用协会
主编：张三
副主编：李四 王五
电话：（0571）12345678
出版日期：2020年2月

Contents | 目录

☆ 卷首语 Preamble
P01
▲ 新年寄语
● 信用研究 CreditStudy
P05
▲ 信用修复的实践探索：以某市为例 / 赵六 钱七
▲ 会员服务清单
封三：
▲ 协会简介

新年寄语

文/本刊编辑部

新的一年，我们继续推进信用建设。

信用修复的实践探索：

以某市为例

——基层调研报告

文 / 赵六^[1] 钱七^[2]

【编者按】本文介绍信用修复的做法。

一、背景

信用修复是信用体系的重要一环，我们认为

应当加强。

[1] 浙江省信用中心 [2] 某大学

二、做法

- 一是建立制度；
- 二是完善平台。

（某市信用办供稿）

(接8页)

会员服务清单

单位名称\t服务事项\t联系人
甲公司\t信用报告\t张先生
乙公司\t法律咨询\t李女士

协会简介

浙江省信用协会成立于2008年12月。
"""


def test_synthetic_issue_is_parsed_generically():
    parsed = parse_issue(SYNTHETIC, source_name="synthetic.txt")
    assert (parsed.year, parsed.number, parsed.cumulative_number, parsed.publication) == (2020, 1, 47, (2020, 2))
    assert parsed.masthead.members("副主编") == ["李四", "王五"]
    assert parsed.masthead.phone == "（0571）12345678"
    assert [(c.name_zh, c.name_en, c.start_page, c.is_cover_page) for c in parsed.columns] == [
        ("卷首语", "Preamble", 1, False),
        ("信用研究", "Credit Study", 5, False),
        ("封三", "", None, True),
    ]
    assert parsed.unplaced == []
    assert [a.title for a in parsed.articles] == [
        "新年寄语",
        "信用修复的实践探索：以某市为例",
        "会员服务清单",
        "协会简介",
    ]

    preface = parsed.articles[0]
    assert preface.authors == [ParsedAuthor("本刊编辑部", "", True)]
    assert preface.byline_org == "本刊编辑部"
    assert preface.body == [("paragraph", "新的一年，我们继续推进信用建设。")]

    study = parsed.articles[1]
    assert study.subtitle == "——基层调研报告"
    assert study.authors == [ParsedAuthor("赵六", "浙江省信用中心"), ParsedAuthor("钱七", "某大学")]
    assert study.editors_note == "本文介绍信用修复的做法。"
    assert study.source == "某市信用办供稿"
    assert study.start_page == 5
    assert study.body == [
        ("heading", {"level": 2, "text": "一、背景"}),
        ("paragraph", "信用修复是信用体系的重要一环，我们认为应当加强。"),
        ("heading", {"level": 2, "text": "二、做法"}),
        ("list", ["一是建立制度；", "二是完善平台。"]),
    ]

    table_article = parsed.articles[2]
    assert table_article.body == [
        (
            "table",
            {
                "rows": [
                    ["单位名称", "服务事项", "联系人"],
                    ["甲公司", "信用报告", "张先生"],
                    ["乙公司", "法律咨询", "李女士"],
                ],
                "header": True,
            },
        )
    ]
    assert parsed.articles[3].column == "封三"
    assert parsed.articles[3].body == [("paragraph", "浙江省信用协会成立于2008年12月。")]


def test_contents_authors_are_used_when_the_body_has_no_byline():
    text = SYNTHETIC.replace("文 / 赵六^[1] 钱七^[2]\n", "").replace("[1] 浙江省信用中心 [2] 某大学\n", "")
    study = parse_issue(text).articles[1]
    assert study.authors == [ParsedAuthor("赵六"), ParsedAuthor("钱七")]


def test_match_key_ignores_spacing_width_and_quote_style():
    assert match_key("“信义金” 来了！") == match_key('"信义金"来了!')
    assert match_key("李克强总理在浙江考察： 让诚信者便利经营") == match_key("李克强总理在浙江考察:让诚信者便利经营")


@needs_seed
def test_windows_line_endings_and_bom_give_the_same_result(issue):
    parsed = parse_issue("\ufeff" + seed_text().replace("\n", "\r\n"))
    assert [(a.title, a.line_start, a.line_end, a.body) for a in parsed.articles] == [
        (a.title, a.line_start, a.line_end, a.body) for a in issue.articles
    ]


@needs_seed
def test_slightly_different_body_title_is_matched_with_a_warning():
    lines = seed_lines()
    assert lines[1126] == "地方信用建设推进会在杭召开"
    lines[1126] = "地方信用建设推进会在杭州召开"
    parsed = parse_issue("\n".join(lines))
    assert parsed.unplaced == []
    meeting = parsed.article("地方信用建设推进会在杭召开")
    assert (meeting.line_start, meeting.line_end) == (1127, 1155)
    assert (
        "第 1127 行：目录条目“地方信用建设推进会在杭召开”（目录第 227 行）与正文标题“地方信用建设推进会在杭州召开”近似匹配。"
        in (parsed.warnings)
    )


def test_line_printed_right_under_a_title_is_its_subtitle():
    text = SYNTHETIC.replace("新年寄语\n\n文/本刊编辑部", "新年寄语\n写给会员单位的一封信\n\n文/本刊编辑部")
    preface = parse_issue(text).articles[0]
    assert preface.subtitle == "写给会员单位的一封信"
    assert preface.authors == [ParsedAuthor("本刊编辑部", "", True)]
    assert preface.body == [("paragraph", "新的一年，我们继续推进信用建设。")]
