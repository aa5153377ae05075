"""Why a notification was not delivered."""


class DeliveryFailed(Exception):
    """A notification could not be handed over; the job that sends it is retried."""
