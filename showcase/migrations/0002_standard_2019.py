"""Load the acceptance standard 2019 (L1276–L1293) with the default scoring (SPEC §4)."""

from decimal import Decimal

from django.db import migrations

VERSION = "2019版"
GROUPS = [
    (1, "企业诚信文化建设与社会责任", Decimal("6"), [
        ("1.1", "诚信价值观的形成及定位",
         "内部形成诚信文化，明确诚信价值观定位，企业发展纲要文件包含了诚信文化建设方针目标并实施的完整阐述"),
        ("1.2", "诚信文化的理念培养", "近三年已经在诚信文化理念等方面开展培训与灌输活动方案、文件、执行记录等教育活动证明"),
        ("1.3", "诚信建设活动内外部公开", "在企业网站、刊物或社交媒体，宣传企业诚信建设活动，提供企业诚信相关典型案例证明"),
        ("1.4", "社会公益事业与精神文明创建举措", "如社会公益慈善事业捐助，解决残疾人、退伍军人就业证明以及相关荣誉证书证明"),
        ("1.5", "公开信用承诺制", "企业向社会公开信用承诺（公开方式如企业网站、刊物等）"),
    ]),
    (2, "信用管理建设", Decimal("8"), [
        ("2.1", "信用管理组织架构及职能设置", "设置专门部门或者职能，并配备专职或者兼职人员"),
        ("2.2", "信用管理制度建设", "已经建立信用管理相关的政策、相关制度体系证明材料"),
        ("2.3a", "信用管理应用——相关信用管理制度的执行",
         "信用管理政策、制度运行及时，有完整反映制度执行的材料总结、效果评估等证明文件"),
        ("2.3b", "信用管理应用——外部信用工具运用", "注重企业及个人信用记录使用，在供应商选择、人员招聘等经营管理过程中运用信用记录"),
        ("2.4", "信用管理相关工作经费的投入", "近三年有信用管理相关工作经费投入"),
    ]),
    (3, "信用记录", Decimal("10"), [
        ("3.1", "金融领域征信记录", "单位可在金融机构征信记录证明（可到当地中国人民银行或者信贷金融机构出具）"),
        ("3.2", "企业在政府公共信用信息系统信用记录",
         "根据浙江省信用建设531X工程《五类主体公共信用评价方案》中企业主体评价，查询企业在浙江省政务服务网企业信用信息系统"
         "综合信用评分结果（此项由信用服务机构查询）"),
        ("3.3", "诚信信誉及社会声誉", "近三年有获得政府部门颁发的诚信相关荣誉记录"),
    ]),
]
VETO = {"3.1", "3.2"}
AGENCY = {"3.2"}
LEVELS = [("符合", Decimal("1"), False), ("基本符合", Decimal("0.5"), True), ("不符合", Decimal("0"), True)]


def load(apps, schema_editor):
    Standard = apps.get_model("showcase", "Standard")
    StandardGroup = apps.get_model("showcase", "StandardGroup")
    StandardItem = apps.get_model("showcase", "StandardItem")
    RatingLevel = apps.get_model("showcase", "RatingLevel")
    standard, created = Standard.objects.get_or_create(
        version=VERSION,
        defaults={"title": "创建信用示范会员单位验收标准", "pass_threshold": Decimal("80"), "min_experts": 3,
                  "divergence_levels": 2,
                  "notes": "《创建信用示范会员单位验收标准（2019年版）》；评分规则为协会默认规则：每项由专家评定"
                           "符合（满分）、基本符合（半分）或不符合（零分），第一组每项6分、第二组每项8分、第三组每项10分，"
                           "合计100分；3.1、3.2为否决项，须经多数评分专家评定为符合。"},
    )
    if not created:
        return
    for order, (name, fraction, comment_required) in enumerate(LEVELS):
        RatingLevel.objects.create(standard=standard, name=name, fraction=fraction,
                                   comment_required=comment_required, sort_order=order)
    for number, title, weight, items in GROUPS:
        group = StandardGroup.objects.create(standard=standard, number=number, title=title)
        for order, (code, item_title, evidence) in enumerate(items):
            StandardItem.objects.create(group=group, code=code, title=item_title, evidence=evidence, weight=weight,
                                        is_veto=code in VETO, entered_by_agency=code in AGENCY, sort_order=order)


def unload(apps, schema_editor):
    apps.get_model("showcase", "Standard").objects.filter(version=VERSION, campaigns__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("showcase", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
