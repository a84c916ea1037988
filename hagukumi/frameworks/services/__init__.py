"""Writes on frameworks: template loading, adoption, versions, draft edits, skill-map import.

One module per feature; every public name is re-exported here, so callers keep
importing `hagukumi.frameworks.services`:

- `templates`: reading and loading the shipped templates (`frameworks/data/*.toml`,
  operator only), adopting one into a 団体 (`framework_adopt`);
- `versions`: a framework from scratch, replacing a draft's whole content,
  publishing, a new draft copied from the latest published version;
- `draft_edits`: the browser's item-by-item edits of a draft (`talent_type_save`,
  `individual_level_move`, …);
- `skill_map`: behaviours of competency levels from a file (all rows or none);
- `common`: what they share (who may edit, writing and replacing a content).

Versioning rules:
- A version is a draft (editable) or published (frozen). A framework has at most
  one draft; `framework_version_new_draft` copies the latest published version
  into draft v(n+1).
- Templates (`is_template`) are reference data and are always published;
  reloading a changed file publishes v(n+1), older versions stay (adopted copies
  cite them through `Framework.adopted_from`).
- Every write validates the whole content first (`content.content_errors`) and
  runs in one transaction, so nothing is half-saved.
- Each draft edit changes one item found by its stable code and writes the whole
  content back through `common._content_replace`, which also refuses removing an
  item that another app still uses (`frameworks.usage` checkers). Items are
  re-created on every write: other apps refer to them by (framework, code)
  (docs/adr/0006).
- `actor: Actor` is required everywhere; the command line acts as
  `Actor.command_line(organization)` and template loading as `Actor.system()`.
"""

from hagukumi.frameworks.services.common import EDITOR_ROLES
from hagukumi.frameworks.services.draft_edits import (
    COMPETENCY_FIELDS,
    LEVEL_FIELDS,
    TALENT_TYPE_FIELDS,
    ContentEdit,
    competency_level_remove,
    competency_level_save,
    competency_remove,
    competency_save,
    framework_draft_edit,
    individual_level_move,
    individual_level_remove,
    individual_level_save,
    talent_type_remove,
    talent_type_save,
)
from hagukumi.frameworks.services.skill_map import skill_map_import
from hagukumi.frameworks.services.templates import (
    TEMPLATE_DIR,
    TemplateChange,
    framework_adopt,
    framework_templates_load,
    national_organization,
    template_content_read,
)
from hagukumi.frameworks.services.versions import (
    framework_create,
    framework_version_new_draft,
    framework_version_publish,
    framework_version_update,
)

__all__ = [
    "COMPETENCY_FIELDS",
    "EDITOR_ROLES",
    "LEVEL_FIELDS",
    "TALENT_TYPE_FIELDS",
    "TEMPLATE_DIR",
    "ContentEdit",
    "TemplateChange",
    "competency_level_remove",
    "competency_level_save",
    "competency_remove",
    "competency_save",
    "framework_adopt",
    "framework_create",
    "framework_draft_edit",
    "framework_templates_load",
    "framework_version_new_draft",
    "framework_version_publish",
    "framework_version_update",
    "individual_level_move",
    "individual_level_remove",
    "individual_level_save",
    "national_organization",
    "skill_map_import",
    "talent_type_remove",
    "talent_type_save",
    "template_content_read",
]
