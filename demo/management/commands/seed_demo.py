from django.core.management.base import BaseCommand

from demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Loads the demo towns, villages, users and about 200 households. Safe to run twice."

    def handle(self, *args: object, **options: object) -> None:
        counts = seed_demo()
        self.stdout.write(
            f"Demo data: {counts['households']} new households, {counts['members']} new members."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role, unit in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {full_name}  {role.label}（{unit}）")
