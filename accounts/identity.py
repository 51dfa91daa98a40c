"""Who is calling: a user, a guest, or nobody at all.

Threads belong to a user or to a guest identity. A guest identity is a random
UUID carried in a guest token (API) or in the session (pages); an anonymous
caller has neither.
"""

import uuid
from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class Identity:
    user: User | None = None
    guest_id: uuid.UUID | None = None

    @property
    def kind(self) -> str:
        if self.user is not None:
            return "user"
        if self.guest_id is not None:
            return "guest"
        return "anonymous"

    @property
    def is_anonymous(self) -> bool:
        return self.user is None and self.guest_id is None


ANONYMOUS = Identity()
