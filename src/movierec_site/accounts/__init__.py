"""Accounts: sign up, log in (throttled), log out."""
