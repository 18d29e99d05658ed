"""The web layer: Django settings, accounts, roles, authorisation, audit, pages and API."""
