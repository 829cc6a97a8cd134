"""Rendering of the Casebook site, independent of the site generator.

Everything here turns a loaded knowledge base into HTML strings with Jinja2
templates (``templates/pages/``): the fact box and notices of a case, the
relations (related cases, building blocks and where they are used, the cases of
an organisation) and the generated pages (home, an overview per kind, a page
per facet value in use, the organisation index). The MkDocs adapters under
``casebook.mkdocs_plugins`` only decide *when* to call these functions.

Every structured value is shown through its vocabulary label in the page's
language; which vocabulary a field uses is read from the JSON Schema
(``x-vocabulary``), so nothing here restates the content model.

Links are relative to the page, and every language site has the same layout
below its own root (``/`` or ``/en/``), so one rendering works for both.
"""

from casebook.site.factbox import FactBoxes
from casebook.site.generated import GeneratedPages


class Renderer(FactBoxes, GeneratedPages):
    """Renders pages of one language site: fact boxes and generated pages."""
