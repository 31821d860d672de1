from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from movierec_site.accounts.forms import AdminLoginForm
from movierec_site.accounts.models import User


class AccountAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("About them (optional)"), {"fields": ("age_group", "gender", "occupation")}),
    )


admin.site.register(User, AccountAdmin)
# The admin's login counts attempts under the same throttle as the site's.
admin.site.login_form = AdminLoginForm
