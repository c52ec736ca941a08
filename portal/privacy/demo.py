"""The demo's 《隐私政策》 and 《用户协议》: what this portal actually collects, why, for how long, and how people
exercise their rights. Editors maintain the real ones in the admin (they are ordinary pages)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from portal.core.models import AssociationContact, HomePage

from .consent import ALL_KINDS, current_documents, record_consent
from .models import Consent, DocumentKind, LegalDocumentPage, RetentionRules

EFFECTIVE = datetime.date(2026, 12, 1)


def privacy_policy(contact: AssociationContact, rules: RetentionRules) -> str:
    years = {"objector": _years(rules.objector_contact_days), "rejected": _years(rules.rejected_application_contact_days)}
    return f"""
<p>浙江省信用协会（以下简称“协会”或“我们”）运营本网站（{contact.website}，以下简称“本网站”），为会员单位及其工作人员、
申报单位、评审专家和社会公众提供《信用浙江》阅读、入会与会费、会员服务、信用示范会员单位申报与公示等服务。
我们依据《中华人民共和国个人信息保护法》《中华人民共和国网络安全法》《中华人民共和国数据安全法》等法律法规处理个人信息，
并通过本政策说明我们收集哪些个人信息、为什么收集、保存多久，以及您如何行使您的权利。</p>

<h2>一、我们收集哪些个人信息</h2>
<h3>1. 注册和登录</h3>
<p>注册账号时，我们收集您的<b>电子邮箱</b>和<b>密码</b>（仅保存不可逆的加密摘要），并向您的邮箱发送验证邮件。
您可以填写<b>姓名或称呼</b>。我们记录注册时间和最近一次登录时间。协会工作人员和评审专家账号还会保存您设置的
<b>双重认证（动态口令）密钥</b>和恢复码。缺少电子邮箱和密码，我们无法为您开设账号。</p>
<h3>2. 代表单位办理业务</h3>
<p>您代表单位办理入会、会员服务或信用示范会员单位申报时，我们收集单位信息（单位名称、统一社会信用代码、法定代表人、
成立日期、注册地址、网址），其中<b>联系人姓名、联系电话、联系邮箱</b>属于个人信息；并保存您上传的入会申请函、
营业执照复印件、申报表、信用承诺书（含<b>签署人姓名及职务</b>）和证明材料。证明材料中可能含有单位员工的个人信息，
请您仅上传申报所需的内容，并在上传前取得相关人员的同意。我们记录您与单位之间的关联关系，以便您为该单位办理业务。</p>
<h3>3. 会员服务与活动</h3>
<p>申请会员服务时，我们收集您填写的<b>联系人姓名、电话、邮箱、首选联系方式</b>和留言；报名协会活动时，我们记录报名单位、
参加人数、备注和出席情况。</p>
<h3>4. 公示期间提出异议</h3>
<p>任何人对公示中的单位提出异议时，须实名提交<b>姓名</b>、<b>联系电话或电子邮箱</b>、与被公示单位的关系、异议内容和证据材料，
我们同时记录提交时的<b>网络地址（IP）</b>，用于核实情况、告知处理结果和防止滥用。异议人信息仅由秘书处调查人员查看，
不向被异议单位或社会公开。</p>
<h3>5. 评审专家</h3>
<p>评审专家的姓名、电子邮箱、利益冲突声明、评分和评审意见，用于组织评审和留存评审依据。</p>
<h3>6. 通知邮件和操作记录</h3>
<p>我们通过电子邮件向您发送验证、审核进度和结果等通知，并保存发送记录（收件人、标题和正文）。
为保障网络安全，我们依法记录账号的重要操作（时间、内容、<b>网络地址</b>），协会工作人员查看或导出他人个人信息的行为同样被记录。</p>
<h3>7. Cookie</h3>
<p>本网站仅使用保持登录状态、防止跨站请求伪造和记住语言选择所必需的 Cookie，不使用第三方统计、广告或社交网络插件，
也不从第三方网站加载头像等资源。</p>

<h2>二、我们如何使用个人信息</h2>
<p>我们仅为以下目的处理您的个人信息：开设和保护您的账号；办理入会、会费、会员服务、活动和信用示范会员单位申报、评审、公示、
授牌及复审；调查和答复异议；向您发送与所办理事项有关的通知；履行法律法规规定的义务（例如网络日志留存）。
我们不会将您的个人信息用于营销，也不会进行自动化决策。超出上述目的使用时，我们会另行征得您的同意。</p>

