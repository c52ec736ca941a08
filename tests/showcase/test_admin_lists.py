"""The staff lists in the admin are generic viewsets: filters, search, export; rows open the application's page."""

from django.urls import reverse

from portal.accounts.roles import Role
from portal.organisations.models import Organisation


def test_applications_list_filters_searches_and_exports(client_for, submitted, secretariat, draft_b=None):
    client = client_for(secretariat)
    url = reverse("showcase_applications:index")
    page = client.get(url, {"status": "submitted"}).content.decode()
    assert submitted.number in page
    assert reverse("showcase_admin:application", args=[submitted.pk]) in page
    assert submitted.number not in client.get(url, {"status": "accepted"}).content.decode()
    assert submitted.number in client.get(url, {"q": submitted.credit_code}).content.decode()
    export = client.get(url, {"export": "csv"})
    assert export.status_code == 200
    assert submitted.number in b"".join(export.streaming_content).decode("utf-8-sig")


def test_another_campaigns_agency_does_not_list_the_application(client_for, submitted, campaign, make_user,
                                                                make_organisation):
    campaign.agency = make_organisation(unit_type=Organisation.UnitType.CREDIT_AGENCY, name="指定机构")
    campaign.save()
    outsider = make_user(Role.AGENCY)
    make_organisation(users=[outsider], unit_type=Organisation.UnitType.CREDIT_AGENCY, name="其他机构")
    page = client_for(outsider).get(reverse("showcase_applications:index")).content.decode()
    assert submitted.number not in page
