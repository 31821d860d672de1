from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from movierec_site.accounts.models import User


class AccountAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("About them (optional)", {"fields": ("age_group", "gender", "occupation")}),
    )


admin.site.register(User, AccountAdmin)