<h2>三、我们如何共享、转让和公开个人信息</h2>
<ul>
<li>您申请会员服务时，我们将您填写的联系人信息和留言提供给<b>您选择的服务机构</b>，以便其与您联系；
服务机构仅可为提供该项服务使用这些信息。</li>
<li>信用示范会员单位申报材料由协会委托的<b>第三方评估机构</b>和被指派的<b>评审专家</b>在评审所需范围内查阅，
他们均对评审材料负有保密义务；与申报单位存在利益冲突的专家不会看到材料。</li>
<li>公示、名录和证书验证页面仅公开单位名称、统一社会信用代码、所在地区和称号状态，不公开任何个人信息。</li>
<li>除法律法规另有规定或有权机关依法要求外，我们不会向其他任何第三方提供、转让或公开您的个人信息。</li>
</ul>

<h2>四、存储地点和保存期限</h2>
<p>您的个人信息存储在中华人民共和国境内，不向境外提供。我们只在实现目的所必需的期限内保存个人信息，期满后删除或匿名化处理：</p>
<ul>
<li>账号信息：保存至您注销账号；注册后 {rules.unverified_account_days} 天内未验证邮箱的账号将被删除；</li>
<li>异议人的姓名、联系方式和网络地址：异议处理完毕后保存 {years["objector"]}；</li>
<li>被驳回或未通过申报、申请中的联系人信息：作出决定后保存 {years["rejected"]}；</li>
<li>通知邮件的正文和收件人：发送后保存 {rules.outbound_email_days} 天；</li>
<li>会员档案、会费收据、评审和表彰决定、操作日志：作为协会档案长期保存，注销账号后其中不再显示您的姓名、电话和邮箱，
仅以化名指代；网络日志依法留存不少于六个月。</li>
</ul>

<h2>五、我们如何保护个人信息</h2>
<p>我们采用加密传输（HTTPS）、密码加密存储、工作人员双重认证、按角色授权、上传文件仅经权限校验后提供、
查看和导出个人信息留痕审计等措施，并定期备份数据。如发生个人信息安全事件，我们将依法采取补救措施，
并及时告知您和向主管部门报告。</p>

<h2>六、您的权利</h2>
<p>登录后，您可以在“我的账号 → 个人信息”（/account/privacy/）中：</p>
<ul>
<li><b>查阅、复制</b>：查看我们持有的您的个人信息，并下载副本（JSON 或网页格式）；</li>
<li><b>更正、补充</b>：修改姓名、电子邮箱（新邮箱需验证）和单位信息；已提交的申请可联系秘书处更正；</li>
<li><b>注销账号</b>：验证密码后即可注销。注销后您的账号无法恢复，姓名、邮箱、密码、双重认证和单位关联将被删除，
协会档案中以化名代替。如您有正在审核的申请、正在调查的异议或未完成的评审任务，注销将在这些事项办结后自动完成；</li>
<li><b>撤回同意</b>：您可以通过注销账号撤回同意；撤回不影响此前基于同意已进行的处理；</li>
<li><b>要求解释说明</b>：您可以就本政策和个人信息处理规则向我们提出询问。</li>
</ul>
<p>您也可以通过下方联系方式提出请求。我们将在核验您的身份后十五个工作日内答复。</p>

<h2>七、未成年人</h2>
<p>本网站面向单位及其工作人员和成年公众，不面向未满十四周岁的未成年人提供服务。</p>

<h2>八、本政策的更新</h2>
<p>本政策更新时，我们会在本页公布新版本和生效日期。涉及处理目的、方式或个人信息种类等重要变更的，
您将在下次登录时看到更新内容，并需重新确认同意。</p>

<h2>九、联系我们</h2>
<p>个人信息保护事务由协会秘书处负责。{contact.name}，地址：{contact.address}（邮编 {contact.postcode}），
电话：{contact.phone}，电子邮箱：{contact.email}。</p>
"""


def user_agreement(contact: AssociationContact) -> str:
    return f"""
<p>欢迎使用浙江省信用协会网站（{contact.website}）。本协议是您与浙江省信用协会（以下简称“协会”）之间就注册和使用
本网站账号所订立的协议。请您在注册前仔细阅读本协议和《隐私政策》；勾选同意即表示您接受本协议的全部内容。</p>

<h2>一、服务内容</h2>
<p>本网站提供《信用浙江》期刊阅读与检索、入会申请与会费管理、会员服务与活动报名、信用示范会员单位申报、评审、公示和证书验证等服务。
协会可根据工作需要调整服务内容，并在网站上公告。</p>

