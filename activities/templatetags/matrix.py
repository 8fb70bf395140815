from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def matrix_row(context, activity):
    """One row of the activity matrix, by the page's ``activities.matrix.RowRenderer``."""
    return context["matrix_row"](
        activity,
        prefix=context.get("row_prefix") or "",
        error=context.get("row_error"),
        saved=bool(context.get("saved")),
    )
