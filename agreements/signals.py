"""Extension points for the layers above agreements (which it must not import)."""

from django.dispatch import Signal

# Sent with `version` inside the transaction that creates a new draft edition, so what the layers
# above attach to it (the assessment cycle that feeds its Appendix A) commits or fails with it.
draft_started = Signal()

# Sent with `version` inside the transaction that publishes it, after its status is set, and with
# `past` true for a past edition being loaded or recorded. The document layer keeps the edition as
# published; a receiver returns the name of the file it stored, for the sender to remove if the
# transaction fails.
edition_published = Signal()
