"""The status column of the pipeline's admin lists (panoramas, deep-zoom tiles)."""

from django.utils.html import format_html
from django.utils.translation import gettext as _


def status_cell(obj, retry_url: str | None = None):
    """What staff need at a glance: the state, how far along, and what went wrong.

    ``obj`` has ``status`` ("processing", "failed", …), ``progress`` and ``error_message``;
    a failed one gets a "Thử lại" button when ``retry_url`` is given.
    """
    if obj.status == "processing":
        return format_html(
            '{} <progress max="100" value="{}">{}%</progress> {}%',
            obj.get_status_display(),
            obj.progress,
            obj.progress,
            obj.progress,
        )
    if obj.status == "failed" and retry_url:
        return format_html(
            '<strong class="w-text-critical-200">{}</strong>: {} '
            '<a class="button button-small button-secondary" href="{}">{}</a>',
            obj.get_status_display(),
            obj.error_message,
            retry_url,
            _("Thử lại"),
        )
    if obj.status == "failed":
        return format_html(
            '<strong class="w-text-critical-200">{}</strong>: {}',
            obj.get_status_display(),
            obj.error_message,
        )
    return obj.get_status_display()
