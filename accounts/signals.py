from django.dispatch import Signal

# Sent when a caller who was a guest becomes (or logs in as) a user, so apps that
# keep guest data can move it into the account. Arguments: user, guest_id.
guest_became_user = Signal()
