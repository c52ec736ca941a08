"""信用示范会员单位 (credit demonstration member unit) programme: data, one module per concept.

- `standard`: the acceptance standard is versioned data (`Standard` → `StandardGroup` → `StandardItem`,
  `RatingLevel`); a version is frozen as soon as a score uses it.
- `campaigns`: a `Campaign` (one per year, or rolling) collects applications; `ParticipationBan` records
  the ban after a revocation (`is_banned`).
- `applications`: a unit's `Application`, its evidence, timeline (`ApplicationEvent`) and the agency's
  stage assessments and public credit record. Every state change goes through `showcase.workflows`.
- `rules`: the programme's configurable periods and limits (`ShowcaseRules`, a Wagtail setting).
- `review`: expert scoring happens in a `ReviewRound` (initial acceptance, or a later re-review 复核) through
  `ExpertAssignment` → `ScoreSheet` → `Rating`; aggregation is in `showcase.scoring`.
"""

from portal.core.uploads import private_files

from .applications import (
    Application,
    ApplicationEvent,
    AssessmentFinding,
    EvidenceFile,
    PublicCreditRecord,
    StageAssessment,
    SubmittedForm,
)
from .campaigns import DEFAULT_COMMITMENT, Campaign, ParticipationBan, ban_in_force, is_banned
from .dates import add_years
from .review import ExpertAssignment, Rating, ReviewRound, ScoreSheet
from .rules import ShowcaseRules, rules
from .standard import RatingLevel, Standard, StandardFrozen, StandardGroup, StandardItem, items_of

__all__ = [
    "DEFAULT_COMMITMENT", "Application", "ApplicationEvent", "AssessmentFinding", "Campaign", "EvidenceFile",
    "ExpertAssignment", "ParticipationBan", "PublicCreditRecord", "Rating", "RatingLevel", "ReviewRound",
    "ScoreSheet", "ShowcaseRules", "StageAssessment", "Standard", "StandardFrozen", "StandardGroup", "StandardItem", "SubmittedForm", "add_years",
    "ban_in_force", "is_banned", "items_of", "private_files", "rules",
]
