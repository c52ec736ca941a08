"""Pages: access (404 for others' objects), the scoring page's query budget, and the whole path through the UI."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from showcase import domain
from showcase.models import Application, EvidenceFile, ReviewRound
from tests.pdfs import need_embedded_cjk_font, render

from .conftest import PDF, pdf_file, score, upload


def test_programme_page_public(client, campaign, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("showcase:programme"))
    body = response.content.decode()
    assert response.status_code == 200
    assert campaign.title in body
    assert "诚信价值观的形成及定位" in body
    assert "3.2" in body and "否决项" in body


def test_programme_without_campaign_shows_empty_state(client, standard):
    response = client.get(reverse("showcase:programme"))
    assert "目前没有正在接受申报的创建活动" in response.content.decode()


def test_other_firm_application_and_evidence_are_404(client_for, submitted, firm_b, firm_b_user):
    evidence = EvidenceFile.objects.get(application=submitted)
    client = client_for(firm_b_user)
    assert client.get(reverse("showcase:detail", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("showcase:evidence", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("showcase:evidence_file", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("showcase:application_file", args=[submitted.pk, "form"])).status_code == 404
    assert client.get(reverse("showcase:application_file", args=[submitted.pk, "licence"])).status_code == 404


def test_own_evidence_is_served_privately(client_for, submitted, firm_a_user):
    evidence = EvidenceFile.objects.get(application=submitted)
    response = client_for(firm_a_user).get(reverse("showcase:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_unassigned_expert_gets_404(client_for, assigned, experts, items):
    outsider = experts[3]
    client = client_for(outsider)
    evidence = EvidenceFile.objects.get(application=assigned.application)
    assignment = assigned.assignments.get(expert=experts[0])
    assert client.get(reverse("showcase_admin:score", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("showcase_admin:declare", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("showcase:evidence_file", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("showcase:report_file", args=[assigned.pk])).status_code == 404


def test_expert_must_declare_before_seeing_evidence(client_for, assigned, experts):
    client = client_for(experts[0])
    assignment = assigned.assignments.get(expert=experts[0])
    evidence = EvidenceFile.objects.get(application=assigned.application)
    response = client.get(reverse("showcase_admin:score", args=[assignment.pk]))
    assert response.status_code == 302 and response.url == reverse("showcase_admin:declare", args=[assignment.pk])
    assert client.get(reverse("showcase:evidence_file", args=[evidence.pk])).status_code == 404
    response = client.post(reverse("showcase_admin:declare", args=[assignment.pk]), {"answer": "yes", "note": "曾任顾问"})
    assert response.status_code == 302
    assert client.get(reverse("showcase_admin:score", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("showcase:evidence_file", args=[evidence.pk])).status_code == 404


def test_wrong_role_is_refused(client_for, submitted, expert, agency):
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message."""
    for user, name in ((expert, "showcase_applications:index"), (agency, "showcase_admin:workload"),
                       (agency, "showcase_admin:my_assignments")):
        response = client_for(user).get(reverse(name))
        assert (response.status_code, response.url) == (302, "/admin/"), name


def test_experts_do_not_see_others_scores_before_submitting(client_for, assigned, experts, items, levels):
    score(assigned, experts[0], items, levels, **{"1_1": "不符合"})
    client = client_for(experts[1])
    assignment = assigned.assignments.get(expert=experts[1])
    domain.declare_conflict(assignment=assignment, user=experts[1], has_conflict=False)
    body = client.get(reverse("showcase_admin:score", args=[assignment.pk])).content.decode()
    assert "评审组汇总（匿名）" not in body
    assert "材料不足" not in body  # the first expert's comment
    score(assigned, experts[1], items, levels)
    body = client.get(reverse("showcase_admin:score", args=[assignment.pk])).content.decode()
    assert "评审组汇总（匿名）" in body
    assert experts[0].display_name not in body  # the aggregate is anonymous


@pytest.mark.parametrize("n_files", [1, 40])
def test_scoring_page_query_budget(client_for, assigned, experts, items, firm_a_user, n_files,
                                   django_assert_max_num_queries):
    application = assigned.application
    for i in range(n_files):
        EvidenceFile.objects.create(application=application, item=items[i % 11], original_name=f"f{i}.pdf",
                                    uploaded_by=firm_a_user, file=pdf_file())
    assignment = assigned.assignments.get(expert=experts[0])
    domain.declare_conflict(assignment=assignment, user=experts[0], has_conflict=False)
    client = client_for(experts[0])
    client.get(reverse("showcase_admin:score", args=[assignment.pk]))  # warm caches (menus, settings)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("showcase_admin:score", args=[assignment.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("/showcase/files/evidence/") == n_files + 1


