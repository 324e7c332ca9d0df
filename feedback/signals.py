"""Sent by the visitor view when a rating or report is stored for the first time."""

from django.dispatch import Signal

feedback_posted = Signal()  # sender: Rating or Report; instance: the row
