"""Settings split by environment: `base` holds what every environment shares; `dev`, `prod` and
`test` adjust it. Choose one with DJANGO_SETTINGS_MODULE (manage.py defaults to `dev`)."""
