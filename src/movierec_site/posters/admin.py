from django.contrib import admin

from movierec_site.posters.models import CachedPoster


@admin.register(CachedPoster)
class CachedPosterAdmin(admin.ModelAdmin):
    list_display = ("movie_id", "status", "fetched_at", "url", "chinese_title")
    list_filter = ("status", "chinese_checked")
    search_fields = ("movie_id", "chinese_title")
