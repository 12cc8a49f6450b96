"""Annual reviews in the admin: KCST's own agreements' reviews, editable while a draft, read-only once
sent to the KCSP. They are started, written and decided on their own pages (annual_review.views)."""

from django.contrib import admin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import RevisionedForm
from agreements.admin_labels import LabelledInlineFormSet
from agreements.admin_scoping import OwnAgreementsOnly

from .models import AnnualReview, EvidenceNote, Proposal, Recommendation


class WhileDraft:
    """A review's parts change only while it is a draft (AnnualReview.check_editable)."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)


class DraftPartInline(WhileDraft, admin.TabularInline):
    formset = LabelledInlineFormSet
    form = RevisionedForm
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_draft)


class ProposalInline(DraftPartInline):
    model = Proposal
    fields = ["order", "item", "action", "current_keys", "new_names", "new_includes", "reasoning_html"]


class RecommendationInline(DraftPartInline):
    model = Recommendation
    fields = ["order", "text", "proposals"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only the proposals of the review on the page, not every review's.
        review_id = request.resolver_match.kwargs.get("object_id")
        kwargs["queryset"] = Proposal.objects.filter(review_id=review_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class EvidenceNoteInline(DraftPartInline):
    model = EvidenceNote
    fields = ["block", "html"]


@admin.register(AnnualReview)
class AnnualReviewAdmin(OwnAgreementsOnly, WhileDraft, SimpleHistoryAdmin):
    form = RevisionedForm
    list_display = ["title", "agreement", "cycle", "edition", "status"]
    list_filter = ["agreement", "status"]
    list_select_related = ["agreement", "cycle", "edition"]
    readonly_fields = ["agreement", "cycle", "edition", "status", "created_by", "kcsp_decision"]
    fieldsets = [
        (None, {"fields": ["agreement", "cycle", "edition", "status", "created_by"]}),
        ("The committee report", {"fields": ["by_line", "to_line", "subject", "summary_html", "background_html",
                                             "introduction_html", "process_html", "proposals_html",
                                             "delivery_html", "attachments", "contact_html"]}),
        ("The KCSP's decision", {"fields": ["kcsp_decision"]}),
    ]
    inlines = [EvidenceNoteInline, ProposalInline, RecommendationInline]

    def has_add_permission(self, request):
        # A review is started from its agreement's reviews page, which fixes its edition and cycle.
        return False

    @admin.display(description="Decision")
    def kcsp_decision(self, review: AnnualReview) -> str:
        decision = getattr(review, "decision", None)
        if decision is None:
            return "Not decided yet."
        outcomes = format_html_join(
            "", "<li>{}: {} {}</li>",
            ((o.recommendation, o.get_answer_display(), o.amendment) for o in decision.outcomes.all()),
        )
        return format_html_join("", "<p>{}, recorded by {} on {}: {}</p><ul>{}</ul>", [
            (decision, decision.recorded_by, f"{decision.recorded_at:%-d %B %Y}", decision.minute, outcomes)])
