"""training's reads (access-checked, audited for personal data); assessments may read these.

Written so far:

- ``framework_usage.training_items_using``: the frameworks usage checker.

Planned modules: ``courses`` (courses, sessions, programmes, cohorts of a 団体
for an actor; next dated session of a course or phase, for certification's
``next_chance``), ``enrolments`` (an actor's visible enrolments, the 所属長's
推薦 list, quota use per unit), ``attendance`` (per session and per staff),
``completion_facts`` (per-staff completed phases/courses, hours and first
enrolment FY in a few queries, for the certification engine in assessments),
``audiences`` (who a Course.audience_rule selects in a 年度), ``metrics``
(enrolled, completed, hours per programme/course/FY for core.metrics).
"""

from hagukumi.training.selectors.framework_usage import training_items_using

__all__ = ["training_items_using"]
