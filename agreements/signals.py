"""Extension points for the layers above agreements (which it must not import)."""

from django.dispatch import Signal

# Sent with `version` inside the transaction that creates a new draft edition, so what the layers
# above attach to it (the assessment cycle that feeds its Appendix A) commits or fails with it.
draft_started = Signal()
