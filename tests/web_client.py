"""What the web client of Odoo 18.0 asks the server for a view: the field specification it
builds from the view's arch, for the user of ``model``'s environment. The performance tests
and bench/compare.py read the views through this, so what they measure is what the views ask.

As the client does: every field of the arch (hidden and optional columns too, and those in
``invisible`` conditions), but not the fields of an x2many's own subviews; a relational field
as its display name (an x2many read for its ids only when a widget needs no more), but as
its value only where every node of it is always invisible; the fields a widget depends on.
``get_views`` has already removed the nodes of groups the user is not in (the dispatchers'
double-booking flag, for a technician).
"""
from lxml import etree

NAME = {"fields": {"display_name": {}}}
# the field dependencies of Odoo's widgets that need more than their own field (the others
# used by these views: badge, priority, boolean_icon, the avatar widgets, need none)
ACTIVITY = {
    "activity_exception_decoration": {}, "activity_exception_icon": {}, "activity_state": {},
    "activity_summary": {}, "activity_type_icon": {}, "activity_type_id": NAME,
}
WIDGET_DEPENDENCIES = {"kanban_activity": ACTIVITY, "list_activity": ACTIVITY}
IDS_ONLY_WIDGETS = {"kanban_activity", "list_activity"}
ALWAYS_INVISIBLE = {"1", "True"}


def view_spec(model, view_type, view_id=False):
    """The specification of ``model``'s view of ``view_type`` (the default one, or ``view_id``)
    as the web client sends it in web_search_read."""
    views = model.get_views([(view_id, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    fields = views["models"][model._name]["fields"]
    nodes = {}
    for node in arch.iter("field"):
        if not any(ancestor.tag == "field" for ancestor in node.iterancestors()):  # not a subview's
            nodes.setdefault(node.get("name"), []).append(node)
    spec = {}
    for name, its_nodes in nodes.items():
        widgets = {node.get("widget") for node in its_nodes}
        ftype = fields[name]["type"]
        # a field invisible in every node of it: the client asks for its value only (its
        # getFieldsSpec), not a relation's display name
        hidden = all({node.get("invisible"), node.get("column_invisible")} & ALWAYS_INVISIBLE for node in its_nodes)
        if ftype == "many2one":
            spec[name] = {"fields": {}} if hidden else NAME
        elif ftype in ("many2many", "one2many"):
            spec[name] = {} if hidden else {"fields": {}} if widgets & IDS_ONLY_WIDGETS else NAME
        else:
            spec[name] = {}
        for widget in widgets:
            for dependency, dependency_spec in WIDGET_DEPENDENCIES.get(widget, {}).items():
                spec.setdefault(dependency, dependency_spec)
    return spec
