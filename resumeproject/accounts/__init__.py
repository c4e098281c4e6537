"""Accounts: the login lock-out (django-axes) and each user's own API token.

Not an installed app: nothing here has tables, templates live in templates/registration/.
"""
