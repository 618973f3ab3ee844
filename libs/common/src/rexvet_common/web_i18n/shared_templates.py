"""The templates every package's pages share (`rexvet_common/language_switch.html`), found after the package's own.

A package builds its environments from `with_shared_templates(its_loader)`; its own templates keep their names.
"""

from __future__ import annotations

from jinja2 import BaseLoader, ChoiceLoader, PackageLoader


def with_shared_templates(loader: BaseLoader) -> ChoiceLoader:
    return ChoiceLoader([loader, PackageLoader("rexvet_common.web_i18n", "templates")])
