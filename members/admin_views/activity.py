"""Activities the secretariat records by hand (meetings, forums, trainings outside the events module).

They count for the activity rule (a year without any lapses a membership) with attended events.
"""

from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import ActivityRecord


class ActivityCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class ActivityRecordViewSet(ModelViewSet):
    model = ActivityRecord
    icon = "date"
    menu_label = gettext_lazy("Activity records")
    add_view_class = ActivityCreateView
    copy_view_enabled = False
    form_fields = ["organisation", "on", "kind", "title", "note"]
    list_display = [
        DateColumn("on", label=gettext_lazy("Date")),
        Column("organisation", label=gettext_lazy("Unit"), accessor="organisation"),
        Column("get_kind_display", label=gettext_lazy("Kind of activity")),
        "title",
        Column("recorded_by", label=gettext_lazy("Recorded by"), accessor="recorded_by"),
    ]
    list_filter = ["kind", "on"]
    search_fields = ["title", "note", "organisation__name"]
    search_backend_name = None
    ordering = ["-on", "-pk"]
    list_export = ["on", "organisation", "get_kind_display", "title", "note", "recorded_by"]
    export_filename = "activity-records"

    def get_queryset(self, request):
        return ActivityRecord.objects.select_related("organisation", "recorded_by")
