"""Accounts: sign up, log in (throttled), log out, and the optional age group, gender and
occupation that pick a new account's first movies."""
