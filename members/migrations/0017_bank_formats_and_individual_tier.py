from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

# Column names of common Chinese banks' statement exports (企业网银 明细下载). Names vary between banks and
# between versions of their online banking; each profile lists the usual ones and the secretariat adds others.
GENERIC = {
    "date_columns": "交易日期, 记账日期, 入账日期, 交易时间, 日期",
    "payer_name_columns": "对方户名, 对方账户名称, 对方单位名称, 对方名称, 对方账户名, 付款人名称, 付款人户名",
    "payer_account_columns": "对方账号, 对方账户, 付款人账号",
    "amount_columns": "贷方发生额, 贷方金额, 收入金额, 收入, 贷方",
    "note_columns": "摘要, 附言, 用途, 交易用途, 备注, 交易附言, 个性化信息",
    "serial_columns": "交易流水号, 流水号, 账户明细编号-交易流水号, 交易参考号, 凭证号",
}
PROFILES = [
    ("中国工商银行", 10, {**GENERIC, "date_columns": "交易时间, 交易日期, 记账日期, 日期",
                          "payer_name_columns": "对方单位名称, 对方户名, 对方账户名称, 对方名称"}),
    ("中国建设银行", 20, {**GENERIC, "date_columns": "交易时间, 记账日期, 交易日期, 日期",
                          "payer_name_columns": "对方户名, 对方账户名称, 对方名称"}),
    ("中国农业银行", 30, {**GENERIC, "amount_columns": "收入金额, 贷方发生额, 贷方金额, 收入",
                          "note_columns": "交易用途, 摘要, 附言, 用途, 备注"}),
    ("中国银行", 40, {**GENERIC, "payer_name_columns": "对方账户名称, 对方户名, 对方单位名称, 对方名称",
                      "amount_columns": "贷方发生额, 收入金额, 贷方金额, 收入"}),
    ("其他银行（通用）", 90, GENERIC),
]


def defaults(apps, schema_editor):
    BankProfile = apps.get_model("members", "BankProfile")
    for name, order, columns in PROFILES:
        BankProfile.objects.get_or_create(name=name, defaults={"order": order, **columns})
    IndividualTier = apps.get_model("members", "IndividualTier")
    # The texts give no amount for individual members (L1426): none until the association sets one.
    IndividualTier.objects.get_or_create(name="个人会员", defaults={"annual_dues": None, "order": 10})
    view = ["view_bankprofile", "view_bankstatement", "view_statementline", "view_individualtier",
            "view_individualmember", "view_individualduesitem", "view_individualpayment"]
    grant_model_permissions(apps, Role.SECRETARIAT, "members", view + [
        "add_bankprofile", "change_bankprofile", "add_individualtier", "change_individualtier",
        "add_individualmember", "change_individualmember", "change_paymentaccount"])
    grant_model_permissions(apps, Role.COUNCIL, "members", view)


class Migration(migrations.Migration):
    dependencies = [("members", "0016_reconciliation_and_individuals"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(defaults, migrations.RunPython.noop)]
