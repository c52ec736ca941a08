"""The eight service contents of the 服务工作通知 (seed L1165–L1195), and the secretariat's permissions."""

from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

CATEGORIES = [
    (1, "showcase", "展示企业（单位）诚信建设成果",
     "借助国家、省市有关媒体，为会员单位提供展示诚信建设成果平台，提高知名度，推动企业（单位）树形象、上规模，创品牌。"),
    (2, "credit", "提供企业信用服务",
     "委托第三方信用服务机构为会员单位提供多样化的企业信用服务，包括开展企业信用管理咨询、企业主体信用评价、"
     "建立企业信用画像、评估企业信用风险、推广企业信用品牌等，帮助企业提升信用管理能力。"),
    (3, "management", "提升企业经营管理能力",
     "为会员单位提供设计和建立健全财务会计、财务管理、内部控制、生产经营管理、人事管理等制度，提升企业管理人员素质和能力，"
     "降低成本费用、实现企业经济效益的提高。"),
    (4, "tax", "辅导企业进行税务筹划",
     "依托专业的注册会计师、注册税务师团队，对企业经营和纳税情况进行分析，对税务政策进行解读介绍，"
     "从增值税、所得税、社保费、各类附加税等方面提供整体纳税筹划方案。"),
    (5, "policy", "宣传辅导政府有关企业优惠、扶持政策",
     "为会员单位提供政府有关鼓励创业就业、支持实体经济、扶持小微企业、奖励创新研发、推行减费降负等方面优惠和扶持政策的宣传辅导，"
     "指导相关单位结合各地、各行业情况开展申报和实施。"),
    (6, "certification", "提供企业认证评价服务",
     "为会员单位提供专业、权威、独立、公正和客观的企业认证服务，包括质量管理体系（QMS）、环境管理体系（EMS）、"
     "职业健康安全管理体系（OHSMS）、石油天然气工业健康、安全与环境管理体系认证（YS/T6276）、"
     "中石化安全、环境与健康管理体系（HSE）等产品认证。通过认证不断提高企业产品质量和管理水平，获得更好的效益。"),
    (7, "legal", "提供企业法律咨询服务",
     "提供日常法律咨询；帮助企业建立规范化管理制度，防止和规避企业法律风险；为高成长性和科技型企业提供融资、"
     "政策扶持和税收优惠等居间服务；担任企业、个人常年法律顾问；代理各类诉讼和仲裁案件。"),
    (8, "credit-repair", "开展企业信用修复咨询", "为会员单位提供企业信用修复的有关政策和流程方面的咨询服务。"),
]

SECRETARIAT_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("servicecategory", "provider", "serviceitem", "event", "eventregistration")
    for action in ("add", "change", "delete", "view")
] + ["view_servicerequest", "change_servicerequest", "view_servicerequesthistory"]


def load(apps, schema_editor):
    Category = apps.get_model("services", "ServiceCategory")
    for number, code, name, description in CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={"number": number, "name": name, "description": description})
    grant_model_permissions(apps, Role.SECRETARIAT, "services", SECRETARIAT_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
