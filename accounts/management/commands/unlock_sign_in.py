"""Lift sign-in locks from the shell: a person's (by email or username) or a network address's."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.lockout import lockout_clear, lockout_clear_address


class Command(BaseCommand):
    help = "Unlock sign-in for a person (--person EMAIL_OR_USERNAME) or a network address (--address IP)."

    def add_arguments(self, parser):
        parser.add_argument("--person", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args, person: str, address: str, **options):
        if not (person or address):
            raise CommandError("Name a --person (email or username) or an --address.")
        if person:
            User = get_user_model()
            try:
                user = User._default_manager.get_by_natural_key(person)
            except User.DoesNotExist:
                raise CommandError(f"No account signs in as “{person}”.") from None
            lockout_clear(user_id=user.pk)
            self.stdout.write(f"Sign-in unlocked for {user.email}.")
        if address:
            lockout_clear_address(address=address)
            self.stdout.write(f"Sign-in unlocked for the address {address}.")