<h2>二、账号注册与使用</h2>
<ol>
<li>您应使用本人有效的电子邮箱注册并完成验证，设置足够强度的密码，并妥善保管账号和密码；因您保管不善造成的损失由您承担。</li>
<li>您代表单位办理业务的，应当取得该单位的授权，并保证所填报的单位信息、联系人信息和上传材料真实、准确、完整、合法。</li>
<li>账号仅限本人使用，不得出借、转让或出售。发现账号被盗用时，请立即修改密码并通知秘书处。</li>
</ol>

<h2>三、使用规范</h2>
<p>您不得利用本网站：提交虚假或伪造的申报、证明材料或异议；冒用他人或其他单位的名义；上传含有违法内容、恶意程序或侵犯他人权益的文件；
干扰网站正常运行或绕过访问控制；批量抓取网站数据。提交虚假材料的，协会可依照相关办法取消申报资格或撤销称号，并依法追究责任。
您作出的信用承诺应当遵守。</p>

<h2>四、知识产权</h2>
<p>《信用浙江》期刊文章及本网站内容的著作权归协会或原作者所有。个人学习、研究可以合理引用并注明出处；
其他使用须事先取得协会书面许可。</p>

<h2>五、个人信息</h2>
<p>协会按照《隐私政策》处理您的个人信息。您可以随时查阅、复制、更正您的个人信息，或注销账号。</p>

<h2>六、免责</h2>
<p>协会尽力保障网站持续、安全运行，但因系统维护、网络故障、不可抗力等原因造成服务中断的，协会将及时恢复，不承担由此产生的间接损失。
网站中服务机构提供的服务由服务机构自行负责，协会不对其服务结果作出保证。</p>

<h2>七、协议的变更与终止</h2>
<p>本协议变更时，协会将在本页公布新版本；涉及您重要权利义务的变更，您将在下次登录时看到并需重新确认。
您可以随时注销账号终止本协议；您严重违反本协议的，协会可以暂停或终止向您提供服务。</p>

<h2>八、法律适用与争议解决</h2>
<p>本协议适用中华人民共和国法律。因本协议发生的争议，双方应友好协商；协商不成的，提交协会住所地有管辖权的人民法院诉讼解决。</p>

<h2>九、联系方式</h2>
<p>{contact.name}，地址：{contact.address}，电话：{contact.phone}，电子邮箱：{contact.email}。</p>
"""


def _joined(html: str) -> str:
    """The source's line breaks would show as spaces between Chinese characters: join the lines."""
    return "".join(line.strip() for line in html.strip().splitlines())


def _years(days: int) -> str:
    return f"{days // 365} 年" if days % 365 == 0 else f"{days} 天"


DOCUMENTS = [
    {"kind": DocumentKind.PRIVACY, "title": "隐私政策", "slug": "privacy-policy"},
    {"kind": DocumentKind.TERMS, "title": "用户协议", "slug": "user-agreement"},
]


def ensure_documents() -> list[LegalDocumentPage]:
    """Create and publish the two documents under the home page (idempotent: existing ones are kept)."""
    home = HomePage.objects.first()
    if home is None:
        return []
    contact, rules = AssociationContact.load(), RetentionRules.load()
    pages = []
    for spec in DOCUMENTS:
        page = LegalDocumentPage.objects.filter(kind=spec["kind"]).first()
        if page is None:
            body = privacy_policy(contact, rules) if spec["kind"] == DocumentKind.PRIVACY else user_agreement(contact)
            page = LegalDocumentPage(title=spec["title"], slug=spec["slug"], kind=spec["kind"], version=1,
                                     effective_date=EFFECTIVE, body=_joined(body))
            home.add_child(instance=page)
            page.save_revision().publish()
        pages.append(page)
    return pages


def load_privacy_demo(demo) -> None:
    with transaction.atomic():
        pages = ensure_documents()
        # The demo accounts were created by the loaders (they agreed when the association set them up).
        current = current_documents()
        for user in get_user_model().objects.filter(email__endswith="@demo.zjxyxh.org", is_active=True):
            agreed = set(Consent.objects.filter(user=user).values_list("kind", "version"))
            missing = [k for k in ALL_KINDS if k in current and (k, current[k].version) not in agreed]
            if missing:
                record_consent(kinds=missing, context=Consent.Context.SIGNUP, user=user)
    if pages:
        demo.say(f"Privacy: {', '.join(p.title for p in pages)} at {', '.join(p.get_url() or p.url_path for p in pages)}")