def test_staff_pages_render(client_for, assigned, secretariat, agency, experts, items, levels):
    for expert in experts[:3]:
        score(assigned, expert, items, levels)
    client = client_for(secretariat)
    for name, args in [("showcase_admin:dashboard", []), ("showcase_applications:index", []),
                       ("showcase_admin:application", [assigned.application_id]), ("showcase_admin:workload", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    body = client.get(reverse("showcase_admin:application", args=[assigned.application_id])).content.decode()
    assert "记录验收结论" in body and "100.00" in body
    assert client.get(reverse("showcase_standard:index")).status_code == 200
    assert client.get(reverse("showcase_campaign:index")).status_code == 200
    assert client_for(agency).get(reverse("showcase_admin:dashboard")).status_code == 200


def test_frozen_standard_edit_is_read_only(client_for, assigned, experts, items, levels, secretariat, standard):
    score(assigned, experts[0], items, levels, submit=False)
    client = client_for(secretariat)
    url = reverse("showcase_standard:edit", args=[standard.pk])
    assert "只读" in client.get(url).content.decode()
    client.post(url, {"version": "改", "title": "改", "pass_threshold": "60", "min_experts": "1", "divergence_levels": "2"})
    standard.refresh_from_db()
    assert (standard.version, standard.pass_threshold) == ("2019版", 80)
    response = client.post(reverse("showcase_admin:copy_standard", args=[standard.pk]))
    assert response.status_code == 302


def test_commitment_pdf_renders_chinese(client_for, draft, firm_a_user, tmp_path):
    response = client_for(firm_a_user).get(reverse("showcase:commitment_pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    need_embedded_cjk_font()
    image = render(response.content, dpi=40)
    width, height = image.size
    title = image.crop((0, 0, width, height // 6))  # the title 信用承诺书
    dark = sum(1 for px in title.getdata() if px < 128)
    assert dark > 100


def test_full_path_through_the_ui(client, make_user, make_organisation, campaign, agency, secretariat, experts,
                                  items, levels, django_capture_on_commit_callbacks):
    firm_user = make_user(email="new-firm@example.com", name="新企业")
    make_organisation(users=[firm_user], name="浙江新示范有限公司", established_on=datetime.date(2015, 5, 5))
    client.force_login(firm_user)
    assert client.get(reverse("showcase:apply")).status_code == 200
    response = client.post(reverse("showcase:apply"))
    application = Application.objects.get(created_by=firm_user)
    assert response.url == reverse("showcase:edit", args=[application.pk])
    form = {"legal_representative": "王五", "registered_address": "杭州", "contact_person": "王五",
            "contact_phone": "0571-1", "contact_email": "a@example.com", "is_independent_legal_person": "on",
            "main_business": "制造", "staff_count": "120", "revenue_year1": "100", "revenue_year2": "120",
            "revenue_year3": "150", "credit_department": "信用管理部", "summary": "制度健全", "honours": "",
            "licence_upload": upload("执照.pdf")}
    response = client.post(reverse("showcase:edit", args=[application.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("showcase:commitment", args=[application.pk]),
                {"signer": "王五", "signer_title": "总经理", "accept": "on"})
    for item in items[:3]:
        client.post(reverse("showcase:evidence", args=[application.pk]),
                    {"item": item.pk, "file": upload(f"{item.code}.pdf"), "note": "材料"})
    assert application.evidence.count() == 3
    assert client.get(reverse("showcase:submit", args=[application.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("showcase:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    client.force_login(agency)
    client.post(reverse("showcase_admin:preliminary", args=[application.pk]), {"outcome": "pass", "text": "", "not_credit_agency": "on"})
    assessment = {"assessed_on": timezone.localdate().isoformat(), "advice": "完善制度",
                  f"finding_{items[5].pk}": "部门职责不清"}
    client.post(reverse("showcase_admin:assessment", args=[application.pk]), assessment)
    client.post(reverse("showcase_admin:public_credit", args=[application.pk]),
                {"result": "优", "looked_up_on": timezone.localdate().isoformat()})
    client.post(reverse("showcase_admin:report", args=[application.pk]), {"report": upload("评估报告.pdf"), "summary": "达标"})
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTANCE
    review_round = ReviewRound.objects.get(application=application)

    client.force_login(secretariat)
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    client.post(reverse("showcase_admin:assign", args=[review_round.pk]),
                {"experts": [e.pk for e in experts[:3]], "scoring_deadline": deadline})
    assert review_round.assignments.count() == 3

    assignments = list(review_round.assignments.order_by("pk"))
    for n, assignment in enumerate(assignments):
        client.force_login(assignment.expert)
        client.post(reverse("showcase_admin:declare", args=[assignment.pk]), {"answer": "no"})
        data = {"overall_comment": "良好", "action": "submit_next"}
        for item in items:
            level = "基本符合" if (item.code == "1.4" and n == 0) else "符合"
            data[f"level_{item.pk}"] = levels[level].pk
            data[f"comment_{item.pk}"] = "公益材料偏少" if level != "符合" else ""
        response = client.post(reverse("showcase_admin:score", args=[assignment.pk]), data)
        assert response.status_code == 302
    assert review_round.assignments.filter(sheet__status="submitted").count() == 3

    client.force_login(secretariat)
    client.post(reverse("showcase_admin:decide", args=[review_round.pk]),
                {"result": "accepted", "decided_on": timezone.localdate().isoformat(), "note": ""})
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED

    client.force_login(firm_user)
    body = client.get(reverse("showcase:detail", args=[application.pk])).content.decode()
    assert "通过验收" in body and "公益材料偏少" in body and "99.00" in body
    for expert in experts[:3]:
        assert expert.display_name not in body
